/**
 * The Python dict repr dialect: a segment that is exactly one dict literal as Python's `repr()`
 * (and so `print(dict)`) writes it, e.g. Hugging Face Trainer's
 * `{'loss': 0.6931, 'grad_norm': 1.25, 'learning_rate': 5e-05, 'epoch': 0.5}`.
 *
 * The grammar is the part of Python's literal syntax that repr prints for str, int, float, bool,
 * None, dict, list and tuple, plus what Python reads the same way and costs nothing to accept
 * (either quote, every escape of a non-raw str literal, whitespace and newlines between tokens,
 * trailing commas). Anything else a dict may hold (`Foo(1)`, `array([1])`, `np.float64(0.5)`,
 * `<object at 0x..>`, sets, bytes) makes the whole segment no record: its value cannot be known
 * from the text, and a record with a guessed value would be worse than none.
 *
 * Decisions where Python reads more than repr prints:
 * - Numbers use JSON's number grammar (`-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?`). It holds every
 *   number repr prints and Python reads each the same way; `.5`, `5.`, `+1`, `1_000`, `0x1f`,
 *   `01.5` and `1j` are rejected, since no repr prints them and seeing one means the text was
 *   not a repr. `nan`, `inf` and `-inf` are read as repr prints them, though to Python they are
 *   names; `-nan` is not (repr never prints it).
 * - An int becomes the nearest Number (so `10**400` becomes Infinity, as JSON's `1e400` does), and
 *   `-0` becomes 0 as Python's int does; the float `-0.0` stays -0.
 * - Tuples need their comma (`(1,)`, `(1, 2)`) or are empty (`()`); a parenthesised value `(1)` is
 *   rejected, being grouping rather than anything repr prints.
 * - String prefixes (`b''`, `f''`, `r''`, `u''`), triple quotes, adjacent-literal concatenation and
 *   `\N{name}` escapes are rejected: repr prints none of them, and `\N` needs Unicode's name table.
 * - Keys must be strings, in nested dicts too, since a record's keys are. Duplicate keys: the last
 *   value wins at the first key's place, as in Python. Integer-like keys are ordered the way every
 *   JavaScript object orders them (as JSON.parse's are), so key order is preserved otherwise.
 */
import type { JsonObject, JsonValue } from '../../core/types.js';
import { defineKey, MAX_DEPTH } from '../json.js';

/** Why a text that starts like a dict is not one; `at` is the 0-based offset of the trouble. */
type Failure =
  | { kind: 'end' }
  | { kind: 'depth' }
  | { kind: 'trailing' }
  | { kind: 'call'; name: string }
  | { kind: 'name'; name: string }
  | { kind: 'prefixed-string'; prefix: string }
  | { kind: 'object-repr'; name: string }
  | { kind: 'set' }
  | { kind: 'key'; at: number }
  | { kind: 'number'; token: string }
  | { kind: 'escape'; token: string }
  | { kind: 'unexpected'; at: number };

/** Returned instead of a value on failure: the grammar never throws, so a bad line costs no stack trace. */
const FAIL: unique symbol = Symbol('fail');
type Fail = typeof FAIL;

/** Names repr prints for values; every other name is a reference to something the text does not hold. */
const WORDS: ReadonlyMap<string, JsonValue> = new Map<string, JsonValue>([
  ['True', true],
  ['False', false],
  ['None', null],
  ['nan', NaN],
  ['inf', Infinity],
]);

const SIMPLE_ESCAPES: ReadonlyMap<number, string> = new Map([
  [0x5c, '\\'], [0x27, "'"], [0x22, '"'],
  [0x61, '\x07'], [0x62, '\b'], [0x66, '\f'], [0x6e, '\n'], [0x72, '\r'], [0x74, '\t'], [0x76, '\v'],
]);

/** Longest name or token quoted back in a diagnosis; a reason is one short phrase. */
const SHOWN = 40;

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isNameStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f;
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || isDigit(c);
}

function hexValue(text: string, from: number, count: number): number | undefined {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const c = text.charCodeAt(i);
    const d = isDigit(c) ? c - 0x30
      : c >= 0x61 && c <= 0x66 ? c - 0x57
        : c >= 0x41 && c <= 0x46 ? c - 0x37
          : -1;
    if (d < 0) return undefined;
    value = value * 16 + d;
  }
  return value;
}

function shorten(token: string): string {
  return token.length > SHOWN ? `${token.slice(0, SHOWN)}…` : token;
}

class Parser {
  pos = 0;
  failure: Failure | undefined;

  constructor(readonly text: string) {}

