/**
 * Passthrough is sacred: what `watch` (stdin a pipe) and `run` (the job's stdout) write to stdout,
 * and the `--save` log without its stamps, are the job's bytes exactly (compared by sha256) —
 * invalid UTF-8, NUL, `\r` without `\n`, a last line without newline, a 50 MB line, and a writer
 * flooding 100 MB (500 MB with VIZMETA_SLOW_TESTS=1) as fast as it can, with backpressure: the
 * writer is held back while nobody reads, and vizmeta's peak memory stays bounded.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unstampEach, unstampLog } from '../../src/live/save.js';
import {
  FLOOD,
  NODE,
  SLOW,
  bytesWritten,
  exited,
  hashStream,
  readReport,
  sleep,
  startCli,
  watchPeakMemory,
} from '../helpers/faults.js';

const FLOOD_MB = SLOW ? 500 : 100;
/** vizmeta's own peak RSS must stay under this whatever the size of the input. */
const PEAK_RSS_MB = 300;

const tmp = (): string => mkdtempSync(join(tmpdir(), 'vizmeta-pass-'));

interface Outcome {
  status: number | null;
  job: { bytes: number; sha: string };
  passthroughSha: string;
  /** What came after the passed-through bytes: the final dashboard. */
  after: string;
  stderr: string;
  peakMb: number;
  /** The most the job had written, sampled while stdout was not read (only with pauseMs). */
  writtenWhilePaused: number[];
}

/** `job | vizmeta watch ARGS`, the job writing straight into vizmeta's stdin pipe. */
async function throughWatch(job: string[], args: string[] = [], pauseMs = 0): Promise<Outcome> {
  const report = join(tmp(), 'report');
  const cli = startCli(['watch', ...args], ['pipe', 'pipe', 'pipe']);
  const writer = spawn(NODE, [FLOOD, ...job, report], { stdio: ['ignore', cli.stdin!, 'inherit'] });
  // Only the job holds the pipe now: its exit is vizmeta's end of input.
  cli.stdin!.destroy();
  return collect(cli, report, pauseMs, writer.pid);
}

/** `vizmeta run ARGS -- node flood.mjs JOB`. */
async function throughRun(job: string[], args: string[] = [], pauseMs = 0): Promise<Outcome> {
  const report = join(tmp(), 'report');
  const cli = startCli(['run', ...args, '--', NODE, FLOOD, ...job, report], ['ignore', 'pipe', 'pipe']);
  return collect(cli, report, pauseMs);
}

async function collect(cli: ReturnType<typeof startCli>, report: string, pauseMs: number, writerPid?: number): Promise<Outcome> {
  const memory = watchPeakMemory(cli.pid!);
  let stderr = '';
  cli.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const { hasher, done } = hashStream(cli.stdout!, pauseMs);
  const resumesAt = Date.now() + pauseMs;
  const writtenWhilePaused: number[] = [];
  if (pauseMs > 0) {
    // While stdout is not read, the job must be held back by the full pipes, not buffered by vizmeta.
    const pid = writerPid ?? (await childPid(cli.pid!));
    while (Date.now() + 200 < resumesAt) {
      await sleep(100);
      const written = pid === undefined ? undefined : bytesWritten(pid);
      if (written !== undefined) writtenWhilePaused.push(written);
    }
  }
  const [{ status }] = await Promise.all([exited(cli), done]);
  memory.stop();
  const job = readReport(report);
  const { sha, rest } = hasher.finish(job.bytes);
  return { status, job, passthroughSha: sha, after: rest.toString(), stderr, peakMb: memory.peakMb(), writtenWhilePaused };
}

/** The first child of a process (the job `run` started). */
async function childPid(pid: number): Promise<number | undefined> {
  for (let i = 0; i < 100; i++) {
    try {
      const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
      if (children !== '') return Number(children.split(' ')[0]);
    } catch {
      return undefined;
    }
    await sleep(10);
  }
  return undefined;
}

function savedSha(path: string): string {
  const hash = createHash('sha256');
  unstampEach(readFileSync(path), (piece) => hash.update(piece));
  return hash.digest('hex');
}

