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
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';

/** A line still being received is written out anyway when it grows past this. */
const MAX_PENDING_BYTES = 16 * 1024 * 1024;

interface Pending {
  parts: Buffer[];
  bytes: number;
  time: string;
}

export class TimestampedLog {
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly out: Writable,
    private readonly now: () => number = Date.now,
  ) {}

  /** Adds bytes of one stream (`stdout`, `stderr`); resolves when the file can take more. */
  async push(stream: string, chunk: Buffer): Promise<void> {
    if (chunk.length === 0) return;
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
        parts.push(Buffer.from(`${cutStamp(held.time)} `), ...held.parts, Buffer.from('\n'));
        this.pending.delete(stream);
      }
    }
    if (parts.length > 0 && !this.out.write(Buffer.concat(parts))) await once(this.out, 'drain');
  }

  /** Writes unfinished lines (with a newline, so the file stays line-based) and closes the file. */
  async end(): Promise<void> {
    for (const held of this.pending.values()) {
      this.out.write(Buffer.concat([Buffer.from(`${cutStamp(held.time)} `), ...held.parts, Buffer.from('\n')]));
    }
    this.pending.clear();
    await new Promise<void>((resolve, reject) => {
      this.out.end((error?: Error | null) => (error ? reject(error) : resolve()));
    });
  }
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
