/**
 * DVCLive folders (reconstructed from DVCLive's source, see fixtures/frameworks/files/README.md)
 * and the small YAML reader shared with Lightning's hparams.yaml and MLflow's meta.yaml.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseJsonValue } from '../../../src/parsers/json.js';
import { parseDvcLive, parseSimpleYaml, type DvcLiveFiles } from '../../../src/parsers/frameworks/dvclive.js';

const FILES = fileURLToPath(new URL('../../../fixtures/frameworks/files/', import.meta.url));
const read = (name: string) => readFileSync(FILES + name, 'utf8');
const optional = (name: string) => {
  try {
    return read(name);
  } catch {
    return undefined;
  }
};

/** A DVCLive folder's files, read the simple way (independent of discover.ts). */
function filesOf(dir: string): DvcLiveFiles {
  const tsv: DvcLiveFiles['tsv'] = [];
  const walk = (path: string, prefix: string) => {
    let names: string[];
    try {
      names = readdirSync(path).sort();
    } catch {
      return;
    }
    for (const name of names) {
      const full = join(path, name);
      if (statSync(full).isDirectory()) walk(full, `${prefix}${name}/`);
      else if (name.endsWith('.tsv')) tsv.push({ name: prefix + name.slice(0, -4), text: readFileSync(full, 'utf8') });
    }
  };
  walk(join(FILES, dir, 'plots/metrics'), '');
  const files: DvcLiveFiles = { tsv };
  const metricsJson = optional(`${dir}/metrics.json`);
  const paramsYaml = optional(`${dir}/params.yaml`);
  if (metricsJson !== undefined) files.metricsJson = metricsJson;
  if (paramsYaml !== undefined) files.paramsYaml = paramsYaml;
  return files;
}

describe('parseDvcLive on reconstructed DVCLive folders', () => {
  const expected = parseJsonValue(read('dvclive-run.expected.json')) as {
    params: Record<string, unknown>;
    logged: Array<[string, number, number | string, number | null]>;
  };

  it('puts params first, then one record per step with every metric logged at it', () => {
    const run = parseDvcLive(filesOf('dvclive-run/dvclive'));
    expect(run.warnings).toEqual([]);
    expect(run.records[0]).toEqual({ values: expected.params });
    const steps = [...new Set(expected.logged.map(([, step]) => step))].sort((a, b) => a - b);
    expect(run.records.slice(1).map((r) => r.values.step)).toEqual(steps);
    for (const record of run.records.slice(1)) {
      const at = expected.logged.filter(([, step]) => step === record.values.step);
      const want: Record<string, unknown> = { step: record.values.step };
      for (const [name, , value] of at) want[name] = value === 'nan' ? NaN : value;
      expect(record.values).toEqual(want);
      const stamps = at.map(([, , , ts]) => ts).filter((ts): ts is number => ts !== null);
      expect(record.time).toBe(stamps.length > 0 ? new Date(Math.max(...stamps)).toISOString() : undefined);
    }
  });

  it('names metrics from their path, in the order the TSVs are given', () => {
    const run = parseDvcLive(filesOf('dvclive-run/dvclive'));
    expect(Object.keys(run.records[2]!.values)).toEqual(['step', 'train/acc', 'train/loss', 'val/loss']);
    expect(run.records[3]!.values.lr).toBeNaN(); // DVCLive >= 2.15.1 logs nan as the string "nan"
  });

  it('reads the pre-1.0 layout, whose header names the full metric', () => {
    const run = parseDvcLive(filesOf('dvclive-legacy/dvclive'));
    expect(run.records).toEqual([
      { values: { step: 0, 'train/loss': 0.9 }, time: '2026-01-01T00:00:00.000Z' },
      { values: { step: 1, 'train/loss': 0.8 }, time: '2026-01-01T00:00:00.001Z' },
    ]);
  });

  it('reads the summary only when there are no TSVs, nested keys joined by /', () => {
    expect(parseDvcLive(filesOf('dvclive-summary-only/dvclive'))).toEqual({
      records: [{ values: { 'test/accuracy': 0.93, 'test/loss': 0.21, step: 9 } }],
      warnings: [],
    });
    const both = parseDvcLive({ metricsJson: '{"loss": 99}', tsv: [{ name: 'loss', text: 'step\tloss\n0\t1\n' }] });
    expect(both.records).toEqual([{ values: { step: 0, loss: 1 } }]);
  });
});