describe('passthrough integrity (built binary)', () => {
  it('watch: odd bytes (invalid UTF-8, NUL, bare \\r, split characters and escapes, no final newline) come out unchanged', async () => {
    const out = await throughWatch(['odd']);
    expect(out.status).toBe(0);
    expect(out.passthroughSha).toBe(out.job.sha);
    // The unterminated last line is ended before the dashboard, which counts the 3 whole records.
    expect(out.after).toMatch(/^\n\nvizmeta watch · stdin · done · .* · 3 records\n/);
    expect(out.stderr).toBe('');
  });

  it('run: the same odd bytes on stdout and, unstamped, in the --save log', async () => {
    const saved = join(tmp(), 'run.log');
    const out = await throughRun(['odd'], ['--save', saved]);
    expect(out.status).toBe(0);
    expect(out.passthroughSha).toBe(out.job.sha);
    expect(out.after).toMatch(/^\n\nvizmeta run · .* · exited 0 · .* · 3 records\n/);
    expect(savedSha(saved)).toBe(out.job.sha);
    // The last line had no newline: the log ends it, stamped +00:00 so the newline is known to be added.
    expect(readFileSync(saved, 'utf8')).toMatch(/\n\S+\+00:00 last line without newline \{"step": 4\}\n$/);
  });

  it('a 50 MB single line: passed through whole by watch and run, saved in stamped pieces that join back, memory bounded', async () => {
    const watched = await throughWatch(['longline', '50']);
    expect(watched.status).toBe(0);
    expect(watched.job.bytes).toBeGreaterThan(50 * 1024 * 1024);
    expect(watched.passthroughSha).toBe(watched.job.sha);
    expect(watched.stderr).toBe('stdin:1: line longer than 16 MiB, skipped\n');
    expect(watched.after).toMatch(/ · 2 lines · 1 record\n/);
    expect(watched.peakMb).toBeLessThan(PEAK_RSS_MB);

    const saved = join(tmp(), 'long.log');
    const ran = await throughRun(['longline', '50'], ['--save', saved]);
    expect(ran.status).toBe(0);
    expect(ran.passthroughSha).toBe(ran.job.sha);
    expect(ran.stderr).toBe('stdout:1: line longer than 16 MiB, skipped\n');
    expect(ran.peakMb).toBeLessThan(PEAK_RSS_MB);
    const log = readFileSync(saved);
    expect(savedSha(saved)).toBe(ran.job.sha);
    // 16 MiB pieces, each cut stamped +00:00; the line's own end is stamped Z.
    const stamps = log.toString('latin1').match(/^\S+ /gm) ?? [];
    expect(stamps.filter((s) => s.endsWith('+00:00 ')).length).toBe(3);
    expect(stamps.filter((s) => s.endsWith('Z ')).length).toBe(2);
  });

  it(`watch: a ${FLOOD_MB} MB flood with a reader that stalls is held back by backpressure and passed through exactly`, async () => {
    const out = await throughWatch(['lines', String(FLOOD_MB)], [], 1500);
    expect(out.status).toBe(0);
    expect(out.job.bytes).toBeGreaterThanOrEqual(FLOOD_MB * 1024 * 1024);
    expect(out.passthroughSha).toBe(out.job.sha);
    expect(out.stderr).toBe('');
    // Nobody read for 1.5 s: the writer got no further than the pipes' and streams' buffers...
    expect(out.writtenWhilePaused.length).toBeGreaterThan(5);
    expect(Math.max(...out.writtenWhilePaused)).toBeLessThan(16 * 1024 * 1024);
    // ... and stood still.
    expect(out.writtenWhilePaused.at(-1)).toBe(out.writtenWhilePaused.at(-3));
    expect(out.peakMb).toBeLessThan(PEAK_RSS_MB);
  }, 120_000);

  it(`run --save: a ${FLOOD_MB} MB flood, stdout and the saved log exact, the job held back while stdout stalls`, async () => {
    const saved = join(tmp(), 'flood.log');
    const out = await throughRun(['lines', String(FLOOD_MB)], ['--save', saved], 1500);
    expect(out.status).toBe(0);
    expect(out.passthroughSha).toBe(out.job.sha);
    expect(Math.max(...out.writtenWhilePaused)).toBeLessThan(16 * 1024 * 1024);
    expect(out.writtenWhilePaused.at(-1)).toBe(out.writtenWhilePaused.at(-3));
    expect(out.peakMb).toBeLessThan(PEAK_RSS_MB);
    expect(savedSha(saved)).toBe(out.job.sha);
  }, 120_000);

  it('unstampLog undoes exactly the cuts vizmeta made', () => {
    const saved = Buffer.from(
      '2026-11-22T10:00:01.000Z a\n' +
        '2026-11-22T10:00:02.000+00:00 bb\n' +
        '2026-11-22T10:00:03.000Z cc\n' +
        '2026-11-22T10:00:04.000+00:00 tail\n',
    );
    expect(unstampLog(saved).toString()).toBe('a\nbbcc\ntail');
    expect(() => unstampLog(Buffer.from('no stamp\n'))).toThrow(/no timestamp at byte 0/);
  });
});
