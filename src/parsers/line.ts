/**
 * The line grammar: which lines of a training job's output are metadata.
 *
 *  1. A line ends at `\n`; a trailing `\r` is dropped (the reader does both).
 *  2. ANSI escape sequences are removed before deciding.
 *  3. A leading RFC 3339 timestamp and one space or tab (kubectl/docker `--timestamps`) is
 *     removed and becomes the records' time (a leap second, `:60`, is `:59.999`). A head shaped
 *     like one whose time does not exist (month 13, day 32, no zone) is removed too, and the line's
 *     records say so (`badPrefix`): they are timed when read.
 *  4. A bare `\r` splits the rest into segments, as a terminal redraws a progress bar;
 *     every segment that, trimmed, is exactly one JSON object is a metadata record.
 *     With `loose`, the first JSON object anywhere in a segment counts instead.
 *  5. Python's `NaN`, `Infinity` and `-Infinity` are numbers.
 *
 * Most lines never get here: the reader passes on only lines holding a `{` byte. The common
 * case, a clean `{...}` line, is decided by one JSON.parse with no regular expression.
 */
import stripAnsi from 'strip-ansi';
import type { JsonObject } from '../core/types.js';
import { defineKey, findFirstObject, JsonSyntaxError, MAX_DEPTH, parseJsonObject, parsePythonObject } from './json.js';
import { reads, type DialectSet } from './dialects/dialects.js';
import { mayBePythonDict, parsePythonDict } from './dialects/python-dict.js';
import { numericStringsAsNumbers } from './dialects/numeric-strings.js';
import { appendOrigin, ORIGIN_FIELD, splitKnownPrefix } from './dialects/prefixes.js';
import { objectAfterProgressBar } from './dialects/progress-bar.js';
import { TimestampReader } from './fast/timestamp-bytes.js';

export interface LineGrammarOptions {
  /** Take the first JSON object found anywhere in a segment, not only a whole-segment object. Default false. */
  loose?: boolean;
  /** The dialects read besides JSON (parsers/dialects/dialects.ts). Default: every dialect. */
  dialects?: DialectSet;
}

/** What one line holds. */
export interface ClassifiedLine {
  /** The metadata objects, in order (several when `\r` segments hold several). */
  objects: JsonObject[];
  /** The line's timestamp prefix as epoch milliseconds, when it had one. */
  prefixTime?: number;
  /** Segments that looked like metadata (`{"...`) but were not valid JSON: the reason for each. */
  rejected: string[];
  /** A leading head shaped like a timestamp prefix but not a valid time (`2026-13-01T00:00:00Z`), removed unread. */
  badPrefix?: string;
}

const NOTHING: ClassifiedLine = Object.freeze({ objects: [], rejected: [] }) as unknown as ClassifiedLine;

/**
 * Parses a leading RFC 3339 timestamp; returns its epoch ms and the text after it, or undefined.
 * `timestamps` remembers the last date read: a reader passes its own, so each day is parsed once.
 */
export function splitTimestampPrefix(line: string, timestamps: TimestampReader = new TimestampReader()): { time: number; rest: string } | undefined {
  if (!timestamps.read(line)) return undefined;
  return { time: timestamps.time, rest: line.slice(timestamps.length) };
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0b || c === 0x0c || c === 0x0d;
}

