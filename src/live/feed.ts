/**
 * One input's bytes into a live session: passed through untouched, then parsed. With a stop
 * rule, line by line, so the input passed through (and read) ends exactly after the line at which
 * the rule fires.
 */
import type { LineReader } from '../parsers/source.js';
import type { LiveSession } from './session.js';

/**
 * Feeds `chunks` to the session and to `reader` (one of its readers) until they end, the session
 * stops, or `signal` aborts. `byLine`: a stop rule is set. Throws what reading the chunks throws.
 */
export async function feedSession(chunks: AsyncIterable<Buffer | string>, session: LiveSession, reader: LineReader, byLine: boolean, signal: AbortSignal): Promise<void> {
  for await (const chunk of chunks) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (!byLine) {
      await session.passthrough(bytes);
      reader.push(bytes);
    } else {
      const end = feedUntilStop(bytes, reader, () => session.stopped !== undefined);
      await session.passthrough(end === bytes.length ? bytes : bytes.subarray(0, end));
    }
    if (signal.aborted) break;
  }
}

/** Pushes the chunk's lines one by one until `stopped()`; returns how many bytes were consumed. */
export function feedUntilStop(bytes: Buffer, reader: LineReader, stopped: () => boolean): number {
  let start = 0;
  while (start < bytes.length) {
    const newline = bytes.indexOf(0x0a, start);
    const end = newline === -1 ? bytes.length : newline + 1;
    reader.push(bytes.subarray(start, end));
    start = end;
    if (stopped()) return end;
  }
  return bytes.length;
}
