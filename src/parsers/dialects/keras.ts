/**
 * The Keras progress dialect: what `model.fit(verbose=1)` and `model.fit(verbose=2)` print, read
 * back as one record per completed epoch, `{epoch, <every "key: value" on the epoch's final line>}`.
 *
 * What Keras writes (keras.utils.Progbar, Keras 2.x and 3.x alike in structure):
 * - `Epoch N/M` on its own line before each epoch, only when `epochs > 1`. `epoch` is N as printed
 *   (1-based). A fit with `epochs=1` prints no header, so its record has no `epoch`.
 * - verbose=1 on a "dynamic display" (a TTY, and on any POSIX system even into a pipe, because
 *   Progbar tests `"posix" in sys.modules`): every redraw is `\b` x previous width, `\r`, then the
 *   bar, and only the final redraw of an epoch ends with `\n`. So one physical line holds the whole
 *   epoch, and its last `\r`-segment that reads as Keras output is the final line (a later segment
 *   that is not Keras's, such as a callback's `\r{...}`, is left to the JSON grammar). Keras 3's
 *   final line is taken only when it is the line's last segment, since its last batch redraw looks
 *   the same.
 *     Keras 2: `1875/1875 [==============================] - 4s 2ms/step - loss: 1.7754 - accuracy: 0.3172`
 *     Keras 3: `1875/1875 ━━━━━━━━━━━━━━━━━━━━ 4s 2ms/step - accuracy: 0.8 - loss: 0.5` (with SGR colours)
 *   Redraws before the final one are progress, never records. Keras 2 marks them with ` - ETA: 3s`.
 * - verbose=1 on a display that is not dynamic (Windows into a pipe; Keras <= 2.2 into any pipe):
 *   each redraw is `\n` + bar on a line of its own. Keras 2's final line is the one without `ETA:`.
 *   Keras 3's last batch redraw and its final line look alike (`8/8 ━━━ 0s 60ms/step - ...`), so
 *   there a completed bar is held until the next line shows whether another follows it; the last one
 *   wins. Such a record is returned one line late, or by `end()`.
 * - verbose=2: only the final line, `1875/1875 - 4s - loss: ... [- 4s/epoch - 2ms/step]` (Keras 2),
 *   `8/8 - 1s - 75ms/step - accuracy: ...` (Keras 3), ` - 4s - loss: ...` (Keras <= 2.2, no count;
 *   read only after an `Epoch N/M` header, since alone it is too plain to trust).
 *
 * A line is read strictly: after the step counter and the bar, every ` - `-separated part must be
 * a time (`4s`, `4s 2ms/step`, `1:05 60ms/step`, `ETA: 3s`, `75ms/step`, `4s/epoch`) or a metric
 * `key: number`, where number is what Python prints for a float (`1.7754`, `-1.5000`, `1.2346e-05`,
 * `nan`, `inf`, `-inf`). Times are units, not metrics. Anything else (a JSON object glued to the
 * bar, a traceback) makes the line no Keras line, so nothing half-read becomes a record.
 *
 * A completed bar with metrics that no `Epoch N/M` header is waiting for (evaluate() after fit, a
 * second bar in the same epoch, a one-epoch fit) is a record without `epoch`: evaluate()'s numbers
 * are worth having, and without `epoch` they do not pose as an epoch's. predict() prints no metrics
 * and so no record. A header is used by the first record after it only.
 */
import stripAnsi from 'strip-ansi';
import type { JsonObject } from '../../core/types.js';
import { defineKey } from '../json.js';

