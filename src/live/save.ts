/**
 * `run --save FILE`: a copy of the job's output with an RFC 3339 timestamp before every line
 * (`2026-11-22T10:00:01.123Z {"loss": 0.3}`), the prefix every vizmeta command reads back as the
 * record's `_time`. Lines of stdout and stderr are kept whole even when the two streams
 * interleave; a line is stamped with the time its first byte arrived.
 *
 * The file is always line-based, so vizmeta sometimes has to end a line the job did not end: a
 * line longer than 16 MiB is written in pieces, and an unfinished last line gets a newline when
 * the job ends. Such a piece is stamped `+00:00` instead of `Z` (the same instant, still RFC 3339)
 * so that its newline can be told from the job's: removing every prefix, and the newline after
 * each `+00:00` piece, gives back the job's bytes exactly ({@link unstampLog}).
 *
 * What the job wrote is in the file within {@link FLUSH_AFTER_MS} even when it ends no line (a
 * `\r`-redrawn progress stream, a last partial line): a line held that long is written as a
 * `+00:00` piece, cut after its last `\r` when it has one, so a record is seldom split. A kill of
 * vizmeta loses at most that window.
 *
 * The file failing (a full disk, an I/O error) never stops the job: the first error is reported
 * once through `onError`, and from then on the log is let go.
 */
import type { Writable } from 'node:stream';
import { realTimers, type Timers } from './scheduler.js';

/** A line still being received is written out anyway when it grows past this. */
const MAX_PENDING_BYTES = 16 * 1024 * 1024;

/** Longest a line without a newline is held before it is written as a `+00:00` piece, ms. */
export const FLUSH_AFTER_MS = 1000;

export interface TimestampedLogOptions {
  /** Called once with the file's first write error; the log is let go after it. */
  onError?: (error: Error) => void;
  /** Default {@link FLUSH_AFTER_MS}. */
  flushAfterMs?: number;
  timers?: Timers;
}

interface Pending {
  parts: Buffer[];
  bytes: number;
  time: string;
}

export class TimestampedLog {
  private readonly pending = new Map<string, Pending>();
  private failure: Error | undefined;
  private flushTimer: unknown;
  private readonly flushAfterMs: number;
  private readonly timers: Timers;
  /** Called when the file fails or drains: whoever waits for a drain goes on either way. */
  private wake: (() => void) | undefined;

  constructor(
    private readonly out: Writable,
    private readonly now: () => number = Date.now,
    private readonly options: TimestampedLogOptions = {},
  ) {
    this.flushAfterMs = options.flushAfterMs ?? FLUSH_AFTER_MS;
    this.timers = options.timers ?? realTimers;
    out.on('error', (error: Error) => this.fail(error));
    out.on('drain', () => this.wakeUp());
  }

  /** The file's first error, once it failed: the log stops there. */
  get failed(): Error | undefined {
    return this.failure;
  }

  /** Adds bytes of one stream (`stdout`, `stderr`); resolves when the file can take more. */
  async push(stream: string, chunk: Buffer): Promise<void> {
    if (chunk.length === 0 || this.failure) return;
    const time = new Date(this.now()).toISOString();
    const parts: Buffer[] = [];
    let start = 0;
    let held = this.pending.get(stream);
    for (let newline = chunk.indexOf(0x0a); newline !== -1; newline = chunk.indexOf(0x0a, start)) {
      if (held) {
        parts.push(Buffer.from(`${held.time} `), ...held.parts, chunk.subarray(start, newline + 1));
        held = undefined;
        this.pending.delete(stream);
      } else {
        parts.push(Buffer.from(`${time} `), chunk.subarray(start, newline + 1));
      }
      start = newline + 1;
    }
    if (start < chunk.length) {
      // Copy: the caller's buffer may be reused.
      const rest = Buffer.from(chunk.subarray(start));
      if (!held) {
        held = { parts: [], bytes: 0, time };
        this.pending.set(stream, held);
      }
      held.parts.push(rest);
      held.bytes += rest.length;
      if (held.bytes > MAX_PENDING_BYTES) {
        parts.push(cutPiece(held.time, held.parts));
        this.pending.delete(stream);
      }
    }
    if (this.pending.size > 0) this.scheduleFlush();
    if (parts.length > 0) await this.write(Buffer.concat(parts));
  }

