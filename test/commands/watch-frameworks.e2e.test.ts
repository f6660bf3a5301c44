/**
 * watch over a framework's files: a TensorBoard run read once, and followed while its writer
 * appends (a record cut in half between two writes waits for the rest).
 */
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, runCli } from '../helpers/run-cli.js';

const RUN = join(ROOT, 'fixtures/frameworks/tensorboard/torch');
const records = (stdout: string): number => Number(/· (\d+) records?\b/.exec(stdout)?.[1] ?? NaN);

describe('watch over TensorBoard event files', () => {
  it('reads a run folder once and charts its scalars', async () => {
    const result = await runCli(['watch', '--quiet', RUN]);
    expect(result.status).toBe(0);
    expect(records(result.stdout)).toBe(9);
    expect(result.stdout).toMatch(/Loss\/train/);
  });

  it('--follow: records appended later, even one cut mid-record, reach the dashboard', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vizmeta-tb-follow-'));
    const name = readdirSync(RUN).find((file) => file.startsWith('events.out.tfevents.')) as string;
    const bytes = readFileSync(join(RUN, name));
    const file = join(dir, name);
    const cut = Math.floor(bytes.length / 2);
    writeFileSync(file, bytes.subarray(0, cut));
    const child = spawn(process.execPath, [BIN, 'watch', '--follow', '--quiet', dir], { env: { ...process.env, NO_COLOR: '1', COLUMNS: '100' } });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    appendFileSync(file, bytes.subarray(cut));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    child.kill('SIGINT');
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(status).toBe(130);
    expect(records(stdout)).toBe(9);
  });
});