const CR = 0x0d;
const BS = 0x08;
const ESC = 0x1b;
const SPACE = 0x20;

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/**
 * Whether a raw line (split at `\n`, with or without ANSI escapes) may be Keras progress output,
 * so the caller can skip all other lines cheaply. It skips leading `\r`, `\b`, spaces and
 * `ESC [ … final-byte` sequences (Keras 3's bold count), then is true when what follows is
 * - `Epoch `, digits, `/` (a header; so ModelCheckpoint's `Epoch 3: ...` and Lightning's
 *   `Epoch 0:  20%|...` are skipped here),
 * - digits then `/` (the step counter `12/469`, `7/Unknown`), or
 * - `- ` then a digit (Keras <= 2.2's verbose=2 line ` - 4s - loss: ...`).
 * False means KerasProgress.line would read nothing from the line, so the caller may skip it; a
 * record held back (Keras 3 without a dynamic display) then comes with the next line fed, or end().
 */
export function mayBeKerasLine(text: string): boolean {
  const n = text.length;
  let i = 0;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === CR || c === BS || c === SPACE) i++;
    else if (c === ESC && text.charCodeAt(i + 1) === 0x5b) i = skipCsi(text, i + 2);
    else break;
  }
  if (i >= n) return false;
  const c = text.charCodeAt(i);
  if (c === 0x45) {
    // 'E': the header, `Epoch 3/10`.
    if (!text.startsWith('Epoch ', i)) return false;
    i += 6;
  }
  if (isDigit(text.charCodeAt(i))) {
    let j = i + 1;
    while (isDigit(text.charCodeAt(j))) j++;
    return text.charCodeAt(j) === 0x2f; // '/'
  }
  if (c === 0x2d) return text.charCodeAt(i + 1) === SPACE && isDigit(text.charCodeAt(i + 2)); // '-'
  return false;
}

/** The index just past a CSI sequence whose parameters start at `i`. */
function skipCsi(text: string, i: number): number {
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x40 && c <= 0x7e) return i + 1;
  }
  return i;
}

/** One `\r`-free piece of a line as a terminal shows it: each `\b` moves back one column, then text overwrites. */
function renderSegment(segment: string): string {
  // Keras writes its `\b` run just before the `\r`, where it changes nothing visible; only a `\b`
  // followed by text needs the slow path.
  let end = segment.length;
  while (end > 0 && segment.charCodeAt(end - 1) === BS) end--;
  const body = end === segment.length ? segment : segment.slice(0, end);
  if (!body.includes('\b')) return body;
  const cells: string[] = [];
  let col = 0;
  for (let i = 0; i < body.length; i++) {
    if (body.charCodeAt(i) === BS) col = Math.max(0, col - 1);
    else cells[col++] = body.charAt(i);
  }
  return Array.from(cells, (cell) => cell ?? ' ').join('');
}

/** A Keras progress line, read. */
export interface KerasLine {
  /** The step counter (`12` of `12/469`); undefined for the count-less verbose=2 line of Keras <= 2.2. */
  current?: number;
  /** Its total; undefined when Keras printed `Unknown` or no counter. */
  total?: number;
  /** Which bar it drew: Keras 2's `[==>..]`, Keras 3's `━━━`, or none (verbose=2, or an `Unknown` total). */
  bar: 'keras2' | 'keras3' | 'none';
  /** Whether an `ETA:` part says this is a redraw before the end. */
  eta: boolean;
  /** The metrics in printed order. */
  metrics: Array<[string, number]>;
}

const HEADER = /^Epoch (\d+)\/(\d+)$/;
const COUNTER = /^ *(\d+)\/(?:(\d+)|Unknown)/;
const KERAS2_BAR = /^ \[[=>.]*\]/;
// Written as escapes so the built bundles stay ASCII (they are read as latin1, see core/code-cache.ts).
const KERAS3_BAR = /^ \u2501+/; // ━
/** The times a Progbar prints: elapsed or ETA (`4s`, `1:05`, `1:02:03`, Keras 2's `ETA: 3s`), optionally with a per-unit time, or a per-unit time alone. */
const TIME = /^(?:(?:ETA: )?\d+(?::\d\d){0,2}s?(?: \d+(?:s|ms|us)\/[A-Za-z_]+)?|\d+(?:s|ms|us)\/[A-Za-z_]+)$/;
/** What Python's `%.4f`, `%.4e` and `str(float)` print. */
const NUMBER = /^(?:-?(?:\d+(?:\.\d*)?(?:e[+-]?\d+)?|inf)|nan)$/;

