/**
 * `run --save FILE`: a copy of the job's output with an RFC 3339 timestamp before every line
 * (`2026-11-22T10:00:01.123Z {"loss": 0.3}`), the prefix every vizmeta command reads back as the
 * record's `_time`. Lines of stdout and stderr are kept whole even when the two streams
 * interleave; a line is stamped with the time its first byte arrived.
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
        parts.push(Buffer.from(`${held.time} `), ...held.parts, Buffer.from('\n'));
        this.pending.delete(stream);
      }
    }
    if (parts.length > 0 && !this.out.write(Buffer.concat(parts))) await once(this.out, 'drain');
  }

  /** Writes unfinished lines (with a newline, so the file stays line-based) and closes the file. */
  async end(): Promise<void> {
    for (const held of this.pending.values()) {
      this.out.write(Buffer.concat([Buffer.from(`${held.time} `), ...held.parts, Buffer.from('\n')]));
    }
    this.pending.clear();
    await new Promise<void>((resolve, reject) => {
      this.out.end((error?: Error | null) => (error ? reject(error) : resolve()));
    });
  }
}