  /**
   * Writes unfinished lines (with a newline, so the file stays line-based) and closes the file.
   * Resolves either way; {@link failed} says whether the log is whole.
   */
  async end(): Promise<void> {
    this.stopTimer();
    if (!this.failure) {
      for (const held of this.pending.values()) this.out.write(cutPiece(held.time, held.parts));
    }
    this.pending.clear();
    if (this.failure) {
      this.out.destroy();
      return;
    }
    await new Promise<void>((resolve) => {
      this.out.end((error?: Error | null) => {
        if (error) this.fail(error);
        resolve();
      });
    });
  }

  /** Writes held lines out as `+00:00` pieces: each up to its last `\r`, or whole without one. */
  flushHeld(): void {
    this.flushTimer = undefined;
    if (this.failure) return;
    for (const [stream, held] of [...this.pending]) {
      const joined = Buffer.concat(held.parts);
      const lastCr = joined.lastIndexOf(0x0d);
      const cut = lastCr === -1 ? joined.length : lastCr + 1;
      void this.write(cutPiece(held.time, [joined.subarray(0, cut)]));
      if (cut === joined.length) this.pending.delete(stream);
      else this.pending.set(stream, { parts: [Buffer.from(joined.subarray(cut))], bytes: joined.length - cut, time: new Date(this.now()).toISOString() });
    }
    if (this.pending.size > 0) this.scheduleFlush();
  }

  private async write(bytes: Buffer): Promise<void> {
    if (this.failure) return;
    if (this.out.write(bytes)) return;
    await new Promise<void>((resolve) => {
      const previous = this.wake;
      this.wake = () => {
        previous?.();
        resolve();
      };
    });
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.stopTimer();
    this.pending.clear();
    this.wakeUp();
    this.options.onError?.(error);
  }

  private scheduleFlush(): void {
    if (this.flushTimer !== undefined) return;
    const timer = this.timers.setTimeout(() => this.flushHeld(), this.flushAfterMs);
    (timer as { unref?: () => void }).unref?.();
    this.flushTimer = timer;
  }

  private stopTimer(): void {
    if (this.flushTimer !== undefined) this.timers.clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
  }
}

/** A piece of a line whose newline vizmeta adds. */
function cutPiece(time: string, parts: readonly Buffer[]): Buffer {
  return Buffer.concat([Buffer.from(`${cutStamp(time)} `), ...parts, Buffer.from('\n')]);
}

/** The stamp of a piece whose newline vizmeta added: the same instant, written `+00:00` instead of `Z`. */
function cutStamp(time: string): string {
  return time.endsWith('Z') ? `${time.slice(0, -1)}+00:00` : time;
}

const STAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}(Z|\+00:00) /;

/**
 * The job's bytes from a saved log: every prefix removed, and the newline vizmeta added after a
 * `+00:00` piece too. (Lines of stdout and stderr come back in the order they were saved.)
 */
export function unstampLog(saved: Buffer): Buffer {
  const out: Buffer[] = [];
  unstampEach(saved, (piece) => out.push(piece));
  return Buffer.concat(out);
}

/** {@link unstampLog} piece by piece, for logs too big to copy. Throws on a line without a stamp. */
export function unstampEach(saved: Buffer, piece: (bytes: Buffer) => void): void {
  let start = 0;
  while (start < saved.length) {
    const newline = saved.indexOf(0x0a, start);
    const end = newline === -1 ? saved.length : newline + 1;
    const m = STAMP.exec(saved.toString('latin1', start, Math.min(end, start + 32)));
    if (!m) throw new Error(`not a saved log: no timestamp at byte ${start}`);
    const cut = m[1] !== 'Z' && newline !== -1;
    piece(saved.subarray(start + m[0].length, cut ? newline : end));
    start = end;
  }
}