function pythonNumber(token: string): number | undefined {
  if (!NUMBER.test(token)) return undefined;
  if (token === 'nan') return NaN;
  if (token === 'inf') return Infinity;
  if (token === '-inf') return -Infinity;
  return Number(token);
}

/**
 * Reads one visible line (no `\r`, `\b` or ANSI) as a Keras progress line, or undefined when it is
 * not one. Used by KerasProgress and by progress-bar.ts, which checks a bar before a glued object.
 */
export function readKerasLine(text: string): KerasLine | undefined {
  let rest: string;
  let current: number | undefined;
  let total: number | undefined;
  let bar: KerasLine['bar'] = 'none';
  const counter = COUNTER.exec(text);
  if (counter) {
    current = Number(counter[1]);
    total = counter[2] === undefined ? undefined : Number(counter[2]);
    rest = text.slice(counter[0].length);
    const drawn = KERAS2_BAR.exec(rest) ?? KERAS3_BAR.exec(rest);
    if (drawn) {
      bar = drawn[0].charCodeAt(1) === 0x5b ? 'keras2' : 'keras3';
      rest = rest.slice(drawn[0].length);
    }
  } else if (text.startsWith(' - ') || text.startsWith('- ')) {
    rest = text; // Keras <= 2.2 verbose=2: ` - 4s - loss: ...`
  } else {
    return undefined;
  }
  rest = rest.trimEnd();
  // Keras 3 puts its time straight after the bar (` 0s 60ms/step - ...`); everything else opens with ` - `.
  let parts: string[];
  if (rest.startsWith(' - ')) parts = rest.slice(3).split(' - ');
  else if (rest.startsWith('- ')) parts = rest.slice(2).split(' - ');
  else if (rest.startsWith(' ') && bar !== 'keras2') parts = rest.slice(1).split(' - ');
  else return undefined;
  const metrics: Array<[string, number]> = [];
  let eta = false;
  let timed = false;
  for (const part of parts) {
    if (TIME.test(part)) {
      timed = true;
      if (part.startsWith('ETA: ')) eta = true;
      continue;
    }
    // A metric's name may hold anything but `: ` at its end; the value is the text after the last `: `.
    const colon = part.lastIndexOf(': ');
    if (colon <= 0 || part.charCodeAt(0) === SPACE) return undefined;
    const value = pythonNumber(part.slice(colon + 2));
    if (value === undefined) return undefined;
    metrics.push([part.slice(0, colon), value]);
  }
  // Every Keras line carries a time; a line of bare `key: value` parts is someone else's.
  if (!timed) return undefined;
  const line: KerasLine = { bar, eta, metrics };
  if (current !== undefined) line.current = current;
  if (total !== undefined) line.total = total;
  return line;
}

function recordOf(epoch: number | undefined, metrics: Array<[string, number]>): JsonObject {
  const record: JsonObject = {};
  if (epoch !== undefined) record.epoch = epoch;
  for (const [key, value] of metrics) defineKey(record, key, value);
  return record;
}

/**
 * Reads Keras progress output from one input, line by line. Stateful (the `Epoch N/M` header and a
 * held-back record), so keep one per input. Pure otherwise: no I/O, no clock.
 */
export class KerasProgress {
  /** How many `Epoch N/M` headers have been read: a caller holding records back can tell that an epoch began. */
  headers = 0;
  /** The epoch of the last header not yet used by a record. */
  private epoch: number | undefined;
  /** A completed Keras 3 bar from a display that is not dynamic, waiting to see whether another follows. */
  private held: { epoch: number | undefined; total: number; metrics: Array<[string, number]> } | undefined;