  fail(failure: Failure): Fail {
    this.failure = failure;
    return FAIL;
  }

  /** The failure for the character at `pos`: running out of text is the common case (a truncated line). */
  unexpected(): Fail {
    return this.fail(this.pos >= this.text.length ? { kind: 'end' } : { kind: 'unexpected', at: this.pos });
  }

  /** Python's whitespace between tokens inside brackets, where newlines and `\`-continuations are too. */
  skipSpace(): void {
    this.pos = skipBlank(this.text, this.pos);
  }

  value(depth: number): JsonValue | Fail {
    this.skipSpace();
    const t = this.text;
    const c = t.charCodeAt(this.pos);
    switch (c) {
      case 0x7b: return this.dict(depth + 1);
      case 0x5b: return this.sequence(depth + 1, 0x5d);
      case 0x28: return this.sequence(depth + 1, 0x29);
      case 0x27:
      case 0x22: return this.string();
      case 0x3c: return this.fail({ kind: 'object-repr', name: this.nameAt(this.pos + 1) });
      default:
        if (c === 0x2d && t.startsWith('inf', this.pos + 1) && !isNameChar(t.charCodeAt(this.pos + 4))) {
          this.pos += 4;
          return -Infinity;
        }
        if (c === 0x2d || isDigit(c)) return this.number();
        if (isNameStart(c)) return this.word();
        return this.unexpected();
    }
  }

  /** A dotted name starting at `from`, for diagnoses and for words. */
  nameAt(from: number): string {
    const t = this.text;
    let p = from;
    while (isNameStart(t.charCodeAt(p))) {
      while (isNameChar(t.charCodeAt(p))) p++;
      if (t.charCodeAt(p) === 0x2e && isNameStart(t.charCodeAt(p + 1))) p++;
      else break;
    }
    return t.slice(from, p);
  }

  /** `True`, `nan`, ... or, for a diagnosis, what kind of other name it is. */
  word(): JsonValue | Fail {
    const t = this.text;
    const name = this.nameAt(this.pos);
    const end = this.pos + name.length;
    const known = WORDS.get(name);
    if (known !== undefined) {
      this.pos = end;
      return known;
    }
    const next = t.charCodeAt(end);
    if ((next === 0x27 || next === 0x22) && /^(?:[bBrRuUfF]|[bBfF][rR]|[rR][bBfF])$/.test(name)) {
      return this.fail({ kind: 'prefixed-string', prefix: name });
    }
    this.pos = end;
    this.skipSpace();
    if (t.charCodeAt(this.pos) === 0x28) return this.fail({ kind: 'call', name });
    return this.fail({ kind: 'name', name });
  }

  number(): number | Fail {
    const t = this.text;
    const start = this.pos;
    let p = start;
    let integral = true;
    if (t.charCodeAt(p) === 0x2d) p++;
    const digitsFrom = p;
    while (isDigit(t.charCodeAt(p))) p++;
    let ok = p > digitsFrom && !(t.charCodeAt(digitsFrom) === 0x30 && p - digitsFrom > 1);
    if (ok && t.charCodeAt(p) === 0x2e) {
      integral = false;
      const frac = ++p;
      while (isDigit(t.charCodeAt(p))) p++;
      ok = p > frac;
    }
    const e = t.charCodeAt(p);
    if (ok && (e === 0x65 || e === 0x45)) {
      integral = false;
      p++;
      const s = t.charCodeAt(p);
      if (s === 0x2b || s === 0x2d) p++;
      const exp = p;
      while (isDigit(t.charCodeAt(p))) p++;
      ok = p > exp;
    }
    // `1j`, `0x1f`, `1_000`, `5.`: a number Python reads but repr never prints; name the whole token.
    if (!ok || isNameChar(t.charCodeAt(p)) || t.charCodeAt(p) === 0x2e) {
      let end = p;
      while (isNameChar(t.charCodeAt(end)) || t.charCodeAt(end) === 0x2e) end++;
      if (p === digitsFrom && end === p) return this.unexpected();
      return this.fail({ kind: 'number', token: t.slice(start, end) });
    }
    this.pos = p;
    const value = Number(t.slice(start, p));
    // Python's int has no negative zero: `-0` is 0. Only a float (`-0.0`) keeps the sign.
    return integral && value === 0 ? 0 : value;
  }

