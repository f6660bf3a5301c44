/**
 * Runs the CLI in-process with fake streams, for the matrix, roc and view command tests.
 */
import { PassThrough, Readable } from 'node:stream';
import type { CommandIO } from '../../src/core/io.js';
import { main } from '../../src/program.js';
import { ROOT } from './run-cli.js';

export interface InProcessResult {
  stdout: string;
  stderr: string;
  status: number;
}

export async function runInProcess(args: string[], options: { input?: string; columns?: number; cwd?: string; env?: Record<string, string> } = {}): Promise<InProcessResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk));
  stderr.on('data', (chunk: Buffer) => err.push(chunk));
  const io: CommandIO = {
    stdin: Readable.from(options.input === undefined ? [] : [Buffer.from(options.input)]),
    stdout,
    stderr,
    stdinIsTTY: false,
    stdoutIsTTY: false,
    columns: options.columns ?? 100,
    rows: 40,
    env: { NO_COLOR: '1', ...options.env },
    cwd: options.cwd ?? ROOT,
  };
  const status = await main(args, io);
  return { stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), status };
}
