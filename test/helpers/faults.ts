/**
 * Helpers for the fault suites: run the built binary with any stdio, hash a big stdout without
 * keeping it, watch a process's peak memory, and run a command inside a pseudo-terminal.
 */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { createHash, type Hash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { BIN, ROOT } from './run-cli.js';

export const NODE = process.execPath;
export const FAULT_CHILDREN = join(ROOT, 'test/children/faults');
export const FLOOD = join(FAULT_CHILDREN, 'flood.mjs');
export const SLOW = process.env['VIZMETA_SLOW_TESTS'] === '1';

export const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', COLUMNS: '100', ...extra };
}

/** Starts `node bin/vizmeta.js ARGS` with the given stdio. */
export function startCli(args: readonly string[], stdio: StdioOptions, env: Record<string, string> = {}): ChildProcess {
  return spawn(NODE, [BIN, ...args], { cwd: ROOT, env: cliEnv(env), stdio });
}

export interface Exit {
  status: number | null;
  signal: NodeJS.Signals | null;
}

export function exited(child: ChildProcess): Promise<Exit> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve({ status: child.exitCode, signal: child.signalCode });
    else child.once('close', (status, signal) => resolve({ status, signal }));
  });
}

/**
 * Hashes a stream's first N bytes (N known only at the end) and keeps what follows: everything but
 * the last `holdBack` bytes is hashed as it arrives, so a 500 MB stdout costs no memory.
 */
export class PrefixHasher {
  private readonly hash: Hash = createHash('sha256');
  private held: Buffer[] = [];
  private heldBytes = 0;
  private hashed = 0;
  total = 0;

  constructor(private readonly holdBack = 8 * 1024 * 1024) {}

  push(chunk: Buffer): void {
    this.total += chunk.length;
    this.held.push(chunk);
    this.heldBytes += chunk.length;
    while (this.held.length > 1 && this.heldBytes - (this.held[0] as Buffer).length >= this.holdBack) {
      const first = this.held.shift() as Buffer;
      this.heldBytes -= first.length;
      this.hash.update(first);
      this.hashed += first.length;
    }
  }

  /** The sha256 of the first `length` bytes, and the bytes after them. */
  finish(length: number): { sha: string; rest: Buffer } {
    const tail = Buffer.concat(this.held);
    const cut = length - this.hashed;
    if (cut < 0 || cut > tail.length) throw new Error(`cannot split at ${length}: ${this.hashed} hashed, ${tail.length} held`);
    this.hash.update(tail.subarray(0, cut));
    return { sha: this.hash.digest('hex'), rest: tail.subarray(cut) };
  }
}

/** Collects a stream's bytes through a {@link PrefixHasher}; `pauseMs` first leaves it unread (a slow reader). */
export function hashStream(stream: Readable, pauseMs = 0): { hasher: PrefixHasher; done: Promise<void> } {
  const hasher = new PrefixHasher();
  const done = new Promise<void>((resolve, reject) => {
    const start = (): void => {
      stream.on('data', (chunk: Buffer) => hasher.push(chunk));
      stream.once('end', resolve);
      stream.once('error', reject);
      stream.resume();
    };
    if (pauseMs > 0) {
      stream.pause();
      setTimeout(start, pauseMs);
    } else start();
  });
  return { hasher, done };
}

/** A field of /proc/PID/status in kB (VmHWM, VmRSS), or undefined once the process is gone. */
export function procStatusKb(pid: number, field: string): number | undefined {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Bytes a process has written so far (/proc/PID/io wchar). */
export function bytesWritten(pid: number): number | undefined {
  try {
    const m = /^wchar:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Samples a process's peak resident memory (VmHWM) until it exits; `peakMb()` is the largest seen. */
export function watchPeakMemory(pid: number, everyMs = 20): { peakMb(): number; stop(): void } {
  let peak = 0;
  const sample = (): void => {
    const kb = procStatusKb(pid, 'VmHWM');
    if (kb !== undefined) peak = Math.max(peak, kb);
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    peakMb: () => peak / 1024,
    stop: () => clearInterval(timer),
  };
}

/** Reads a saved flood report: `<bytes> <sha256>`. */
export function readReport(path: string): { bytes: number; sha: string } {
  const [bytes, sha] = readFileSync(path, 'utf8').trim().split(' ');
  return { bytes: Number(bytes), sha: sha ?? '' };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs a shell command line inside a pseudo-terminal (util-linux `script`), so vizmeta's stdout is
 * a TTY. What is written to `input` reaches the terminal as typed (`\x03` is Ctrl-C); `output`
 * collects the raw bytes the terminal received. The exit status is the command's (`--return`).
 */
export function inPty(commandLine: string, options: { rows?: number; columns?: number; env?: Record<string, string> } = {}): {
  child: ChildProcess;
  output: () => Buffer;
  type: (text: string) => void;
  done: Promise<Exit>;
} {
  const rows = options.rows ?? 30;
  const columns = options.columns ?? 100;
  // The terminal's size is set inside it, before the command starts.
  const line = `stty rows ${rows} cols ${columns}; exec ${commandLine}`;
  const child = spawn('script', ['-qfec', line, '/dev/null'], {
    cwd: ROOT,
    env: { ...process.env, TERM: 'xterm-256color', NO_COLOR: '1', FORCE_COLOR: '', ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const chunks: Buffer[] = [];
  child.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => chunks.push(chunk));
  child.stdin?.on('error', () => {});
  return {
    child,
    output: () => Buffer.concat(chunks),
    type: (text) => child.stdin?.write(text),
    done: exited(child),
  };
}

/** Resolves once `predicate()` holds, polling; rejects after `timeoutMs`. */
export async function until(predicate: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

export const BIN_PATH = BIN;
