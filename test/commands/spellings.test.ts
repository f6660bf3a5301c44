/**
 * One name per idea across every command (issue 19): the canonical flags, and the old spellings
 * kept working, each giving the same output as the flag it stands for. In-process.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../helpers/visualizations-io.js';

const RUNS = Array.from({ length: 8 }, (_, i) => `fixtures/runs/run-${i + 1}.log`);
const RUN = RUNS[0] as string;

/** Runs both argument lists and expects the same status, stdout and stderr (and success). */
async function same(canonical: string[], old: string[], input?: string): Promise<string> {
  const options = input === undefined ? {} : { input };
  const a = await runInProcess(canonical, options);
  const b = await runInProcess(old, options);
  expect(a.stderr).toBe('');
  expect(a.status).toBe(0);
  expect(b).toEqual(a);
  return a.stdout;
}

describe('table: --keys, --by, --asc/--desc (old: --columns, --sort [-]KEY)', () => {
  it('--columns is --keys, and both may be given', async () => {
    const out = await same(['table', '--format', 'csv', '--keys', 'step,loss', '--limit', '2', RUN], ['table', '--format', 'csv', '--columns', 'step,loss', '--limit', '2', RUN]);
    expect(out.split('\n')[0]).toBe('step,loss');
    const both = await runInProcess(['table', '--format', 'csv', '--keys', 'step', '--columns', 'loss', '--limit', '2', RUN]);
    expect(both.stdout).toBe(out);
  });

  it('--sort -KEY is --by KEY --desc, --sort KEY is --by KEY --asc', async () => {
    const desc = await same(['table', '--format', 'csv', '--keys', 'step,loss', '--by', 'loss', '--desc', '--limit', '3', RUN], ['table', '--format', 'csv', '--keys', 'step,loss', '--sort', '-loss', '--limit', '3', RUN]);
    const asc = await same(['table', '--format', 'csv', '--keys', 'step,loss', '--by', 'loss', '--asc', '--limit', '3', RUN], ['table', '--format', 'csv', '--keys', 'step,loss', '--sort', 'loss', '--limit', '3', RUN]);
    expect(desc).not.toBe(asc);
  });

  it('--by alone puts the best first, as sort does: accuracy highest first, loss lowest first', async () => {
    const table = async (args: string[]): Promise<string> => (await runInProcess(['table', '--format', 'csv', '--keys', 'step,accuracy,loss', '--limit', '3', ...args, RUN])).stdout;
    expect(await table(['--by', 'accuracy'])).toBe(await table(['--sort', '-accuracy']));
    expect(await table(['--by', 'loss'])).toBe(await table(['--sort', 'loss']));
    // A direction given by flag, as in sort and compare.
    expect(await table(['--by', 'loss', '--higher-is-better', 'loss'])).toBe(await table(['--sort', '-loss']));
  });

  it('orders groups by what a column holds: mean(loss) lowest first, count() highest first', async () => {
    const grouped = ['table', '--format', 'csv', '--group-by', 'optimizer', '--agg', 'mean(lr0),count()'];
    await same([...grouped, '--by', 'count()', ...RUNS], [...grouped, '--sort', '-count()', ...RUNS]);
    await same([...grouped, '--by', 'mean(lr0)', '--asc', ...RUNS], [...grouped, '--sort', 'mean(lr0)', ...RUNS]);
  });

  it('refuses a sort given both ways, and --sort with --asc or --desc', async () => {
    const both = await runInProcess(['table', '--by', 'loss', '--sort', 'loss', RUN]);
    expect(both.status).toBe(2);
    expect(both.stderr).toBe('vizmeta: --sort is the old spelling of --by: give one of them\n');
    const mixed = await runInProcess(['table', '--sort', '-loss', '--asc', RUN]);
    expect(mixed.status).toBe(2);
    expect(mixed.stderr).toMatch(/--sort KEY \/ -KEY says the order itself/);
  });

  it('--help shows the canonical flags and names the old ones in their descriptions', async () => {
    const help = (await runInProcess(['table', '--help'])).stdout;
    expect(help).toMatch(/^ {2}--keys <keys> /m);
    expect(help).toMatch(/^ {2}--by <key> /m);
    expect(help).not.toMatch(/^ {2}--columns|^ {2}--sort/m);
    const words = help.replace(/\s+/g, ' ');
    expect(words).toContain('old spelling: --columns');
    expect(words).toContain('old spelling: --sort KEY');
  });
});

