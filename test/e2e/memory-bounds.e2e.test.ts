/**
 * Issue 15, item 15: inputs that grow without end stay within a documented memory bound, or stop
 * with one clear error (exit 2) that names the limit and the flag that raises it. The built CLI
 * runs under a watchdog (VmHWM sampled every 20 ms, SIGKILL past a bound, V8's heap capped), so
 * a regression fails here instead of taking the machine down.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runWatched } from '../helpers/limits.js';

let dir = '';

/** A file of `n` lines made by `line(i)`, written in pieces. */
function writeLines(name: string, n: number, line: (i: number) => string, head = ''): string {
  const path = join(dir, name);
  const parts: string[] = [head];
  for (let i = 0; i < n; i++) parts.push(line(i));
  writeFileSync(path, parts.join(''));
  return path;
}

/** A seeded generator, so every run reads the same file. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vizmeta-bounds-'));
});

describe('roc keeps 8 bytes a score, and --max-rows bounds the rows (issue 15, item 15)', () => {
  it('2M rows of raw scores: the exact curve in under 400 MB (1.7 GB before)', async () => {
    const random = seeded(7);
    const csv = writeLines('scores.csv', 2_000_000, () => `${random() < 0.5 ? 1 : 0},${random().toFixed(6)}\n`, 'target,score\n');
    const run = await runWatched(['roc', '--format', 'json', csv], { killMb: 600, heapMb: 1024 });
    expect(run.killed, `killed at ${run.peakMb.toFixed(0)} MB`).toBe(false);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const [curve] = JSON.parse(run.stdout) as Array<{ form: string; auc: number; fpr: number[] }>;
    expect(curve?.form).toBe('scores-csv');
    expect(curve?.auc).toBeGreaterThan(0.49);
    expect(curve?.auc).toBeLessThan(0.51);
    expect(run.peakMb).toBeLessThan(400);
  }, 120_000);

  it('more rows than --max-rows: one line naming the limit and how to raise it, exit 2', async () => {
    const csv = writeLines('small.csv', 5000, (i) => `${i % 2},${(i % 97) / 97}\n`, 'target,score\n');
    const run = await runWatched(['roc', '--max-rows', '1000', csv], { killMb: 600 });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`vizmeta: ${csv}: more than 1000 rows of ROC data (the --max-rows limit: an exact curve keeps every score, 8 bytes a row); raise it with --max-rows N\n`);
    const jsonl = writeLines('small.jsonl', 3000, (i) => `{"target": ${i % 2}, "score": ${(i % 89) / 89}}\n`);
    const log = await runWatched(['roc', '--max-rows', '1000', jsonl], { killMb: 600 });
    expect(log.status).toBe(2);
    expect(log.stderr).toMatch(/more than 1000 rows of ROC data \(the --max-rows limit/);
  }, 60_000);
});

describe('table --group-by keeps at most --max-groups groups (issue 15, item 15)', () => {
  it('1M distinct values: stops at 100,000 groups with one error and no table, exit 2 (1.2 GB before)', async () => {
    const log = writeLines('groups.log', 1_000_000, (i) => `{"id": ${i}, "loss": 0.5}\n`);
    const run = await runWatched(['table', '--group-by', 'id', log], { killMb: 600, heapMb: 1024 });
    expect(run.killed, `killed at ${run.peakMb.toFixed(0)} MB`).toBe(false);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('vizmeta: --group-by id: more than 100000 groups (the --max-groups limit); raise it with --max-groups N\n');
    expect(run.peakMb).toBeLessThan(400);
  }, 120_000);

  it('--max-groups raises the bound, and a table within it is whole', async () => {
    const log = writeLines('few-groups.log', 3000, (i) => `{"id": ${i % 300}, "loss": ${i}}\n`);
    const under = await runWatched(['table', '--group-by', 'id', '--max-groups', '300', '--format', 'csv', log], { killMb: 600 });
    expect(under.status).toBe(0);
    expect(under.stdout.trim().split('\n')).toHaveLength(301);
    const over = await runWatched(['table', '--group-by', 'id', '--max-groups', '299', log, log], { killMb: 600 });
    expect(over.status).toBe(2);
    // Said once, though the second file meets the limit too.
    expect(over.stderr).toBe('vizmeta: --group-by id: more than 299 groups (the --max-groups limit); raise it with --max-groups N\n');
  }, 60_000);
});

describe('keys that first appear late are named 20 times, then counted (issue 15, item 15)', () => {
  it('30,000 new keys after the first rows: 20 lines and one count, not 29,000 lines', async () => {
    const log = writeLines('keys.log', 30_000, (i) => `{"key_${i}": ${i}}\n`);
    const run = await runWatched(['table', '--format', 'csv', log], { killMb: 600 });
    expect(run.status).toBe(0);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(21);
    expect(lines[0]).toBe("vizmeta: key 'key_1000' first appears after the first 1000 rows, which fixed the columns; name it with --keys");
    expect(lines[20]).toBe('vizmeta: … and 28980 more keys first appear after the first 1000 rows; name them with --keys');
    expect(run.stdoutLines).toBe(30_001);
  }, 60_000);
});

describe('stats and compare keep at most --max-keys keys (issue 15, item 15)', () => {
  it('a log of 1M distinct keys: stats and compare stop at 20,000 with one error, exit 2 (3.8 GB and 1.8 GB before)', async () => {
    const log = writeLines('wide.log', 1_000_000, (i) => `{"key_${i}": ${i}}\n`);
    const other = writeLines('one.log', 1, () => '{"loss": 0.5}\n');
    const stats = await runWatched(['stats', log], { killMb: 600, heapMb: 1024 });
    expect(stats.killed, `killed at ${stats.peakMb.toFixed(0)} MB`).toBe(false);
    expect(stats.status).toBe(2);
    expect(stats.stdout).toBe('');
    expect(stats.stderr).toBe(`vizmeta: ${log}:20001: more than 20000 distinct keys (the --max-keys limit); name the keys with --keys, or raise it with --max-keys N\n`);
    expect(stats.peakMb).toBeLessThan(300);
    const compare = await runWatched(['compare', log, other], { killMb: 600, heapMb: 1024 });
    expect(compare.killed, `killed at ${compare.peakMb.toFixed(0)} MB`).toBe(false);
    expect(compare.status).toBe(2);
    expect(compare.stdout).toBe('');
    expect(compare.stderr).toBe(`vizmeta: ${log}: more than 20000 distinct keys (the --max-keys limit); name the keys with --keys, or raise it with --max-keys N\n`);
    expect(compare.peakMb).toBeLessThan(300);
  }, 120_000);

  it('--max-keys raises the bound; --keys names the few wanted', async () => {
    const log = writeLines('wider.log', 3000, (i) => `{"key_${i}": ${i}, "loss": ${i / 3000}}\n`);
    const other = writeLines('two.log', 1, () => '{"loss": 0.5}\n');
    expect((await runWatched(['stats', '--format', 'csv', log], { killMb: 600 })).status).toBe(0);
    const under = await runWatched(['stats', '--max-keys', '2000', '--keys', 'loss', '--format', 'csv', log], { killMb: 600 });
    expect(under.status).toBe(0);
    expect(under.stdout.split('\n')[1]).toMatch(/^loss,/);
    const over = await runWatched(['stats', '--max-keys', '2000', log, log], { killMb: 600 });
    expect(over.status).toBe(2);
    // Line 1 holds key_0 and loss: the 2,001st key is key_1999, on line 2000.
    expect(over.stderr).toBe(`vizmeta: ${log}:2000: more than 2000 distinct keys (the --max-keys limit); name the keys with --keys, or raise it with --max-keys N\n`);
    expect((await runWatched(['compare', '--max-keys', '2000', log, other], { killMb: 600 })).status).toBe(2);
    const keyed = await runWatched(['compare', '--max-keys', '2000', '--keys', 'loss', '--format', 'csv', log, other], { killMb: 600 });
    expect(keyed.status).toBe(0);
    expect(keyed.stdout).toContain('loss');
  }, 60_000);
});
