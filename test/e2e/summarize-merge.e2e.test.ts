/**
 * The README's "At scale" flow, run locally with the built CLI (issue 17): three workers each run
 * `vizmeta summarize --shard i/3` over the same list of fixture logs, their parts are merged (in
 * another order), and sort, gate and stats over the merged file are compared with one pass over
 * the logs: sort and gate identical (stdout, stderr, exit status); stats identical for exact
 * fields, mean and std within 1e-9 relative, the median within the sketch's stated 1%.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

const LOGS = [
  ...Array.from({ length: 8 }, (_, i) => `fixtures/runs/run-${i + 1}.log`),
  'fixtures/nan.log', 'fixtures/keras.log', 'fixtures/timestamps.log', 'fixtures/valohai-utils.log', 'fixtures/crlf.log', 'fixtures/tqdm.log',
];
const dir = mkdtempSync(join(tmpdir(), 'vizmeta-shards-'));
const part = (i: number): string => join(dir, `part-${i}.vzs`);
const all = join(dir, 'all.vzs');

interface StatsRow { key: string; count: number; missing: number; nan: number; posInf: number; negInf: number; min: number | null; max: number | null; mean: number | null; std: number | null; median: number | null; latest: unknown; types: string[]; histogram: number[] }

beforeAll(async () => {
  const workers = await Promise.all([0, 1, 2].map((i) => runCli(['summarize', '--shard', `${i}/3`, ...LOGS, '-o', part(i)])));
  for (const worker of workers) expect(worker, worker.stderr).toMatchObject({ status: 0, stdout: '' });
  const merged = await runCli(['merge', part(2), part(0), part(1), '-o', all]);
  expect(merged, merged.stderr).toMatchObject({ status: 0, stdout: '', stderr: '' });
}, 60_000);

describe('summarize --shard, merge, then sort/gate/stats (built binary)', () => {
  it('splits the inputs between the shards: each log in exactly one part', () => {
    const names = [0, 1, 2].flatMap((i) => readFileSync(part(i), 'utf8').trim().split('\n').slice(1).map((line) => (JSON.parse(line) as { execution: string }).execution));
    expect(names.sort()).toEqual([...LOGS].sort());
    const merged = readFileSync(all, 'utf8').trim().split('\n');
    expect(JSON.parse(merged[0] as string)).toMatchObject({ format: 'vizmeta-summary', version: 1, shard: { count: 3, indexes: [0, 1, 2] } });
    // Back in the list's order.
    expect(merged.slice(1).map((line) => (JSON.parse(line) as { execution: string }).execution)).toEqual(LOGS);
  });

  it.each([
    ['sort --by accuracy', ['sort', '--by', 'accuracy']],
    ['sort --by loss --agg min,max(accuracy) --format json', ['sort', '--by', 'loss', '--agg', 'min,max(accuracy)', '--format', 'json']],
    ['sort --keys all --format csv', ['sort', '--by', 'val_loss', '--keys', 'all', '--format', 'csv']],
    ['gate', ['gate', '--when', 'accuracy >= 0.85', '--when', 'min(loss) < 0.5', '--missing', 'pass']],
    ['gate --format json', ['gate', '--when', 'mean(loss) < 1', '--format', 'json', '--missing', 'fail']],
    ['stats (text)', ['stats']],
  ])('%s: the merged parts give what one pass gives', async (_name, args) => {
    const [single, merged] = await Promise.all([runCli([...args, ...LOGS]), runCli([...args, all])]);
    expect(merged.stdout).toBe(single.stdout);
    expect(merged.stderr).toBe(single.stderr);
    expect(merged.status).toBe(single.status);
  });

  it('stats --format json: exact fields identical, mean and std within 1e-9, the median within 1%', async () => {
    const [single, merged] = await Promise.all([runCli(['stats', '--format', 'json', ...LOGS]), runCli(['stats', '--format', 'json', all])]);
    expect(merged.status).toBe(0);
    const expected = JSON.parse(single.stdout) as StatsRow[];
    const actual = JSON.parse(merged.stdout) as StatsRow[];
    expect(actual.map((row) => row.key)).toEqual(expected.map((row) => row.key));
    const near = (a: number | null, b: number | null, tolerance: number): void => {
      if (a === null || b === null) expect(a).toBe(b);
      else expect(Math.abs(a - b)).toBeLessThanOrEqual(tolerance * Math.max(Math.abs(b), 1e-300));
    };
    actual.forEach((row, i) => {
      const want = expected[i] as StatsRow;
      const exact = (r: StatsRow) => [r.types, r.count, r.missing, r.nan, r.posInf, r.negInf, r.min, r.max, r.latest, r.histogram];
      expect(exact(row)).toEqual(exact(want));
      near(row.mean, want.mean, 1e-9);
      near(row.std, want.std, 1e-9);
      near(row.median, want.median, 0.01);
    });
  });

  it('takes parts and logs mixed: one part and the other shards\' logs', async () => {
    const inPart0 = readFileSync(part(0), 'utf8').trim().split('\n').slice(1).map((line) => (JSON.parse(line) as { execution: string }).execution);
    const rest = LOGS.filter((log) => !inPart0.includes(log));
    const [single, mixed] = await Promise.all([runCli(['sort', '--by', 'accuracy', ...LOGS]), runCli(['sort', '--by', 'accuracy', part(0), ...rest])]);
    expect(mixed.stdout).toBe(single.stdout);
    expect(mixed.status).toBe(0);
  });

  it('gate --baseline takes a summary file of one execution, and refuses one of several', async () => {
    const base = join(dir, 'base.vzs');
    expect((await runCli(['summarize', 'fixtures/runs/run-1.log', '-o', base])).status).toBe(0);
    const args = ['gate', '--max-drop', 'accuracy=0.01', 'fixtures/runs/run-2.log'];
    const [fromLog, fromPart] = await Promise.all([runCli(['gate', '--baseline', 'fixtures/runs/run-1.log', ...args.slice(1)]), runCli(['gate', '--baseline', base, ...args.slice(1)])]);
    expect(fromPart.stdout).toBe(fromLog.stdout);
    expect(fromPart.status).toBe(1);
    const several = await runCli(['gate', '--baseline', all, ...args.slice(1)]);
    expect(several).toMatchObject({ status: 2, stderr: `vizmeta: --baseline ${all}: a summary file of ${LOGS.length} executions; the baseline is one (summarise its log alone)\n` });
  });

  it('a part given twice is kept once, with a note', async () => {
    const twice = join(dir, 'twice.vzs');
    const result = await runCli(['merge', part(0), part(0), '-o', twice]);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/^vizmeta: merge: shards 1, 2 of 3 missing: the result covers 1 of 3\nvizmeta: .*part-0\.vzs: \d+ executions? also in .*part-0\.vzs with the same summary: kept once\n$/);
    expect(readFileSync(twice, 'utf8')).toBe(readFileSync(part(0), 'utf8'));
    const missing = await runCli(['merge', part(0), part(1), '-o', join(dir, 'two.vzs')]);
    expect(missing.stderr).toBe('vizmeta: merge: shard 2 of 3 missing: the result covers 2 of 3\n');
  });

  it('refuses a newer format version, a corrupt line and a bad --shard, naming what is wrong (exit 2)', async () => {
    const newer = join(dir, 'newer.vzs');
    writeFileSync(newer, readFileSync(part(0), 'utf8').replace('"version":1', '"version":2'));
    const sort = await runCli(['sort', '--by', 'accuracy', newer]);
    expect(sort.status).toBe(2);
    expect(sort.stderr).toContain(`${newer}: summary format version 2 (written by vizmeta `);
    const merge = await runCli(['merge', newer, '-o', join(dir, 'x.vzs')]);
    expect(merge.status).toBe(2);
    expect(merge.stderr).toMatch(/newer than this vizmeta reads \(version 1\)/);
    const corrupt = join(dir, 'corrupt.vzs');
    writeFileSync(corrupt, `${readFileSync(part(0), 'utf8')}{"execution": "x.log"\n`);
    const gate = await runCli(['gate', '--when', 'accuracy > 0', corrupt]);
    expect(gate.status).toBe(2);
    expect(gate.stderr).toMatch(new RegExp(`${corrupt.replaceAll('.', '\\.')}:\\d+: corrupt summary file: not a JSON line`));
    const shard = await runCli(['summarize', '--shard', '3/3', 'fixtures/nan.log']);
    expect(shard).toMatchObject({ status: 2, stderr: 'vizmeta: --shard 3/3: i must be below N (shards are numbered 0 to 2)\n' });
  });

  it('chart and report draw a summary file from the histories it keeps: the same charts as over the logs', async () => {
    // A chart's title is the line before its legend's first entry (`─a runs/run-1.log …`).
    const titles = (stdout: string): string[] => stdout.split('\n').filter((_line, i, lines) => /^[─━═┄]a /.test(lines[i + 1] ?? ''));
    const [fromLogs, fromSummary] = await Promise.all([runCli(['chart', '--no-table', '--width', '100', ...LOGS]), runCli(['chart', '--no-table', '--width', '100', all])]);
    expect(fromSummary.status, fromSummary.stderr).toBe(0);
    expect(titles(fromSummary.stdout).length).toBeGreaterThan(2);
    expect(titles(fromSummary.stdout)).toEqual(titles(fromLogs.stdout));
    const charts = (file: string): Array<{ title: string; lines: string[] }> => {
      const html = readFileSync(file, 'utf8');
      const data = JSON.parse(/<script type="application\/json" id="vizmeta-data">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '{}') as { charts: Array<{ title: string; series: Array<{ label: string }> }> };
      return data.charts.map((chart) => ({ title: chart.title, lines: chart.series.map((line) => line.label) }));
    };
    const [pageOfLogs, pageOfSummary] = [join(dir, 'logs.html'), join(dir, 'summary.html')];
    await Promise.all([runCli(['report', ...LOGS, '-o', pageOfLogs]), runCli(['report', all, '-o', pageOfSummary])]);
    const [ofLogs, ofSummary] = [charts(pageOfLogs), charts(pageOfSummary)];
    expect(ofSummary.map((chart) => chart.title)).toEqual(ofLogs.map((chart) => chart.title));
    // Every line of the logs' page is on the summary's. A value printed before the log's first
    // step (crlf.log's config line with its lr) is a point at record 1 in a summary's history,
    // where the log's chart, with no step yet to put it at, leaves it out: lr has one line more.
    for (const [i, chart] of ofLogs.entries()) expect(ofSummary[i]?.lines, chart.title).toEqual(expect.arrayContaining(chart.lines));
  });

  it('extract names a summary file as the wrong input (exit 2): it needs records', async () => {
    const result = await runCli(['extract', all]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`${all}: a vizmeta summary file holds aggregates, not records; this command needs the logs themselves`);
  });

});
