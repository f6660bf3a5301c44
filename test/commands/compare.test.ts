import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'vizmeta-compare-'));
/** Writes a log in `dir` and returns its name: the CLI runs there, so messages name it short. */
const at = (name: string, text: string): string => {
  writeFileSync(join(dir, name), text);
  return name;
};
// Two Hugging Face Trainer runs as their stdout reads: a config print, then Python dicts.
const main = at('main.log', [
  '{"seed": 42, "per_device_train_batch_size": 16, "model": "bert-base-uncased"}',
  "{'loss': 0.6931, 'grad_norm': 8.1, 'learning_rate': 5e-05, 'epoch': 0.5, 'step': 500}",
  "{'loss': 0.52, 'grad_norm': 6.2, 'learning_rate': 2.5e-05, 'epoch': 1.0, 'step': 1000}",
  "{'eval_loss': 0.48, 'eval_accuracy': 0.81, 'eval_runtime': 2.1, 'eval_samples_per_second': 190.5, 'epoch': 1.0, 'step': 1000}",
].join('\n') + '\n');
const pr = at('pr.log', [
  '{"seed": 45, "per_device_train_batch_size": 16, "model": "bert-base-uncased"}',
  "{'loss': 0.66, 'grad_norm': 7.9, 'learning_rate': 5e-05, 'epoch': 0.5, 'step': 1000}",
  "{'loss': 0.5, 'grad_norm': 5.1, 'learning_rate': 2.5e-05, 'epoch': 1.0, 'step': 2000}",
  "{'eval_loss': 0.47, 'eval_accuracy': 0.83, 'eval_runtime': 2.6, 'eval_samples_per_second': 150.2, 'epoch': 1.0, 'step': 2000}",
].join('\n') + '\n');

describe('compare', () => {
  it('needs two executions', async () => {
    const result = await runCli(['compare', 'fixtures/runs/run-1.log']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('at least two executions');
  });

  it('gives identical results with worker threads and in-process', async () => {
    const files = Array.from({ length: 8 }, (_, i) => `fixtures/runs/run-${i + 1}.log`);
    const one = await runCli(['sort', '--by', 'accuracy', '--format', 'json', '--keys', 'all', '--jobs', '1', ...files]);
    const two = await runCli(['sort', '--by', 'accuracy', '--format', 'json', '--keys', 'all', '--jobs', '2', ...files]);
    expect(one.status).toBe(0);
    expect(two.stdout).toBe(one.stdout);
  });

  it('markdown on two Hugging Face logs: no verdict for step or seed, higher is better for eval_samples_per_second', async () => {
    const result = await runCli(['compare', '--format', 'markdown', main, pr], { cwd: dir });
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    const lines = result.stdout.split('\n');
    const row = (key: string): string => lines.find((line) => line.startsWith(`| ${key} |`)) ?? `no ${key} row`;
    expect(row('step')).toBe('| step |  | 1000 | 2000 (+1000) |');
    expect(row('epoch')).toBe('| epoch |  | 1 | 1 (±0) |');
    expect(row('eval_samples_per_second')).toBe('| eval_samples_per_second | higher is better | 190.5 | **150.2 (-40.3, worse)** |');
    expect(row('eval_accuracy')).toBe('| eval_accuracy | higher is better | 0.81 | 0.83 (+0.02, better) |');
    expect(row('eval_loss')).toBe('| eval_loss | lower is better | 0.48 | 0.47 (-0.01, better) |');
    expect(row('learning_rate')).toBe('| learning_rate |  | 2.5e-5 | 2.5e-5 (±0) |');
    // Printed once and with no direction: a setting by the vocabulary, shown side by side.
    expect(row('eval_runtime')).toBe('| eval_runtime | 2.1 | ≠ 2.6 |');
    // Settings: their own table, side by side, the one that differs marked.
    expect(lines).toContain('| setting | main.log (base) | pr.log |');
    expect(row('seed')).toBe('| seed | 42 | ≠ 45 |');
    expect(row('per_device_train_batch_size')).toBe('| per_device_train_batch_size | 16 | 16 |');
    expect(row('model')).toBe('| model | bert-base-uncased | bert-base-uncased |');
    for (const key of ['step', 'epoch', 'seed', 'learning_rate', 'eval_runtime']) expect(row(key)).not.toMatch(/better|worse/);
  });

  it('refuses a --keys key no input has (exit 2), naming the closest; a key one input lacks is fine', async () => {
    const unknown = await runCli(['compare', '--keys', 'eval_los,seed', main, pr], { cwd: dir });
    expect(unknown.status).toBe(2);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toBe('vizmeta: no key "eval_los" in 2 inputs; did you mean eval_loss?\n');
    const joined = await runCli(['compare', '--join', 'step', '--keys', 'los', main, pr], { cwd: dir });
    expect(joined.status).toBe(2);
    expect(joined.stderr).toBe('vizmeta: no key "los" in 2 inputs; did you mean loss or eval_loss?\n');
    const partial = at('partial.log', '{"step": 3, "loss": 0.2, "extra": 1}\n');
    const fine = await runCli(['compare', '--format', 'csv', '--keys', 'metadata.extra', main, partial], { cwd: dir });
    expect(fine.status).toBe(0);
    expect(fine.stdout).toBe('key,direction,role,main.log,partial.log,partial.log delta\nextra,neutral,setting,,1,\n');
  });
});
