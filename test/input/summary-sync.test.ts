/**
 * summarizeFileSync (what the worker threads read with) and summarizeFileAhead (one big log read
 * while parsed) give exactly what summarizeFile gives: on every fixture, on a file bigger than one
 * read chunk, and on inputs that cannot be read.
 */
import { mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { summarizeFile, summarizeFileAhead, summarizeFileSync, type SummarizeOptions } from '../../src/input/executions.js';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

// A fixed clock: records without a time of their own get the reading time.
const read = { now: () => 0 } as SummarizeOptions['read'];
const variants: SummarizeOptions[] = [
  { read, keys: 'all', history: 'all' },
  { read, keys: new Set(['accuracy', 'loss', 'val.loss']), history: new Set(['accuracy']) },
];

describe('summarizeFileSync', () => {
  it('equals summarizeFile on every fixture', async () => {
    for (const path of filesUnder('fixtures')) {
      for (const options of variants) {
        const expected = await summarizeFile(path, options);
        expect(summarizeFileSync(path, options), path).toEqual(expected);
        expect(await summarizeFileAhead(path, options), path).toEqual(expected);
      }
    }
  });

  it('equals summarizeFile on a file read in several chunks, and on unreadable inputs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vizmeta-sync-'));
    const big = join(dir, 'big.log');
    // Lines of varying length so chunk edges fall inside lines; about 3 MB.
    writeFileSync(big, Array.from({ length: 40_000 }, (_, i) => (i % 7 === 0 ? `epoch ${i} ${'#'.repeat(i % 50)}` : JSON.stringify({ step: i, accuracy: i / 40_000, loss: 1 / (i + 1), val: { loss: i % 13 } }))).join('\n'));
    mkdirSync(join(dir, 'folder'));
    for (const path of [big, join(dir, 'missing.log'), join(dir, 'folder')]) {
      for (const options of variants) {
        const expected = await summarizeFile(path, options);
        expect(summarizeFileSync(path, options), path).toEqual(expected);
        expect(await summarizeFileAhead(path, options), path).toEqual(expected);
      }
    }
    expect(summarizeFileSync(big, variants[0]).records).toBeGreaterThan(30_000);
  });
});
