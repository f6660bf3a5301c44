/**
 * A JSON object parser that also accepts the bare `NaN`, `Infinity` and `-Infinity`
 * tokens Python's json.dumps writes. It is the fallback for lines JSON.parse rejects,
 * and the loose-mode scanner that finds an object in the middle of a line.
 *
 * It builds plain objects whose keys are own data properties (a `__proto__` key is
 * stored as data, exactly as JSON.parse does) and refuses nesting deeper than a limit,
 * so hostile input cannot exhaust the stack.
 */
import type { JsonObject, JsonValue } from '../core/types.js';

/** Deepest nesting a metadata record may have; deeper records are rejected, not truncated. */
export const MAX_DEPTH = 100;

export class JsonSyntaxError extends Error {
  override name = 'JsonSyntaxError';
  /** 0-based offset in the parsed text. */
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

/** Sets a key as an own data property, even when the key is `__proto__`. */
export function defineKey(target: JsonObject, key: string, value: JsonValue): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

class Parser {
  pos: number;
  /** Whether a NaN, Infinity or -Infinity token was read: then the text is not JSON. */
  sawPythonToken = false;
  constructor(readonly text: string, start: number) {
    this.pos = start;
  }

  fail(message: string): never {
    // Broken lines are common input, not bugs: skip the stack trace, which costs more than the parse.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    const error = new JsonSyntaxError(message, this.pos);
    Error.stackTraceLimit = limit;
    throw error;
  }

  skipSpace(): void {
    const t = this.text;
    let p = this.pos;
    for (;;) {
      const c = t.charCodeAt(p);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) p++;
      else break;
    }
    this.pos = p;
  }

  value(depth: number): JsonValue {
    if (depth > MAX_DEPTH) this.fail(`nested deeper than ${MAX_DEPTH} levels`);
    this.skipSpace();
    const c = this.text.charCodeAt(this.pos);
    switch (c) {
      case 0x7b: return this.object(depth + 1);
      case 0x5b: return this.array(depth + 1);
      case 0x22: return this.string();
      case 0x74: return this.literal('true', true);
      case 0x66: return this.literal('false', false);
      case 0x6e: return this.literal('null', null);
      case 0x4e: return this.literal('NaN', NaN);
      case 0x49: return this.literal('Infinity', Infinity);
      default:
        if (c === 0x2d && this.text.startsWith('-Infinity', this.pos)) return this.literal('-Infinity', -Infinity);
        if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
        if (Number.isNaN(c)) this.fail('unexpected end of input');
        return this.fail(`unexpected character '${this.text[this.pos]}'`);
    }
  }

