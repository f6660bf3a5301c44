/**
 * Byte-level tests that let the reader pass over lines without decoding them while still reading
 * the prefix and progress-bar dialects: a line whose `{` is not at its start (after blanks) reaches
 * the grammar only if it may carry a known prefix (parsers/dialects/prefixes.ts) or end a progress
 * bar (parsers/dialects/progress-bar.ts). Each is a superset of what those text readers accept, so
 * nothing they would read is skipped (test/parsers/fast/dialect-bytes.property.test.ts); `config =
 * {...}`, `Namespace(... {...})` and `{name}` templates still cost one short scan.
 */
import { CLOSE_BRACKET, COLON, isDigit, OPEN_BRACE as BRACE, OPEN_BRACKET, PIPE, SPACE } from './json-bytes.js';

/** Letters, digits, `_`, `.`, `-`: compose container names and logger names. */
function isNameChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || isDigit(c) || c === 0x5f || c === 0x2e || c === 0x2d;
}

const LEVELS = ['DEBUG:', 'INFO:', 'WARNING:', 'ERROR:', 'CRITICAL:'].map((level) => Buffer.from(level));

function startsWith(bytes: Uint8Array, at: number, stop: number, word: Uint8Array): boolean {
  if (stop - at < word.length) return false;
  for (let k = 0; k < word.length; k++) if (bytes[at + k] !== word[k]) return false;
  return true;
}

/**
 * Whether `bytes[start, stop)`, a line whose first non-blank byte is neither `{` nor a digit, may
 * hold a record behind a known prefix (`[rank0]: `, `[pod/…] `, `LEVEL:logger:`, `name  | `) or
 * right after a progress bar (the byte before its first `{`, blanks aside, ends a tqdm bracket `]`,
 * a number, or a rich bar glyph). `first` is the index of that first non-blank byte.
 */
export function mayBeDialectLine(bytes: Uint8Array, first: number, stop: number): boolean {
  const c = bytes[first] as number;
  if (c === OPEN_BRACKET) return true;
  if (c === 0x44 || c === 0x49 || c === 0x57 || c === 0x45 || c === 0x43) {
    for (const level of LEVELS) if (startsWith(bytes, first, stop, level)) return true;
  }
  if (isNameChar(c)) {
    // docker compose: `name`, blanks, `| `.
    let i = first;
    while (i < stop && i - first < 130 && isNameChar(bytes[i] as number)) i++;
    if (i < stop && bytes[i] === SPACE) {
      while (i < stop && bytes[i] === SPACE) i++;
      if (bytes[i] === PIPE && bytes[i + 1] === SPACE) return true;
    }
  }
  // A progress bar, then an object: look at what ends just before the first `{`.
  let brace = first;
  while (brace < stop && bytes[brace] !== BRACE) brace++;
  let before = brace - 1;
  while (before > first && bytes[before] === SPACE) before--;
  if (before < first) return false;
  const b = bytes[before] as number;
  // tqdm's `...it/s, loss=0.5]`, a Keras or rich metric's last digit, rich's `━` (E2 94 81), a `%`, a `:` of a time.
  return b === CLOSE_BRACKET || isDigit(b) || b === 0x81 || b === 0x25 || b === COLON;
}

/**
 * Where the record starts in a line that is Python logging's `LEVEL:logger:` then `{` (logging's
 * BASIC_FORMAT, `INFO:root:{"a": 1}`), read as prefixes.ts reads that prefix: a level, `:`, a
 * non-empty name with no blank, up to the first `:`. Such a prefix gives the record no label and no
 * time, so the record's bytes can take the same fast paths as a line starting with `{`.
 * Returns the index of that `{`, or -1.
 */
export function loggingRecordAt(bytes: Uint8Array, first: number, stop: number): number {
  for (const level of LEVELS) {
    if (!startsWith(bytes, first, stop, level)) continue;
    const nameStart = first + level.length;
    let i = nameStart;
    while (i < stop && i - nameStart <= 129) {
      const c = bytes[i] as number;
      if (c === COLON) break;
      if (c === SPACE || c === 0x09) return -1;
      i++;
    }
    if (i === nameStart || i >= stop || bytes[i] !== COLON) return -1;
    return bytes[i + 1] === BRACE ? i + 1 : -1;
  }
  return -1;
}