describe('parseDvcLive on hostile input', () => {
  it('warns, naming the file and line, about rows it cannot read', () => {
    const run = parseDvcLive({
      tsv: [
        { name: 'a', text: 'timestamp\tstep\ta\n1\t0\t0.5\n2\tx\t0.4\n3\t1\n4\t2\t\n5\t3\tfast\n' },
        { name: 'b', text: 'value\n1\n' },
        { name: 'c', text: '' },
      ],
    });
    expect(run.records).toEqual([
      { values: { step: 0, a: 0.5 }, time: '1970-01-01T00:00:00.001Z' },
      { values: { step: 3, a: 'fast' }, time: '1970-01-01T00:00:00.005Z' },
    ]);
    expect(run.warnings.map((w) => w.message)).toEqual([
      'a.tsv line 3: step "x" is not an integer; skipped',
      'a.tsv line 4: 2 cells, header has 3; skipped',
      'b.tsv: header "value" has no step and value columns; skipped',
    ]);
  });

  it('keeps the later row of a step logged twice, and __proto__ names as data', () => {
    const run = parseDvcLive({ tsv: [{ name: '__proto__', text: 'step\tx\n0\t1\n0\t2\n' }], paramsYaml: '__proto__: 1\n' });
    expect(run.records.map((r) => Object.keys(r.values))).toEqual([['__proto__'], ['step', '__proto__']]);
    expect(run.records[1]!.values.__proto__).toBe(2);
    expect(Object.getPrototypeOf(run.records[1]!.values)).toBe(Object.prototype);
  });

  it('warns about a broken metrics.json and an odd params.yaml', () => {
    const run = parseDvcLive({ metricsJson: '{"a": ', tsv: [], paramsYaml: 'a: 1\nmodel: !!python/object:foo.Bar\n  x: 1\n' });
    expect(run.records).toEqual([{ values: { a: 1 } }]);
    expect(run.warnings.map((w) => w.message)).toEqual([
      'params.yaml line 2: "model": anchors, aliases, tags and block scalars are not read; skipped',
      expect.stringMatching(/^metrics\.json: /),
    ]);
  });

  it('has no records for empty files', () => {
    expect(parseDvcLive({ tsv: [] })).toEqual({ records: [], warnings: [] });
    expect(parseDvcLive({ tsv: [], paramsYaml: '', metricsJson: '{}' })).toEqual({ records: [], warnings: [] });
    expect(parseDvcLive({ tsv: [{ name: 'loss', text: 'step\tloss\n' }] })).toEqual({ records: [], warnings: [] });
  });
});

describe('parseSimpleYaml', () => {
  it('reads the real Lightning hparams.yaml and MLflow meta.yaml', () => {
    expect(parseSimpleYaml(read('lightning/lightning_logs/version_0/hparams.yaml'))).toEqual({
      value: { hidden: 8, lr: 0.05, optimizer: 'sgd' },
      warnings: [],
    });
    const meta = parseSimpleYaml(read('mlruns/0/0a1b2c3d4e5f40718293a4b5c6d7e8f9/meta.yaml'));
    expect(meta.warnings).toEqual([]);
    expect(meta.value).toMatchObject({ experiment_id: '0', entry_point_name: '', run_name: 'brave-owl-17', status: 3, tags: [], start_time: 1767225600000 });
  });

  it('reads nested maps, both list indentations, scalars of every core type, and comments', () => {
    const text = [
      '# a comment',
      'model:',
      '  layers: 2   # trailing comment',
      '  sizes:',
      '  - 16',
      '  - 32',
      '  act:',
      '    - relu',
      "name: 'it''s'",
      'path: "a\\tb"',
      "free: it's fine # really",
      'flow: [1, two, "3"]',
      'map: {a: 1, b: x}',
      'empty:',
      'nothing: ~',
      'yes_: true',
      'big: 1.0e-05',
      'inf: .inf',
      'long: this string was',
      '  folded by PyYAML',
      'url: http://x.org/a#b',
      '---',
    ].join('\n');
    expect(parseSimpleYaml(text)).toEqual({
      value: {
        model: { layers: 2, sizes: [16, 32], act: ['relu'] },
        name: "it's",
        path: 'a\tb',
        free: "it's fine",
        flow: [1, 'two', '3'],
        map: { a: 1, b: 'x' },
        empty: null,
        nothing: null,
        yes_: true,
        big: 1e-5,
        inf: Infinity,
        long: 'this string was folded by PyYAML',
        url: 'http://x.org/a#b',
      },
      warnings: [],
    });
  });

  it('skips what it does not read, with a warning naming the line', () => {
    const text = 'a: 1\nb: |\n  text\nc: &x 3\nlist:\n- k: v\n  j: w\n- 2\n- - 3\nd: 4\n- stray\ne: 5\n';
    const { value, warnings } = parseSimpleYaml(text);
    expect(value).toEqual({ a: 1, list: [2], d: 4, e: 5 });
    expect(warnings.map((w) => w.line)).toEqual([2, 4, 6, 9, 11]);
  });

  it('refuses a top level that is not a map', () => {
    expect(parseSimpleYaml('- 1\n- 2\n').warnings).toEqual([{ line: 1, message: 'not a map at the top level; skipped' }]);
    expect(parseSimpleYaml('   \n# only comments\n')).toEqual({ value: {}, warnings: [] });
  });

  it('stops nesting at the depth limit instead of recursing without bound', () => {
    const deep = Array.from({ length: 300 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n');
    const { warnings } = parseSimpleYaml(deep);
    expect(warnings.some((w) => /nested deeper/.test(w.message))).toBe(true);
  });
});
