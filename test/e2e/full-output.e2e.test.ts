/**
 * vizmeta's own stdout failing (a full disk, `… >/dev/full`): one line on stderr and exit 2, an
 * I/O error like an unreadable input; never a stack trace, and never the 1 of a failed gate
 * (issue 15, item 2). A closed pipe stays a quiet end, and a gate keeps its answer there.
 */
import { spawnSync } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../helpers/run-cli.js';

const RUN = join(ROOT, 'fixtures/runs/run-1.log');

function toFull(args: string[]): { status: number | null; stderr: string } {
  const full = openSync('/dev/full', 'w');
  try {
    const result = spawnSync(process.execPath, [BIN, ...args], { stdio: ['ignore', full, 'pipe'], encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 30_000 });
    return { status: result.status, stderr: result.stderr };
  } finally {
    closeSync(full);
  }
}

describe.skipIf(process.platform !== 'linux')('stdout on a full disk', () => {
  it.each([
    [['extract', RUN]],
    [['sort', '--by', 'loss', RUN]],
    [['stats', RUN]],
    [['watch', '--quiet', RUN]],
    [['gate', '--when', 'accuracy > 0', RUN]],
    [['gate', '--when', 'accuracy > 2', RUN]],
  ])('%j: one line, exit 2', (args) => {
    const result = toFull(args);
    expect(result.stderr).toBe('vizmeta: cannot write the output: stdout: no space left on the device\n');
    expect(result.status).toBe(2);
  });
});
