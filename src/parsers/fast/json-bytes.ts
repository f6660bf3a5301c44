/**
 * The one home of the byte-level readers' constants and of their JSON walker: the bytes of JSON's
 * structure and of the line grammar, and the scanners that check a value's bytes without decoding
 * them. partial.ts (picking keys) walks a line with `skipValue`; canonical.ts (extract's copier)
 * walks it with its own copying walker, built from the same token scanners (`skipBlanks`,
 * `skipNumber`, the literal words), because it accepts less and writes as it goes.
 *
 * Nothing here holds state: every scanner is a pure function of its bytes.
 */
import { MAX_DEPTH } from '../json.js';

export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const COLON = 0x3a;
export const COMMA = 0x2c;
export const OPEN_BRACE = 0x7b;
export const CLOSE_BRACE = 0x7d;
export const OPEN_BRACKET = 0x5b;
export const CLOSE_BRACKET = 0x5d;
export const MINUS = 0x2d;
export const POINT = 0x2e;
export const ZERO = 0x30;
export const NINE = 0x39;
export const SLASH = 0x2f;
export const PIPE = 0x7c;
export const SPACE = 0x20;
export const TAB = 0x09;
export const BACKSPACE = 0x08;
export const NEWLINE = 0x0a;
export const CARRIAGE_RETURN = 0x0d;
export const ESC = 0x1b;

/** `true`, `false`, `null`, and Python's `NaN` and `Infinity` (what `json.dumps` writes), as bytes. */
export const TRUE = [0x74, 0x72, 0x75, 0x65];
export const FALSE = [0x66, 0x61, 0x6c, 0x73, 0x65];
export const NULL = [0x6e, 0x75, 0x6c, 0x6c];
export const NAN = [0x4e, 0x61, 0x4e];
export const INFINITY = [0x49, 0x6e, 0x66, 0x69, 0x6e, 0x69, 0x74, 0x79];

// The functions below spell bytes as literals (named in comments where it helps): on Node 20, V8
// loads a module-level constant from the module's context at every use in optimised code, and in
// these loops that cost `sort` 8% (measured side by side). Callers elsewhere use the names above.

export function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/**
 * Skips the blanks a clean line may have between tokens: space and tab (a \r splits segments
 * before JSON is read; \n ends the line). Needs no bound: the walkers' lines end with `}`.
 */
export function skipBlanks(bytes: Uint8Array, i: number): number {
  let c = bytes[i];
  while (c === 0x20 || c === 0x09) c = bytes[++i];
  return i;
}

/**
 * Index after a JSON number token starting at `i`, or -1. The digit loops need no bound check:
 * the walkers' lines end with `}`, which stops every one of them.
 */
export function skipNumber(bytes: Uint8Array, i: number): number {
  let c = bytes[i] as number;
  if (c === 0x2d) c = bytes[++i] as number;
  if (c === 0x30) c = bytes[++i] as number;
  else if (c > 0x30 && c <= 0x39) {
    do c = bytes[++i] as number;
    while (c >= 0x30 && c <= 0x39);
  } else return -1;
  if (c === 0x2e) {
    c = bytes[++i] as number;
    if (c < 0x30 || c > 0x39) return -1;
    do c = bytes[++i] as number;
    while (c >= 0x30 && c <= 0x39);
  }
  if (c === 0x65 || c === 0x45) {
    c = bytes[++i] as number;
    if (c === 0x2b || c === 0x2d) c = bytes[++i] as number;
    if (c < 0x30 || c > 0x39) return -1;
    do c = bytes[++i] as number;
    while (c >= 0x30 && c <= 0x39);
  }
  return i;
}

/** Index after `word` at `i` (its first byte already matched), or -1. */
export function skipWord(bytes: Uint8Array, i: number, stop: number, word: readonly number[]): number {
  if (i + word.length > stop) return -1;
  for (let j = 1; j < word.length; j++) if (bytes[i + j] !== word[j]) return -1;
  return i + word.length;
}

/**
 * Index after `true`, `false`, `null`, or Python's `NaN` / `Infinity` at `i`, or -1. A line with a
 * NaN token fails JSON.parse, and the grammar then reads it with parseJsonObject, which accepts
 * exactly JSON plus these tokens (and `-Infinity`): the same lines, the same values.
 */
export function skipLiteral(bytes: Uint8Array, i: number, stop: number): number {
  const c = bytes[i];
  const word = c === 0x74 ? TRUE : c === 0x66 ? FALSE : c === 0x6e ? NULL : c === 0x4e ? NAN : c === 0x49 ? INFINITY : undefined;
  return word === undefined ? -1 : skipWord(bytes, i, stop, word);
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

/** Index after the string starting at `i` (a quote), or -1. Rejects what JSON.parse or the grammar would treat differently. */
export function skipString(bytes: Uint8Array, i: number, stop: number): number {
  i++;
  for (;;) {
    if (i >= stop) return -1;
    const c = bytes[i] as number;
    if (c === 0x22) return i + 1;
    if (c === 0x5c) {
      const e = bytes[i + 1];
      if (e === 0x75) {
        if (i + 6 > stop) return -1;
        for (let h = i + 2; h < i + 6; h++) if (!isHex(bytes[h] as number)) return -1;
        i += 6;
        continue;
      }
      if (e === 0x22 || e === 0x5c || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) {
        i += 2;
        continue;
      }
      return -1;
    }
    if (c < 0x20) return -1;
    // U+009B (CSI) is stripped by the grammar's ANSI rule before JSON is parsed.
    if (c === 0xc2 && bytes[i + 1] === 0x9b) return -1;
    i++;
  }
}

/**
 * Index after the value at `i` inside a container at `depth` (a line's object is depth 1), or -1:
 * JSON with Python's NaN tokens, as the grammar reads it, and nothing it would read differently.
 */
export function skipValue(bytes: Uint8Array, i: number, stop: number, depth: number): number {
  const c = bytes[i] as number;
  if (c === 0x22) return skipString(bytes, i, stop);
  if (c === 0x2d && bytes[i + 1] === 0x49) return skipLiteral(bytes, i + 1, stop);
  if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return skipNumber(bytes, i);
  if (c === 0x7b || c === 0x5b) {
    // The full grammar rejects records nested deeper than MAX_DEPTH; leave those to it.
    if (depth + 1 > MAX_DEPTH) return -1;
    return skipContainer(bytes, i, stop, depth + 1, c === 0x7b ? 0x7d : 0x5d);
  }
  return skipLiteral(bytes, i, stop);
}

/**
 * Index after the object or array at `i` (its `{` or `[`; `close` is the byte that ends it), or -1.
 * One loop for both: an object's member is a key, `:`, then a value; an array's is the value.
 */
function skipContainer(bytes: Uint8Array, i: number, stop: number, depth: number, close: number): number {
  i = skipBlanks(bytes, i + 1);
  if (bytes[i] === close) return i + 1;
  for (;;) {
    if (i >= stop) return -1;
    if (close === 0x7d) {
      if (bytes[i] !== 0x22) return -1;
      i = skipString(bytes, i, stop);
      if (i < 0) return -1;
      i = skipBlanks(bytes, i);
      if (bytes[i] !== 0x3a) return -1;
      i = skipBlanks(bytes, i + 1);
      if (i >= stop) return -1;
    }
    i = skipValue(bytes, i, stop, depth);
    if (i < 0) return -1;
    i = skipBlanks(bytes, i);
    const c = bytes[i];
    if (c === 0x2c) {
      i = skipBlanks(bytes, i + 1);
      continue;
    }
    return c === close ? i + 1 : -1;
  }
}