describe('sort: --limit and --agg lists (old: --top, one aggregate)', () => {
  it('--top is --limit', async () => {
    const out = await same(['sort', '--by', 'accuracy', '--limit', '3', ...RUNS], ['sort', '--by', 'accuracy', '--top', '3', ...RUNS]);
    expect(out).toContain('5 more not shown (--limit)');
    const both = await runInProcess(['sort', '--by', 'accuracy', '--limit', '3', '--top', '3', ...RUNS]);
    expect(both.status).toBe(2);
    expect(both.stderr).toBe('vizmeta: --top is the old spelling of --limit: give one of them\n');
  });

  it('one aggregate reads as before; a list ranks by the first and shows the rest', async () => {
    const one = await same(['sort', '--by', 'val_loss', '--agg', 'min()', '--format', 'json', ...RUNS], ['sort', '--by', 'val_loss', '--agg', 'min', '--format', 'json', ...RUNS]);
    const list = await runInProcess(['sort', '--by', 'val_loss', '--agg', 'min,max(accuracy)', '--agg', 'mean', '--format', 'json', '--keys', 'loss', ...RUNS]);
    expect(list.status).toBe(0);
    const rows = JSON.parse(list.stdout) as Array<Record<string, unknown>>;
    const ranked = JSON.parse(one) as Array<Record<string, unknown>>;
    expect(rows.map((row) => row.execution)).toEqual(ranked.map((row) => row.execution));
    expect(Object.keys(rows[0] ?? {})).toEqual(['execution', 'min(val_loss)', 'max(accuracy)', 'mean(val_loss)', 'loss']);
    // table's spelling of the same list gives the same ranking and columns
    const tableSpelling = await runInProcess(['sort', '--by', 'val_loss', '--agg', 'min(val_loss),max(accuracy),mean(val_loss)', '--format', 'json', '--keys', 'loss', ...RUNS]);
    expect(tableSpelling.stdout).toBe(list.stdout);
  });

  it('refuses a list whose first item is not of the --by key, and sum (a summary keeps no sum)', async () => {
    const other = await runInProcess(['sort', '--by', 'val_loss', '--agg', 'max(accuracy)', ...RUNS]);
    expect(other.status).toBe(2);
    expect(other.stderr).toBe('vizmeta: --agg: the first aggregate ranks, so it is of the --by key (max or max(val_loss)), got max(accuracy)\n');
    const sum = await runInProcess(['sort', '--by', 'val_loss', '--agg', 'sum', ...RUNS]);
    expect(sum.status).toBe(2);
    expect(sum.stderr).toMatch(/--agg: sum is for table --group-by/);
  });

  it('takes table\'s old --sort [-]KEY as well', async () => {
    await same(['sort', '--by', 'lr', '--asc', ...RUNS], ['sort', '--sort', 'lr', ...RUNS]);
    await same(['sort', '--by', 'loss', '--desc', '--format', 'csv', ...RUNS], ['sort', '--sort', '-loss', '--format', 'csv', ...RUNS]);
  });
});

describe('watch, run, demo: --baseline-value (old: --baseline)', () => {
  const log = '{"step": 1, "loss": 0.9}\n{"step": 2, "loss": 0.8}\n{"step": 3, "loss": 0.85}\n{"step": 4, "loss": 0.86}\n';
  const flags = ['watch', '--quiet', '--monitor', 'loss', '--patience', '1'];
  const STOP = 'vizmeta: early stop: --monitor loss --patience 1 --baseline-value 0.5: loss = 0.85 at step 3, baseline 0.5 not beaten in 3 records; best 0.8 (step 2)\n';

  it('stops the same way under either spelling; the old one adds one note', async () => {
    const canonical = await runInProcess([...flags, '--baseline-value', '0.5'], { input: log });
    const old = await runInProcess([...flags, '--baseline', '0.5'], { input: log });
    expect(canonical.status).toBe(0);
    expect(canonical.stderr).toBe(STOP);
    expect(old.status).toBe(0);
    expect(old.stderr).toBe(`vizmeta: --baseline is now --baseline-value for watch, run and demo (gate --baseline names a file); read as --baseline-value\n${STOP}`);
  });

  it('refuses both spellings at once', async () => {
    const both = await runInProcess([...flags, '--baseline-value', '0.5', '--baseline', '0.5'], { input: log });
    expect(both.status).toBe(2);
    expect(both.stderr).toBe('vizmeta: --baseline is the old spelling of --baseline-value: give one of them\n');
  });

  it('--help shows --baseline-value and not --baseline', async () => {
    for (const command of ['watch', 'run', 'demo']) {
      const help = (await runInProcess([command, '--help'])).stdout;
      expect(help).toMatch(/^ {2}--baseline-value <value> /m);
      expect(help).not.toMatch(/^ {2}--baseline /m);
    }
  });
});