/** Parses a segment that, trimmed, must be exactly one object. Returns the object, a rejection reason, or null when it is plainly not metadata. */
function parseWholeSegment(segment: string, dialects: DialectSet | undefined): JsonObject | string | null {
  let start = 0;
  let end = segment.length;
  while (start < end && isSpace(segment.charCodeAt(start))) start++;
  while (end > start && isSpace(segment.charCodeAt(end - 1))) end--;
  if (segment.charCodeAt(start) !== 0x7b) return null;
  const body = start === 0 && end === segment.length ? segment : segment.slice(start, end);
  // After `{` JSON allows only a key or `}`: anything else (a Python dict, `{name}` templates) fails
  // both parsers, so skip straight to the verdict instead of paying for two thrown errors.
  let first = 1;
  while (isJsonSpace(body.charCodeAt(first))) first++;
  const next = body.charCodeAt(first);
  if (next !== 0x22 && next !== 0x7d && !/^\{\s*"/.test(body)) return pythonDict(body, dialects);
  // Python's NaN tokens make JSON.parse throw, and a thrown SyntaxError costs ten times the parse:
  // when the text has them outside strings, the one parser that accepts them settles it directly.
  if (mayHavePythonTokens(body)) {
    const python = parsePythonObject(body);
    if (python !== undefined) return python;
  }
  // JSON.parse can only succeed on text ending in `}`; otherwise go straight to the parser that explains why.
  if (body.charCodeAt(body.length - 1) === 0x7d) {
    try {
      return checkDepth(JSON.parse(body) as JsonObject, body);
    } catch (error) {
      if (error instanceof DepthError) return error.message;
    }
  }
  try {
    return parseJsonObject(body);
  } catch (error) {
    // A dict whose first key holds a `'` starts `{"` in Python's repr too; `{"a": True}` is Python's.
    const python = pythonDict(body, dialects);
    if (python !== null) return python;
    // Python prints dicts as {'a': 1}; only text that starts like a JSON object is worth a warning.
    if (body.charCodeAt(1) !== 0x22 && !/^\{\s*"/.test(body)) return null;
    if (error instanceof JsonSyntaxError) return `not valid JSON (${error.message} at column ${start + error.offset + 1})`;
    throw error;
  }
}

/**
 * A segment read as a Python dict repr when that dialect is on (Hugging Face Trainer's log lines),
 * or null. Numeric strings become numbers: Transformers 5 prints `{'loss': '0.6931'}`.
 */
function pythonDict(body: string, dialects: DialectSet | undefined): JsonObject | null {
  if (!reads(dialects, 'python') || !mayBePythonDict(body)) return null;
  const dict = parsePythonDict(body);
  return dict === undefined ? null : numericStringsAsNumbers(dict);
}

/** How many prefixes and timestamps one line may carry before the rest is read as it is. */
const MAX_PREFIXES = 6;

/** The record with the line's prefix label as `_origin` (after its own keys), unless it has one of its own. */
function withOrigin(object: JsonObject, origin: string | undefined): JsonObject {
  if (origin === undefined || Object.hasOwn(object, ORIGIN_FIELD)) return object;
  const out: JsonObject = {};
  for (const key of Object.keys(object)) defineKey(out, key, object[key] as JsonObject[string]);
  out[ORIGIN_FIELD] = origin;
  return out;
}

class DepthError extends Error {}

/** Whether the text might hold a NaN or Infinity token (a cheap native search; strings may hold them too). */
function mayHavePythonTokens(text: string): boolean {
  return text.indexOf('NaN') !== -1 || text.indexOf('Infinity') !== -1;
}

function isJsonSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/**
 * Whether the value JSON.parse made of `text` nests deeper than MAX_DEPTH. Deeper needs more than
 * 2*MAX_DEPTH characters, and a flat record (the usual kind) has no second bracket at all, so most
 * lines are settled by two native indexOf calls; the rest walk the parsed value, not the text.
 */
export function tooDeep(value: unknown, text: string): boolean {
  if (text.length <= 2 * MAX_DEPTH) return false;
  if (text.indexOf('{', 1) === -1 && text.indexOf('[') === -1) return false;
  return depthExceeds(value, MAX_DEPTH);
}

/** True when the structural depth of `value` (an object or array counts 1) is more than `limit`. */
function depthExceeds(value: unknown, limit: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (limit === 0) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (depthExceeds(value[i], limit - 1)) return true;
    return false;
  }
  const object = value as Record<string, unknown>;
  for (const key in object) if (depthExceeds(object[key], limit - 1)) return true;
  return false;
}

function checkDepth(value: JsonObject, text: string): JsonObject {
  if (tooDeep(value, text)) {
    throw new DepthError(`nested deeper than ${MAX_DEPTH} levels`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new DepthError('not an object');
  return value;
}

/**
 * Classifies one line (without its `\n`; a trailing `\r` may remain and is ignored).
 * Never throws on any input. A reader passes its own `timestamps`, which remembers the day last read.
 */
export function classifyLine(line: string, options: LineGrammarOptions = {}, timestamps?: TimestampReader): ClassifiedLine {
  let text = line;
  if (text.indexOf('\x1b') !== -1 || text.indexOf('\x9b') !== -1) text = stripAnsi(text);
  let prefixTime: number | undefined;
  let origin: string | undefined;
  let badPrefix: string | undefined;
  const prefixes = reads(options.dialects, 'prefix');
  // Prefixes nest (`trainer-1  | 2026-...Z [rank0]: {...}`): peel them, and timestamps, outside in.
  for (let peeled = 0; peeled < MAX_PREFIXES; peeled++) {
    // A record, a Python dict, or blanks first: nothing to peel (the usual case).
    const first = text.charCodeAt(0);
    if (first === 0x7b || first === 0x20 || first === 0x09) break;
    const known = prefixes ? splitKnownPrefix(text) : undefined;
    if (known !== undefined) {
      // A CRI `P` piece is part of a longer line: the reader joins pieces (CriJoiner); alone it holds no record.
      if (known.partial) return NOTHING;
      if (known.time !== undefined) prefixTime ??= known.time;
      if (known.label !== undefined) origin = appendOrigin(origin, known.label);
      text = known.rest;
      continue;
    }
    const stamp = first >= 0x30 && first <= 0x39 ? splitTimestampPrefix(text, (timestamps ??= new TimestampReader())) : undefined;
    if (stamp === undefined) {
      // Not a time, but shaped like one: the record after it is still read (issue 15, item 17).
      const malformed = first >= 0x30 && first <= 0x39 ? (timestamps?.malformed ?? 0) : 0;
      if (malformed === 0 || badPrefix !== undefined) break;
      badPrefix = text.slice(0, malformed - 1);
      text = text.slice(malformed);
      if (!prefixes) break;
      continue;
    }
    prefixTime ??= stamp.time;
    text = stamp.rest;
    if (!prefixes) break;
  }
  if (text.indexOf('{') === -1) return prefixTime === undefined ? NOTHING : { objects: [], rejected: [], prefixTime };

  const segments = text.indexOf('\r') === -1 ? [text] : text.split('\r');
  const objects: JsonObject[] = [];
  const rejected: string[] = [];
  const bar = reads(options.dialects, 'bar');
  for (const segment of segments) {
    if (options.loose) {
      const found = findFirstObject(segment);
      if (found) objects.push(withOrigin(found, origin));
      continue;
    }
    let parsed = parseWholeSegment(segment, options.dialects);
    if (parsed === null && bar) {
      const at = objectAfterProgressBar(segment);
      if (at !== undefined) parsed = parseWholeSegment(segment.slice(at), options.dialects);
    }
    if (parsed === null) continue;
    if (typeof parsed === 'string') rejected.push(parsed);
    else objects.push(withOrigin(parsed, origin));
  }
  const result: ClassifiedLine = { objects, rejected };
  if (prefixTime !== undefined) result.prefixTime = prefixTime;
  if (badPrefix !== undefined && (objects.length > 0 || rejected.length > 0)) result.badPrefix = badPrefix;
  return result;
}

/**
 * The fast path for the common case: a line that is exactly one clean JSON object.
 * Returns the object, or undefined when the full grammar must decide.
 */
export function parseCleanLine(line: string): JsonObject | undefined {
  if (line.charCodeAt(0) !== 0x7b) return undefined;
  const last = line.charCodeAt(line.length - 1);
  if (last !== 0x7d) return undefined;
  // A raw \r between tokens is valid JSON whitespace, but the grammar splits on it first.
  if (line.indexOf('\r') !== -1) return undefined;
  // U+009B (CSI) is legal inside a JSON string, but the grammar strips ANSI sequences first.
  if (line.indexOf('\x9b') !== -1) return undefined;
  // Only a key or `}` may follow `{`; a Python dict print would just cost a thrown SyntaxError.
  let first = 1;
  while (isJsonSpace(line.charCodeAt(first))) first++;
  const next = line.charCodeAt(first);
  if (next !== 0x22 && next !== 0x7d) return undefined;
  // A NaN token would make JSON.parse throw, which is slow; the full grammar reads such lines.
  if (mayHavePythonTokens(line)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (tooDeep(value, line)) return undefined;
  return value as JsonObject;
}
