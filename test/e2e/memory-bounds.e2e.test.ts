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
