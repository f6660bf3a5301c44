/**
 * Real training jobs under `vizmeta run`: a tiny Keras 3 (torch backend) model, a Lightning module
 * and a Hugging Face Trainer, each trained for a few seconds by test/children/frameworks/*.py and
 * piped through the built CLI. What vizmeta reads must be what the framework itself computed (the
 * scripts write it with --truth), and the final dashboard must chart it.
 *
 * Needs the frameworks' wheels: scripts/framework-venv.sh builds a venv from the local wheels
 * (≈70 s once, then reused). Where they are absent the tests are skipped, saying why.
 * `VIZMETA_FRAMEWORK_TESTS=0` skips them on purpose.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/run-cli.js';

function frameworkPython(): { python?: string; why?: string } {
  if (process.env['VIZMETA_FRAMEWORK_TESTS'] === '0') return { why: 'VIZMETA_FRAMEWORK_TESTS=0' };
  const setup = spawnSync('bash', [join(ROOT, 'scripts/framework-venv.sh')], { encoding: 'utf8', timeout: 600_000 });
  if (setup.status !== 0) return { why: (setup.stderr || `framework-venv.sh exited ${setup.status}`).trim() };
  return { python: setup.stdout.trim() };
}

const { python, why } = frameworkPython();
if (python === undefined) process.stderr.write(`test/e2e/frameworks.e2e.test.ts skipped: ${why}\n`);

const CHILDREN = join(ROOT, 'test/children/frameworks');
const dir = mkdtempSync(join(tmpdir(), 'vizmeta-frameworks-'));

/** Trains one script under `vizmeta run --save`, then reads the saved log back with `extract`. */
async function train(name: string, script: string, args: string[] = []) {
  const truth = join(dir, `${name}.truth.json`);
  const saved = join(dir, `${name}.log`);
  const env = { COLUMNS: '120', LINES: '40', VIZMETA_FRAMEWORK_OUT: join(dir, name) };
  const run = await runCli(['run', '--save', saved, '--', python as string, join(CHILDREN, script), '--truth', truth, ...args], { env, timeoutMs: 110_000 });
  const extracted = await runCli(['extract', saved]);
  const records = extracted.stdout.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
  return { run, records, truth: JSON.parse(readFileSync(truth, 'utf8')) as Record<string, unknown> };
}

/** The record count in the final dashboard's header: `vizmeta run · … · 3 records`. */
function dashboardRecords(stdout: string): number {
  const header = stdout.split('\n').find((line) => line.startsWith('vizmeta run'));
  const m = header === undefined ? null : /· ([\d,]+) records?\b/.exec(header);
  return m ? Number((m[1] as string).replace(/,/g, '')) : NaN;
}

function close(read: unknown, exact: unknown, tolerance: number): boolean {
  return typeof read === 'number' && typeof exact === 'number' && Math.abs(read - exact) <= tolerance * Math.max(1, Math.abs(exact));
}

describe.skipIf(python === undefined)('real training jobs under vizmeta run', () => {
  it('Keras 3 model.fit (verbose=1): one record per epoch with History\'s values, charted', async () => {
    const { run, records, truth } = await train('keras', 'keras_train.py', ['--verbose', '1', '--step-delay', '0']);
    expect(run.status).toBe(0);
    const epochs = truth['epochs'] as Array<Record<string, number>>;
    expect(records.map((r) => r['epoch'])).toEqual(epochs.map((e) => e['epoch']));
    records.forEach((record, i) => {
      for (const key of ['loss', 'accuracy', 'val_loss', 'val_accuracy']) expect(close(record[key], epochs[i]![key], 5e-4), key).toBe(true);
    });
    expect(dashboardRecords(run.stdout)).toBe(epochs.length);
    expect(run.stdout).toMatch(/val_loss/);
  }, 120_000);

  it('Lightning: the JSON printed after the tqdm bar is read, one record per epoch', async () => {
    const { run, records, truth } = await train('lightning', 'lightning_train.py');
    expect(run.status).toBe(0);
    const epochs = truth['epochs'] as Array<Record<string, number>>;
    const printed = records.filter((r) => 'val_loss' in r);
    expect(printed.map((r) => r['epoch'])).toEqual(epochs.map((e) => e['epoch']));
    printed.forEach((record, i) => expect(close(record['val_loss'], epochs[i]!['val_loss'], 1e-6)).toBe(true));
    expect(dashboardRecords(run.stdout)).toBe(records.length);
  }, 120_000);

  it('Hugging Face Trainer (Transformers 5 prints strings): every logged dict, as numbers', async () => {
    const { run, records, truth } = await train('hf', 'hf_train.py');
    expect(run.status).toBe(0);
    const history = truth['log_history'] as Array<Record<string, number>>;
    expect(records).toHaveLength(history.length);
    records.forEach((record, i) => {
      for (const [key, value] of Object.entries(record)) {
        if (key === '_time') continue;
        expect(close(value, history[i]![key], 1e-3), `${i}.${key}`).toBe(true);
      }
    });
    expect(dashboardRecords(run.stdout)).toBe(history.length);
    expect(run.stdout).toMatch(/eval_loss/);
  }, 120_000);
});
