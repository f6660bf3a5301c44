/**
 * The byte-level tests LineReader (source.ts) makes on a line before deciding whether to decode it:
 * where a record can start, the one segment of a coloured or `\r`-redrawn line that can hold one,
 * a timestamp or CRI prefix, Keras progress behind a timestamp. Each must agree with the grammar
 * (line.ts) on every line it settles; test/parsers/fast/fastpath.property.test.ts checks the reader
 * against a plain line-by-line reading on fuzzed logs.
 */
import { CARRIAGE_RETURN, ESC, isDigit, OPEN_BRACE as BRACE, OPEN_BRACKET } from './json-bytes.js';
import { mayBeKerasAt } from './keras-bytes.js';
import type { TimestampReader } from './timestamp-bytes.js';

/**
 * Index after the CSI sequence (`ESC [ params intermediates final`, as strip-ansi reads it: colour
 * codes such as `ESC[32m`) starting at `i`, or -1 when there is none there.
 */
function csiEnd(buffer: Buffer, i: number, stop: number): number {
  if (buffer[i] !== ESC || buffer[i + 1] !== OPEN_BRACKET) return -1;
  i += 2;
  while (i < stop && (buffer[i] as number) >= 0x30 && (buffer[i] as number) <= 0x3f) i++;
  while (i < stop && (buffer[i] as number) >= 0x20 && (buffer[i] as number) <= 0x2f) i++;
  return i < stop && (buffer[i] as number) >= 0x40 && (buffer[i] as number) <= 0x7e ? i + 1 : -1;
}

/**
 * The one part of a line that can hold a record, found without decoding the line, for a line the
 * grammar would first strip of ANSI sequences or split at `\r`: a coloured record
 * (`ESC[32m{...}ESC[0m`) or a progress bar redrawn before a record (`Epoch 1: 40%|... \r{...}`).
 * The grammar strips the sequences, then reads every `\r` segment that, trimmed, starts with `{`.
 * Returns that segment, trimmed; null when no segment can be a record (the line holds none); or
 * undefined when only the full grammar can tell: an escape other than CSI sequences at the line's
 * start and end, a U+009B, a line starting with a digit (a timestamp prefix), two candidate segments.
 */
export function recordSegment(buffer: Buffer, start: number, stop: number): { start: number; end: number } | null | undefined {
  let i = start;
  while (buffer[i] === ESC) {
    i = csiEnd(buffer, i, stop);
    if (i < 0) return undefined;
  }
  const first = buffer[i] as number;
  if (isDigit(first)) return undefined;
  let segmentStart = i;
  let found: { start: number; end: number } | null = null;
  for (;;) {
    // Most bytes are none of the ones looked at below (all under 0x20, or 0xc2): skip them in a tight loop.
    let c = -1;
    for (; i < stop; i++) {
      c = buffer[i] as number;
      if (c < 0x20 || c === 0xc2) break;
    }
    if (i >= stop) c = -1;
    if (c === ESC) {
      // Only CSI sequences may follow, up to the end of the line.
      let k = i;
      while (k < stop) {
        k = csiEnd(buffer, k, stop);
        if (k < 0) return undefined;
      }
    }
    if (c === 0xc2 && buffer[i + 1] === 0x9b) return undefined;
    if (c === -1 || c === ESC || c === CARRIAGE_RETURN) {
      // The segment [segmentStart, i), trimmed of the grammar's blanks.
      let a = segmentStart;
      let b = i;
      while (a < b && isBlank(buffer[a] as number)) a++;
      while (b > a && isBlank(buffer[b - 1] as number)) b--;
      if (a < b && buffer[a] === BRACE) {
        if (found !== null) return undefined;
        found = { start: a, end: b };
      }
      if (c !== CARRIAGE_RETURN) return found;
      segmentStart = i + 1;
    }
    i++;
  }
}

/** Whether every `{` of the line `[start, stop)` lies inside `segment`. */
export function onlyBracesIn(buffer: Buffer, start: number, stop: number, segment: { start: number; end: number }): boolean {
  const before = buffer.indexOf(BRACE, start);
  if (before !== -1 && before < segment.start) return false;
  const after = segment.end < stop ? buffer.indexOf(BRACE, segment.end) : -1;
  return after === -1 || after >= stop;
}

/**
 * Where Keras progress output may start in a `{`-less line: at its start, or after an RFC 3339
 * timestamp prefix (a log saved by `run --save` or with `--timestamps`); -1 when it cannot be Keras's.
 */
export function kerasAt(buffer: Buffer, start: number, stop: number, timestamps: TimestampReader): number {
  if (mayBeKerasAt(buffer, start, stop)) return start;
  if (!timestampPrefixAt(timestamps, buffer, start, stop)) return -1;
  const after = start + timestamps.length;
  return mayBeKerasAt(buffer, after, stop) ? after : -1;
}

/** Index of the first byte that is not one of the grammar's blanks (or `stop`). */
export function firstNonBlank(buffer: Buffer, start: number, stop: number): number {
  let i = start;
  while (i < stop && isBlank(buffer[i] as number)) i++;
  return i;
}

const STDOUT = Buffer.from('stdout ');
const STDERR = Buffer.from('stderr ');

/** Whether a CRI stream tag (`stdout P `, `stderr F `) starts at `i`: the line is a Kubernetes node log line. */
export function criStreamAt(buffer: Buffer, i: number, stop: number): boolean {
  if (stop - i < 9) return false;
  const tag = buffer[i] === 0x73 && (buffer.compare(STDOUT, 0, 7, i, i + 7) === 0 || buffer.compare(STDERR, 0, 7, i, i + 7) === 0);
  return tag && (buffer[i + 7] === 0x50 || buffer[i + 7] === 0x46) && buffer[i + 8] === 0x20;
}

/** Blanks the grammar trims from a segment, but for \n (never in a line) and \r (a segment break). */
function isBlank(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0b || c === 0x0c;
}

/**
 * Whether the line `buffer[start, stop)` starts with an RFC 3339 timestamp prefix; if so, its time
 * and length are in `timestamps` until its next read.
 */
export function timestampPrefixAt(timestamps: TimestampReader, buffer: Buffer, start: number, stop: number): boolean {
  const first = buffer[start] as number;
  if (first < 0x30 || first > 0x39) return false;
  return timestamps.readAt(buffer, start, stop);
}

/**
 * A byte-level verdict for a line holding a `{`, before it is decoded: outside loose mode a record
 * must start (after blanks) with `{`, or with a digit (a timestamp prefix), unless ANSI sequences
 * (ESC, or CSI U+009B) or `\r` segments could move the start. `INFO:root:{...}`, `config = {...}`
 * and `{name}` templates are settled here without a string being made.
 */
export function cannotBeMetadata(buffer: Buffer, start: number, stop: number): boolean {
  let i = start;
  let c = buffer[i];
  // The grammar's blanks, minus \n (never inside a line) and \r (handled below as a segment break).
  while (i < stop && (c === 0x20 || c === 0x09 || c === 0x0b || c === 0x0c)) c = buffer[++i];
  if (i >= stop) return true;
  if (c === BRACE || (c !== undefined && c >= 0x30 && c <= 0x39)) return false;
  for (let j = i; j < stop; j++) {
    const b = buffer[j] as number;
    if (b < 0x20 ? b === ESC || b === CARRIAGE_RETURN : b === 0x9b) return false;
  }
  return true;
}