  string(): string | Fail {
    const t = this.text;
    const quote = t.charCodeAt(this.pos);
    let p = this.pos + 1;
    let out = '';
    let chunk = p;
    for (;;) {
      const c = t.charCodeAt(p);
      if (c === quote) break;
      // A raw newline ends a one-line literal unterminated; Python refuses NUL in source outright.
      if (Number.isNaN(c) || c === 0x0a || c === 0x0d) { this.pos = p; return this.fail({ kind: 'end' }); }
      if (c === 0x00) { this.pos = p; return this.unexpected(); }
      if (c !== 0x5c) { p++; continue; }
      out += t.slice(chunk, p);
      const e = t.charCodeAt(p + 1);
      const simple = SIMPLE_ESCAPES.get(e);
      if (simple !== undefined) {
        out += simple;
        p += 2;
      } else if (e === 0x0a) {
        p += 2;
      } else if (e === 0x0d) {
        p += t.charCodeAt(p + 2) === 0x0a ? 3 : 2;
      } else if (e >= 0x30 && e <= 0x37) {
        let value = 0;
        let q = p + 1;
        while (q < p + 4 && t.charCodeAt(q) >= 0x30 && t.charCodeAt(q) <= 0x37) value = value * 8 + t.charCodeAt(q++) - 0x30;
        out += String.fromCharCode(value);
        p = q;
      } else if (e === 0x78 || e === 0x75 || e === 0x55) {
        const count = e === 0x78 ? 2 : e === 0x75 ? 4 : 8;
        const code = hexValue(t, p + 2, count);
        if (code === undefined || code > 0x10ffff) {
          this.pos = p;
          return this.fail({ kind: 'escape', token: t.slice(p, p + 2 + count) });
        }
        out += String.fromCodePoint(code);
        p += 2 + count;
      } else if (e === 0x4e) {
        this.pos = p;
        return this.fail({ kind: 'escape', token: '\\N{...}' });
      } else if (Number.isNaN(e)) {
        this.pos = p + 1;
        return this.fail({ kind: 'end' });
      } else {
        // Python keeps an unknown escape as written, backslash and all; the next character is read normally.
        out += '\\';
        p++;
      }
      chunk = p;
    }
    out += t.slice(chunk, p);
    this.pos = p + 1;
    return out;
  }

  /** A list (`close` is `]`) or a tuple (`)`); both are arrays here. */
  sequence(depth: number, close: number): JsonValue[] | Fail {
    if (depth > MAX_DEPTH) return this.fail({ kind: 'depth' });
    const t = this.text;
    this.pos++;
    const out: JsonValue[] = [];
    let commas = 0;
    for (;;) {
      this.skipSpace();
      if (t.charCodeAt(this.pos) === close) break;
      const item = this.value(depth);
      if (item === FAIL) return FAIL;
      out.push(item);
      this.skipSpace();
      const c = t.charCodeAt(this.pos);
      if (c === 0x2c) { this.pos++; commas++; continue; }
      if (c === close) break;
      return this.unexpected();
    }
    // `(1)` is grouping, not a tuple; repr writes a one-item tuple as `(1,)`.
    if (close === 0x29 && out.length > 0 && commas === 0) return this.fail({ kind: 'unexpected', at: this.pos });
    this.pos++;
    return out;
  }

  dict(depth: number): JsonObject | Fail {
    if (depth > MAX_DEPTH) return this.fail({ kind: 'depth' });
    const t = this.text;
    this.pos++;
    const out: JsonObject = {};
    for (let first = true; ; first = false) {
      this.skipSpace();
      const k = t.charCodeAt(this.pos);
      if (k === 0x7d) break;
      if (k !== 0x27 && k !== 0x22) {
        // Something that starts a value where a key belongs: an int or tuple key, or a set's first item.
        const valueLike = isDigit(k) || isNameStart(k) || k === 0x2d || k === 0x28 || k === 0x5b || k === 0x7b;
        return valueLike ? this.fail({ kind: 'key', at: this.pos }) : this.unexpected();
      }
      const key = this.string();
      if (key === FAIL) return FAIL;
      this.skipSpace();
      const colon = t.charCodeAt(this.pos);
      if (colon !== 0x3a) {
        // `{'a', 'b'}` and `{'a'}`: a set of strings.
        return first && (colon === 0x2c || colon === 0x7d) ? this.fail({ kind: 'set' }) : this.unexpected();
      }
      this.pos++;
      const value = this.value(depth);
      if (value === FAIL) return FAIL;
      defineKey(out, key, value);
      this.skipSpace();
      const c = t.charCodeAt(this.pos);
      if (c === 0x2c) { this.pos++; continue; }
      if (c === 0x7d) break;
      return this.unexpected();
    }
    this.pos++;
    return out;
  }

