import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../helpers/run-cli.js';

/** Runs the built CLI with its stdout read end closed before anything is written. */
function statusWithClosedStdout(args: string[]): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, NO_COLOR: '1' } });
    child.stdout.destroy();
    child.on('error', reject);
    child.on('close', (status) => resolve(status));
  });
}

describe('gate with a closed stdout', () => {
  it('keeps its failing status when the reader has gone (gate | head)', async () => {
    expect(await statusWithClosedStdout(['gate', '--when', 'accuracy > 0.99', 'fixtures/runs/run-1.log', 'fixtures/runs/run-7.log'])).toBe(1);
  });

  it('keeps its passing status too', async () => {
    expect(await statusWithClosedStdout(['gate', '--when', 'accuracy > 0.5', 'fixtures/runs/run-1.log'])).toBe(0);
  });

  it('extract still ends quietly with 0', async () => {
    expect(await statusWithClosedStdout(['extract', 'fixtures/runs/run-1.log'])).toBe(0);
  });
});