  literal<T extends JsonValue>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.pos)) this.fail(`unexpected token, expected ${word}`);
    this.pos += word.length;
    if (typeof value === 'number') this.sawPythonToken = true;
    return value;
  }

  number(): number {
    const t = this.text;
    const start = this.pos;
    let p = start;
    if (t.charCodeAt(p) === 0x2d) p++;
    const digitsFrom = p;
    while (isDigit(t.charCodeAt(p))) p++;
    if (p === digitsFrom) this.fail('invalid number');
    if (t.charCodeAt(digitsFrom) === 0x30 && p - digitsFrom > 1) this.fail('invalid number: leading zero');
    if (t.charCodeAt(p) === 0x2e) {
      p++;
      const frac = p;
      while (isDigit(t.charCodeAt(p))) p++;
      if (p === frac) { this.pos = p; this.fail('invalid number: no digits after the point'); }
    }
    const e = t.charCodeAt(p);
    if (e === 0x65 || e === 0x45) {
      p++;
      const s = t.charCodeAt(p);
      if (s === 0x2b || s === 0x2d) p++;
      const exp = p;
      while (isDigit(t.charCodeAt(p))) p++;
      if (p === exp) { this.pos = p; this.fail('invalid number: no digits in the exponent'); }
    }
    this.pos = p;
    return Number(t.slice(start, p));
  }

  string(): string {
    const t = this.text;
    const start = this.pos;
    let p = start + 1;
    let escaped = false;
    for (;;) {
      const c = t.charCodeAt(p);
      if (Number.isNaN(c)) { this.pos = p; this.fail('unterminated string'); }
      if (c === 0x22) break;
      if (c < 0x20) { this.pos = p; this.fail('control character in string'); }
      if (c === 0x5c) { escaped = true; p += 2; continue; }
      p++;
    }
    this.pos = p + 1;
    if (!escaped) return t.slice(start + 1, p);
    try {
      // JSON.parse knows every escape form; the slice is a complete, checked string literal.
      return JSON.parse(t.slice(start, p + 1)) as string;
    } catch {
      this.pos = start;
      return this.fail('invalid escape in string');
    }
  }

  array(depth: number): JsonValue[] {
    this.pos++;
    const out: JsonValue[] = [];
    this.skipSpace();
    if (this.text.charCodeAt(this.pos) === 0x5d) { this.pos++; return out; }
    for (;;) {
      out.push(this.value(depth));
      this.skipSpace();
      const c = this.text.charCodeAt(this.pos);
      if (c === 0x2c) { this.pos++; continue; }
      if (c === 0x5d) { this.pos++; return out; }
      this.fail(Number.isNaN(c) ? 'unexpected end of input' : "expected ',' or ']'");
    }
  }

  object(depth: number): JsonObject {
    this.pos++;
    const out: JsonObject = {};
    this.skipSpace();
    if (this.text.charCodeAt(this.pos) === 0x7d) { this.pos++; return out; }
    for (;;) {
      this.skipSpace();
      if (this.text.charCodeAt(this.pos) !== 0x22) this.fail(Number.isNaN(this.text.charCodeAt(this.pos)) ? 'unexpected end of input' : 'expected a quoted key');
      const key = this.string();
      this.skipSpace();
      if (this.text.charCodeAt(this.pos) !== 0x3a) this.fail("expected ':' after a key");
      this.pos++;
      defineKey(out, key, this.value(depth));
      this.skipSpace();
      const c = this.text.charCodeAt(this.pos);
      if (c === 0x2c) { this.pos++; continue; }
      if (c === 0x7d) { this.pos++; return out; }
      this.fail(Number.isNaN(c) ? 'unexpected end of input' : "expected ',' or '}'");
    }
  }
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/**
 * Parses `text[start..]` as one JSON object (Python's NaN tokens allowed) and returns it with
 * the offset just past it. Throws JsonSyntaxError.
 */
export function parseObjectAt(text: string, start: number): { value: JsonObject; end: number } {
  const parser = new Parser(text, start);
  parser.skipSpace();
  if (text.charCodeAt(parser.pos) !== 0x7b) parser.fail("expected '{'");
  const value = parser.object(1);
  return { value, end: parser.pos };
}

/**
 * Parses a whole string that must be exactly one JSON value (Python's NaN tokens allowed), read as
 * the value of a record's top-level key: nested as deep as it may be there. Throws JsonSyntaxError.
 */
export function parseJsonValue(text: string): JsonValue {
  const parser = new Parser(text, 0);
  const value = parser.value(1);
  parser.skipSpace();
  if (parser.pos !== text.length) parser.fail('unexpected text after the value');
  return value;
}

/** Parses a whole string that must be exactly one JSON object, surrounding whitespace allowed. */
export function parseJsonObject(text: string): JsonObject {
  const { value, end } = parseObjectAt(text, 0);
  const parser = new Parser(text, end);
  parser.skipSpace();
  if (parser.pos !== text.length) parser.fail('unexpected text after the object');
  return value;
}

/**
 * The object of a text that is exactly one object written the way Python's json.dumps writes
 * NaN and Infinity, or undefined. Undefined also when the text parsed but held no such token:
 * then it is plain JSON, and JSON.parse (with its own checks) should read it. Never throws.
 */
export function parsePythonObject(text: string): JsonObject | undefined {
  const parser = new Parser(text, 0);
  try {
    parser.skipSpace();
    if (text.charCodeAt(parser.pos) !== 0x7b) return undefined;
    const value = parser.object(1);
    parser.skipSpace();
    return parser.pos === text.length && parser.sawPythonToken ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Nesting depth of a JSON text, counted without parsing; strings are skipped. Used to vet JSON.parse results cheaply. */
export function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) { if (++depth > max) max = depth; }
    else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}
