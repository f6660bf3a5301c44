/**
 * MLflow run folders. The fixture tree (fixtures/frameworks/files/mlruns) is reconstructed from
 * MLflow's FileStore source (see the README there); mlruns.expected.json lists what was logged.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseJsonValue } from '../../../src/parsers/json.js';
import { parseMlflowRun, type MlflowRunFiles } from '../../../src/parsers/frameworks/mlflow.js';

const MLRUNS = fileURLToPath(new URL('../../../fixtures/frameworks/files/mlruns/', import.meta.url));
type Logged = Record<string, { run_name: string | null; params: Record<string, string>; metrics: Array<[string, number, number, number]> }>;
const expected = parseJsonValue(readFileSync(`${MLRUNS}../mlruns.expected.json`, 'utf8')) as Logged;

/** The run folder's files, read the simple way (independent of discover.ts). */
function filesOf(run: string): MlflowRunFiles {
  const walk = (dir: string, prefix = ''): Array<{ key: string; text: string }> => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return [];
    }
    return names.flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path, `${prefix}${name}/`) : [{ key: prefix + name, text: readFileSync(path, 'utf8') }];
    });
  };
  const kv = (folder: string) => walk(join(MLRUNS, run, folder)).map(({ key, text }) => ({ key, value: text }));
  return { metrics: walk(join(MLRUNS, run, 'metrics')), params: kv('params'), tags: kv('tags') };
}

describe('parseMlflowRun on the reconstructed mlruns tree', () => {
  it.each(Object.keys(expected))('merges run %s by step as logged', (run) => {
    const logged = expected[run]!;
    const result = parseMlflowRun(filesOf(run));
    expect(result.warnings).toEqual([]);
    expect(result.name).toBe(logged.run_name ?? undefined);

    // Params first, numeric strings as numbers.
    const params = Object.fromEntries(Object.entries(logged.params).map(([k, v]) => [k, Number.isNaN(Number(v)) ? v : Number(v)]));
    expect(result.records[0]).toEqual({ values: params });

    // The step records, built here from the log: the latest timestamp per (step, key) wins.
    const bySteps = new Map<number, Map<string, [number, number]>>();
    for (const [key, value, ts, step] of logged.metrics) {
      const at = bySteps.get(step) ?? new Map<string, [number, number]>();
      bySteps.set(step, at);
      if (!at.has(key) || ts >= at.get(key)![1]) at.set(key, [value, ts]);
    }
    const steps = result.records.slice(1);
    const legacySteps = run.startsWith('412874123456789012/9e8d') ? 1 : 0; // the 2-field line adds step 0
    expect(steps).toHaveLength(bySteps.size + legacySteps);
    for (const record of steps) {
      const at = bySteps.get(record.values.step as number);
      if (!at) continue;
      const want: Record<string, number> = { step: record.values.step as number };
      for (const [key, [value]] of at) want[key] = value;
      expect(record.values).toEqual(want);
      const latest = Math.max(...[...at.values()].map(([, ts]) => ts));
      expect(record.time).toBe(new Date(latest).toISOString());
    }
    expect(steps.map((r) => r.values.step)).toEqual([...steps.map((r) => r.values.step as number)].sort((a, b) => a - b));
  });

  it('shows the details: nested keys, a re-logged value, nan, legacy lines, params', () => {
    const first = parseMlflowRun(filesOf('0/0a1b2c3d4e5f40718293a4b5c6d7e8f9'));
    expect(first.name).toBe('brave-owl-17');
    expect(first.records[0]!.values).toEqual({ batch_size: 32, lr: 0.01, note: 'first try', optimizer: 'adam' });
    const step5 = first.records.find((r) => r.values.step === 5)!;
    expect(step5.values).toEqual({ step: 5, loss: 0.19, 'val/accuracy': 0.75, 'val/loss': 0.2 });
    expect(step5.time).toBe('2026-01-01T00:00:05.500Z');
    expect(first.records.find((r) => r.values.step === 4)!.values.grad_norm).toBeNaN();

    const old = parseMlflowRun(filesOf('412874123456789012/9e8d7c6b5a4f43210fedcba987654321'));
    expect(old.name).toBeUndefined();
    expect(old.records).toEqual([
      { values: { lr: 0.001 } },
      { values: { step: 0, accuracy: 0.5 }, time: '2026-01-01T00:00:00.000Z' },
      { values: { step: 1, accuracy: 0.55 }, time: '2026-01-01T00:00:00.100Z' },
    ]);
  });
});

describe('parseMlflowRun on hostile input', () => {
  it('warns about malformed lines, naming the metric file and line, and reads the rest', () => {
    const run = parseMlflowRun({
      metrics: [{ key: 'val/loss', text: '1000 0.5 0\n\nnot a line\n1001 x 1\n1002 0.4 1.5\n1003 0.3 2 9\n 1004 0.2 3 \n' }],
      params: [],
      tags: [],
    });
    expect(run.records).toEqual([
      { values: { step: 0, 'val/loss': 0.5 }, time: '1970-01-01T00:00:01.000Z' },
      { values: { step: 3, 'val/loss': 0.2 }, time: '1970-01-01T00:00:01.004Z' },
    ]);
    expect(run.warnings.map((w) => w.message)).toEqual([
      'metrics/val/loss line 3: timestamp "not" is not an integer; skipped',
      'metrics/val/loss line 4: value "x" is not a number; skipped',
      'metrics/val/loss line 5: step "1.5" is not an integer; skipped',
      'metrics/val/loss line 6: expected "timestamp value step", found 4 fields; skipped',
    ]);
  });

  it('keeps the later line when one step has two values with the same timestamp', () => {
    const run = parseMlflowRun({ metrics: [{ key: 'loss', text: '7 0.5 1\n7 0.4 1\n6 0.3 1\n' }], params: [], tags: [] });
    expect(run.records).toEqual([{ values: { step: 1, loss: 0.4 }, time: '1970-01-01T00:00:00.007Z' }]);
  });

  it('has no records for an empty run, and no name without the tag', () => {
    expect(parseMlflowRun({ metrics: [{ key: 'loss', text: '' }], params: [], tags: [{ key: 'mlflow.user', value: 'x' }] })).toEqual({ records: [], warnings: [] });
  });

  it('keeps __proto__ metric and param keys as data', () => {
    const run = parseMlflowRun({
      metrics: [{ key: '__proto__', text: '5 1 0\n' }],
      params: [{ key: '__proto__', value: '{"polluted": true}' }],
      tags: [{ key: 'mlflow.runName', value: '  ' }],
    });
    expect(run.name).toBeUndefined();
    for (const record of run.records) {
      expect(Object.keys(record.values)).toContain('__proto__');
      expect(Object.getPrototypeOf(record.values)).toBe(Object.prototype);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps a params value that only looks numeric to JavaScript as text', () => {
    const run = parseMlflowRun({ metrics: [], params: [{ key: 'a', value: '0x10' }, { key: 'b', value: 'inf' }, { key: 'c', value: '' }, { key: 'd', value: '-3' }], tags: [] });
    expect(run.records[0]!.values).toEqual({ a: '0x10', b: 'inf', c: '', d: -3 });
  });
});
