/**
 * Helpers for the bounds of issue 15 items 15 and 16: how time grows with input size (a ratio
 * measured in the same test, never an absolute time: the machine is shared and noisy), and a
 * memory watchdog around the built CLI, so that a regression fails the test instead of taking the
 * machine down.
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { BIN_PATH, NODE, cliEnv, procStatusKb } from './faults.js';

/** The best of `runs` timings of `work()`, in ms: the least disturbed by other work on the machine. */
export function bestTime(work: () => void, runs = 3): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    work();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

/**
 * How much longer `work(4n)` takes than `work(n)`: about 4 when linear, 16 when quadratic. Tests
 * require < 8, which an O(n log n) step passes and a quadratic one fails.
 */
export function growthOf(work: (n: number) => void, n: number): { small: number; large: number; ratio: number } {
  work(n); // warm up the JIT
  // The best of several runs, and of three tries: a test file running beside others is slowed
  // now and then, never sped up, and a quadratic step never looks linear by chance (a ratio of
  // 12 or more is not retried: that is no noise).
  let best = { small: 0, large: 0, ratio: Infinity };
  for (let attempt = 0; attempt < 3 && best.ratio >= 6 && (attempt === 0 || best.ratio < 12); attempt++) {
    const small = bestTime(() => work(n), 5);
    const large = bestTime(() => work(4 * n), 3);
    const ratio = large / Math.max(small, 0.5);
    if (ratio < best.ratio) best = { small, large, ratio };
  }
  return best;
}

export interface WatchedRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  /** The first 1 MB of stdout. */
  stdout: string;
  /** Lines written to stdout in all. */
  stdoutLines: number;
  stderr: string;
  /** Peak resident memory (VmHWM) seen, in MB. */
  peakMb: number;
  /** Killed by the watchdog for passing `killMb`. */
  killed: boolean;
}

/**
 * Runs the built CLI with `args` and samples its VmHWM every 20 ms, killing it (SIGKILL) past
 * `killMb`. `heapMb` caps V8's old space too, so a runaway heap ends in an abort well before the
 * machine runs short.
 */
export function runWatched(args: readonly string[], options: { killMb: number; heapMb?: number; input?: string; timeoutMs?: number }): Promise<WatchedRun> {
  const heap = options.heapMb !== undefined ? [`--max-old-space-size=${options.heapMb}`] : [];
  const child = spawn(NODE, [...heap, BIN_PATH, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: cliEnv() });
  let stdout = '';
  let stderr = '';
  let stdoutLines = 0;
  child.stdout.on('data', (chunk: Buffer) => {
    if (stdout.length < 1_000_000) stdout += chunk.toString();
    for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) stdoutLines++;
  });
  child.stderr.on('data', (chunk: Buffer) => { if (stderr.length < 1_000_000) stderr += chunk.toString(); });
  child.stdin.on('error', () => { /* the CLI may stop reading early */ });
  child.stdin.end(options.input ?? '');
  let peak = 0;
  let killed = false;
  const pid = child.pid as number;
  const timer = setInterval(() => {
    const kb = procStatusKb(pid, 'VmHWM');
    if (kb === undefined) return;
    peak = Math.max(peak, kb / 1024);
    if (peak > options.killMb && !killed) {
      killed = true;
      child.kill('SIGKILL');
    }
  }, 20);
  const deadline = setTimeout(() => { killed = true; child.kill('SIGKILL'); }, options.timeoutMs ?? 120_000);
  return new Promise((resolve) => {
    child.on('close', (status, signal) => {
      clearInterval(timer);
      clearTimeout(deadline);
      resolve({ status, signal, stdout, stdoutLines, stderr, peakMb: peak, killed });
    });
  });
}