  /** The whole text as one dict, surrounding whitespace allowed. */
  document(): JsonObject | Fail {
    this.skipSpace();
    if (this.text.charCodeAt(this.pos) !== 0x7b) return this.unexpected();
    const value = this.dict(1);
    if (value === FAIL) return FAIL;
    this.skipSpace();
    if (this.pos !== this.text.length) return this.fail({ kind: 'trailing' });
    return value;
  }
}

/**
 * The record of a segment that is exactly one Python dict literal as repr prints it (surrounding
 * whitespace allowed), or undefined. `True`/`False` become booleans, `None` null, `nan`/`inf`/`-inf`
 * NaN/±Infinity, lists and tuples arrays, strings stay strings (`'0.6931'` is not a number here).
 * Undefined for a dict holding anything else (calls, names, sets, bytes, ...), for non-string keys,
 * for text after the dict, and for nesting deeper than MAX_DEPTH. Never throws; linear time.
 */
export function parsePythonDict(text: string): JsonObject | undefined {
  const value = new Parser(text).document();
  return value === FAIL ? undefined : value;
}

/**
 * Cheap pre-check: whether `text` could be a Python dict, i.e. its first non-blank character is `{`
 * and the next is a quote or `}` (blanks as Python's between tokens, `\`-continuations included). When it is false, parsePythonDict returns undefined.
 *
 * `{"` passes too: repr quotes a key with `"` when it holds a `'` (and no `"`), so a dict whose first
 * key is `"it's"` starts that way. The JSON grammar runs first, so a text reaching this check is
 * never valid JSON; broken JSON that passes only costs parsePythonDict one linear failed parse.
 */
export function mayBePythonDict(text: string): boolean {
  const c = afterOpeningBrace(text);
  return c === 0x27 || c === 0x22 || c === 0x7d;
}

/** The offset past Python's whitespace from `p`: newlines and `\`-continuations count, as inside brackets. */
function skipBlank(text: string, p: number): number {
  for (;;) {
    const c = text.charCodeAt(p);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0c) p++;
    else if (c === 0x5c && (text.charCodeAt(p + 1) === 0x0a || text.charCodeAt(p + 1) === 0x0d)) p += 2;
    else return p;
  }
}

/** The code of the first non-blank character after the `{` that `text` starts with (blanks aside), else NaN. */
function afterOpeningBrace(text: string): number {
  const p = skipBlank(text, 0);
  return text.charCodeAt(p) === 0x7b ? text.charCodeAt(skipBlank(text, p + 1)) : NaN;
}

/**
 * For the "nothing found" diagnosis: when `text` starts like a Python dict (`{'` after optional
 * whitespace) but is not one, a short reason such as `a Python dict holding a call (np.float64(...))`;
 * undefined otherwise. `{"` is left to the JSON diagnosis, whose business such lines usually are.
 * Costs one parse; never throws.
 */
export function describeNearPythonDict(text: string): string | undefined {
  if (afterOpeningBrace(text) !== 0x27) return undefined;
  const parser = new Parser(text);
  if (parser.document() !== FAIL || parser.failure === undefined) return undefined;
  return reason(parser.failure, text);
}

function reason(failure: Failure, text: string): string {
  switch (failure.kind) {
    case 'end': return 'an unclosed Python dict (the line ends inside it)';
    case 'depth': return `a Python dict nested deeper than ${MAX_DEPTH} levels`;
    case 'trailing': return 'a Python dict followed by other text';
    case 'call': return `a Python dict holding a call (${shorten(failure.name)}(...))`;
    case 'name': return `a Python dict holding a name (${shorten(failure.name)})`;
    case 'prefixed-string':
      return /[bB]/.test(failure.prefix) ? `a Python dict holding bytes (${failure.prefix}'...')`
        : /[fF]/.test(failure.prefix) ? `a Python dict holding an f-string (${failure.prefix}'...')`
          : `a Python dict holding a prefixed string (${failure.prefix}'...')`;
    case 'object-repr': return `a Python dict holding an object repr (<${shorten(failure.name)} ...>)`;
    case 'set': return 'a Python set, not a dict';
    case 'key': return `a Python dict with a non-string key or a set (${shorten(near(text, failure.at))})`;
    case 'number': return `a Python dict holding a number repr does not print (${shorten(failure.token)})`;
    case 'escape': return `a Python dict with a string escape it cannot read (${shorten(failure.token)})`;
    case 'unexpected': return `a Python dict with unexpected text at column ${failure.at + 1} (${shorten(near(text, failure.at))})`;
  }
}

/** A few characters from `at`, for pointing at the trouble. */
function near(text: string, at: number): string {
  return text.slice(at, at + 12);
}
