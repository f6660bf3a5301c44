/**
 * An input with no records is never a silent empty result: every command that reads logs says,
 * on stderr, which input, how many lines, and what would read them; watch says it in the dashboard.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'vizmeta-no-records-'));
const plain = join(dir, 'plain.log');
writeFileSync(plain, 'starting\nstep done: {"loss": 0.5}\nfinished\n');
const hf = join(dir, 'hf.log');
writeFileSync(hf, "{'loss': '0.6933', 'epoch': '0.25'}\n{'loss': '0.6819', 'epoch': '0.5'}\n");
const good = join(dir, 'good.log');
writeFileSync(good, '{"loss": 0.4}\n');

const LOOSE = /plain\.log: no metadata in 3 lines; lines such as "step done: \{"loss": 0\.5\}" hold JSON after other text: --loose reads/;

describe('an input that held no records', () => {
  for (const args of [['extract'], ['stats'], ['table'], ['chart'], ['sort', '--by', 'loss'], ['compare', good]]) {
    it(`${args[0]}: one line on stderr naming the input, its lines and --loose; the other input still read`, async () => {
      const result = await runCli([...args, plain, ...(args[0] === 'compare' ? [] : [good])]);
      const lines = result.stderr.trimEnd().split('\n').filter((line) => line.includes('plain.log'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(LOOSE);
      expect(result.stdout).toMatch(/0\.4/);
    });
  }

  it('gate keeps its documented status (1: the key is missing) and says why', async () => {
    const result = await runCli(['gate', '--when', 'loss < 1', plain]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(LOOSE);
  });

  it('names the dialect a narrowed --dialect leaves out', async () => {
    const result = await runCli(['extract', '--dialect', 'json', hf]);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/hf\.log: no metadata in 2 lines; .* --dialect json,python reads them\n$/);
    const read = await runCli(['extract', hf]);
    expect(read.stdout.trim().split('\n').map((line) => JSON.parse(line).loss)).toEqual([0.6933, 0.6819]);
  });

  it('watch: the final dashboard says why instead of "waiting for metadata"', async () => {
    const result = await runCli(['watch', '--quiet', plain]);
    expect(result.stdout).not.toMatch(/waiting for metadata/);
    expect(result.stdout).toMatch(LOOSE);
  });
});
