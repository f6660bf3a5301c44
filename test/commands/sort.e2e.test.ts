import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'vizmeta-sort-'));
/** Writes a log in `dir` and returns its name: the CLI runs there, so messages name it short. */
const at = (name: string, text: string): string => {
  writeFileSync(join(dir, name), text);
  return name;
};
const train = at('train.log', '{"step": 1, "loss": 0.9, "lr": 0.1}\n{"step": 2, "loss": 0.4, "lr": 0.01}\n');
const other = at('other.log', '{"step": 1, "loss": 0.2, "lr": 0.3, "val": {"loss": 0.25}}\n');
const text = at('text.log', '{"step": 1, "loss": "0.3", "lr": "0.2"}\n');

describe('vizmeta sort (built binary)', () => {
  it('refuses a key no input has (exit 2), naming the closest keys', async () => {
    const one = await runCli(['sort', '--by', 'los', train], { cwd: dir });
    expect(one.status).toBe(2);
    expect(one.stdout).toBe('');
    expect(one.stderr).toBe('vizmeta: no key "los" in train.log; did you mean loss?\n');
    const two = await runCli(['sort', '--by', 'loss', '--keys', 'metadata.lrr', train, other], { cwd: dir });
    expect(two.status).toBe(2);
    expect(two.stderr).toBe('vizmeta: no key "lrr" in 2 inputs; did you mean lr?\n');
    // The closest key may be one only stdin has, which cannot be read twice.
    const piped = await runCli(['sort', '--by', 'zzz_los', '--keys', 'step', '-', train], { cwd: dir, input: '{"zzz_loss": 1}\n' });
    expect(piped.status).toBe(2);
    expect(piped.stderr).toBe('vizmeta: no key "zzz_los" in 2 inputs; did you mean zzz_loss?\n');
  });

  it('accepts a key some inputs lack, metadata. and dotted paths', async () => {
    const nested = await runCli(['sort', '--by', 'metadata.val.loss', '--format', 'json', '--keys', 'loss', train, other], { cwd: dir });
    expect(nested.status).toBe(0);
    expect(JSON.parse(nested.stdout)).toEqual([{ execution: 'other.log', 'val.loss': 0.25, loss: 0.2 }, { execution: 'train.log', 'val.loss': null, loss: 0.4 }]);
  });

  it('puts the best first by the key\'s direction and says so; a numeric string is a number', async () => {
    const loss = await runCli(['sort', '--by', 'loss', train, other, text], { cwd: dir });
    expect(loss.status).toBe(0);
    expect(loss.stdout.split('\n').filter((line) => /^\d/.test(line)).map((line) => line.split(/\s+/)[1])).toEqual(['other.log', 'text.log', 'train.log']);
    expect(loss.stdout).toContain('sorted by loss, lowest first: lower is better\n');
    const lr = await runCli(['sort', '--by', 'lr', '--format', 'csv', '--keys', 'step', train, other, text], { cwd: dir });
    expect(lr.stdout).toBe('execution,lr,step\nother.log,0.3,1\ntext.log,0.2,1\ntrain.log,0.01,2\n');
    const lower = await runCli(['sort', '--by', 'lr', '--lower-is-better', 'lr', train, other], { cwd: dir });
    expect(lower.stdout).toContain('sorted by lr, lowest first: lower is better\n');
    const both = await runCli(['sort', '--by', 'lr', '--asc', '--desc', train], { cwd: dir });
    expect(both.status).toBe(2);
    expect(both.stderr).toBe('vizmeta: --asc and --desc cannot be used together\n');
  });
});