describe('the config\'s stop section: its fields are the flags\' names', () => {
  const log = '{"step": 1, "loss": 0.9}\n{"step": 2, "loss": 0.8}\n{"step": 3, "loss": 0.85}\n{"step": 4, "loss": 0.86}\n';
  const folder = (stop: unknown): string => {
    const dir = mkdtempSync(join(tmpdir(), 'vizmeta-spellings-'));
    writeFileSync(join(dir, 'vizmeta.config.json'), JSON.stringify({ stop }));
    return dir;
  };
  const STOP = 'vizmeta: early stop: --monitor loss --patience 1 --baseline-value 0.5 --start-from 1: loss = 0.85 at step 3, baseline 0.5 not beaten in 2 records; best 0.8 (step 2)\n';

  it('gives watch its stop rules, as the flags would', async () => {
    const dir = folder({ monitor: 'loss', patience: 1, baselineValue: 0.5, startFrom: 1 });
    const fromConfig = await runInProcess(['watch', '--quiet'], { input: log, cwd: dir });
    const fromFlags = await runInProcess(['watch', '--quiet', '--monitor', 'loss', '--patience', '1', '--baseline-value', '0.5', '--start-from', '1'], { input: log });
    expect(fromConfig.stderr).toBe(STOP);
    expect(fromFlags.stderr).toBe(STOP);
  });

  it('reads the old names warmup and baseline as startFrom and baselineValue, with a note each', async () => {
    const dir = folder({ monitor: 'loss', patience: 1, baseline: 0.5, warmup: 1 });
    const old = await runInProcess(['watch', '--quiet'], { input: log, cwd: dir });
    const file = join(dir, 'vizmeta.config.json');
    expect(old.stderr).toBe([
      `vizmeta: ${file}: stop.baseline is now stop.baselineValue, as the flag --baseline-value; read as that`,
      `vizmeta: ${file}: stop.warmup is now stop.startFrom, as the flag --start-from; read as that`,
    ].join('\n') + `\n${STOP}`);
  });

  it('lets a flag win over its field, and refuses a field given under both names', async () => {
    const dir = folder({ monitor: 'loss', patience: 1, baselineValue: 0.5, startFrom: 1 });
    const flagWins = await runInProcess(['watch', '--quiet', '--patience', '5'], { input: log, cwd: dir });
    expect(flagWins.stderr).toBe('');
    const both = await runInProcess(['watch', '--quiet'], { input: log, cwd: folder({ monitor: 'loss', warmup: 1, startFrom: 1 }) });
    expect(both.status).toBe(2);
    expect(both.stderr).toMatch(/stop\.warmup is the old name of stop\.startFrom: give one of them/);
  });
});

describe('gate --format csv', () => {
  it('writes one row per check, as the other tabular commands write csv', async () => {
    const result = await runInProcess(['gate', '--format', 'csv', '--when', 'accuracy >= 0.9', RUN, RUNS[1] as string]);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe([
      'execution,condition,status,key,aggregate,value,message',
      `${RUN},accuracy >= 0.9,pass,accuracy,latest,0.9124000072479248,accuracy = 0.9124 (latest)`,
      `${RUNS[1] as string},accuracy >= 0.9,fail,accuracy,latest,0.8736000061035156,accuracy = 0.8736 (latest) — needs >= 0.9`,
    ].join('\n') + '\n');
  });
});