  /**
   * Feeds one physical line as split at `\n` (a trailing `\r` may be there or not), raw: with its
   * `\r`/`\b` redraws, with or without ANSI escapes. Returns the records it completes: usually none,
   * one at an epoch's final line, two when a held-back record is released by a new final line.
   */
  line(text: string): JsonObject[] {
    const out: JsonObject[] = [];
    const dynamic = text.includes('\r') || text.includes('\b');
    const found = dynamic ? lastKerasSegment(text) : { shown: cleaned(text), last: true };
    if (found === undefined) return this.release(out);
    const { shown, last } = found;
    const header = HEADER.exec(shown.trimStart());
    if (header) {
      this.release(out);
      this.epoch = Number(header[1]);
      this.headers++;
      return out;
    }
    const line = readKerasLine(shown);
    if (!line) return this.release(out);
    if (line.current === undefined && this.epoch === undefined) return this.release(out);
    const complete = line.current === undefined || (line.total !== undefined && line.current === line.total);
    // Keras 3's last batch redraw looks like its final line; only the line's last word is final.
    if (!complete || line.eta || line.metrics.length === 0 || (!last && line.bar === 'keras3')) {
      // A redraw, or predict()'s metric-less bar: progress, which also ends any held record's wait.
      return this.release(out);
    }
    if (!dynamic && line.bar === 'keras3' && line.total !== undefined) {
      // Keras 3 without a dynamic display: this may be the last batch's redraw or the final line.
      if (this.held && this.held.total === line.total) {
        this.held.metrics = line.metrics;
      } else {
        this.release(out);
        this.held = { epoch: this.epoch, total: line.total, metrics: line.metrics };
        this.epoch = undefined;
      }
      return out;
    }
    this.release(out);
    out.push(recordOf(this.epoch, line.metrics));
    this.epoch = undefined;
    return out;
  }

  /** Call at the end of the input: returns the record still held back, if any. */
  end(): JsonObject[] {
    return this.release([]);
  }

  private release(out: JsonObject[]): JsonObject[] {
    if (this.held) {
      out.push(recordOf(this.held.epoch, this.held.metrics));
      this.held = undefined;
    }
    return out;
  }
}

/** A segment without ANSI escapes and trailing blanks. */
function cleaned(segment: string): string {
  return (segment.includes('\x1b') ? stripAnsi(segment) : segment).trimEnd();
}

/**
 * The last `\r`-segment of a redrawn line that reads as Keras output (a header or a progress line),
 * cleaned, and whether it was the line's last non-blank segment. Keras ends an epoch's line with
 * its final redraw, but something else may have written a `\r`-segment after it (a callback's
 * `\r{...}`); that segment is the JSON grammar's, and the bar before it still counts. A segment is
 * only rendered and read when its first characters pass mayBeKerasLine, so other lines cost a scan.
 */
function lastKerasSegment(text: string): { shown: string; last: boolean } | undefined {
  let end = text.length;
  let last = true;
  for (;;) {
    const start = segmentStart(text, end);
    if (!isBlankSegment(text, start, end)) {
      if (mayBeKerasLine(text.slice(start, Math.min(end, start + 64)))) {
        const shown = cleaned(renderSegment(text.slice(start, end)));
        if (HEADER.test(shown.trimStart()) || readKerasLine(shown)) return { shown, last };
      }
      last = false;
    }
    if (start === 0) return undefined;
    end = start - 1;
  }
}

/** Where the `\r`-delimited segment that ends at `end` starts. */
function segmentStart(text: string, end: number): number {
  // lastIndexOf reads a negative position as 0, which would find a `\r` at 0 again and again.
  return end === 0 ? 0 : text.lastIndexOf('\r', end - 1) + 1;
}

/** Whether text[start, end) is only `\b`s and spaces (it shows nothing new, or clears). */
function isBlankSegment(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c !== BS && c !== SPACE) return false;
  }
  return true;
}
