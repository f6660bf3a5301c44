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

/** What `scanObject` learned from one scan: every object it opened, and the braces it read inside strings. */
interface ObjectScan {
  /** Where the scan stopped: the failing character (not consumed), or just past the outer object. */
  end: number;
  /** Start of each object opened outside strings, in text order. */
  starts: number[];
  /**
   * Per object: -1 while open when the scan stopped (its own parse fails there too), else the
   * depth its parse needs (the parser refuses more than MAX_DEPTH).
   */
  needs: number[];
  /** `{` read inside strings: these start other tokenisations, so each is tried on its own. */
  quoted: number[];
}

const SCALAR = /[A-Za-z0-9+\-.]/;

/**
 * scanObject's arrays. Besides the result's: the open containers, whether each is an object, its
 * index in `starts` (-1 for arrays), and the depth its members need so far (0 while empty, as the
 * parser lets an empty one be deepest).
 */
const SCRATCH = { starts: [] as number[], needs: [] as number[], quoted: [] as number[], isObject: [] as boolean[], index: [] as number[], need: [] as number[] };

/** What `scanObject` expects next. */
const Want = { KeyOrClose: 0, Key: 1, Colon: 2, Value: 3, ValueOrClose: 4, CommaOrClose: 5 } as const;
type Want = (typeof Want)[keyof typeof Want];

/**
 * Scans the object at `start` (a `{`) with the parser's tokens, checking structure only: values
 * are looser (any run of letters, digits, `+-.` is a scalar) and there is no depth limit, so it
 * accepts whatever the parser accepts, and more. Iterative, linear in the text scanned.
 *
 * What it proves: an object still open where the scan failed fails there when parsed from its own
 * `{` (the tokens from a `{` outside strings are the same, and the failure depends only on the
 * innermost open container), so the loose search need not parse it again.
 */
function scanObject(text: string, start: number): ObjectScan {
  // The arrays are reused from scan to scan (findFirstObject reads one scan's result before the
  // next): a line of a million failing `{` would otherwise allocate six arrays for each.
  const { starts, needs, quoted, isObject, index, need } = SCRATCH;
  starts.length = 0;
  needs.length = 0;
  quoted.length = 0;
  isObject.length = 0;
  index.length = 0;
  need.length = 0;
  // What the innermost container expects next.
  let want: Want = Want.Value;
  let p = start;
  const n = text.length;
  /** A value was read: the container it belongs to has members now. */
  const member = (): Want => {
    const top = need.length - 1;
    if (top >= 0 && (need[top] as number) < 1) need[top] = 1;
    return Want.CommaOrClose;
  };
  const close = (): boolean => {
    const childNeed = need.pop() as number;
    const object = isObject.pop() as boolean;
    const at = index.pop() as number;
    if (object) needs[at] = childNeed;
    const top = need.length - 1;
    if (top < 0) return true;
    need[top] = Math.max(need[top] as number, 1 + childNeed);
    return false;
  };
  const end = (at: number): ObjectScan => ({ end: at, starts, needs, quoted });
  while (p < n) {
    const c = text.charCodeAt(p);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) { p++; continue; }
    if (c === 0x22) {
      if (want !== Want.Value && want !== Want.ValueOrClose && want !== Want.Key && want !== Want.KeyOrClose) return end(p);
      const key: boolean = want === Want.Key || want === Want.KeyOrClose;
      let q = p + 1;
      for (;;) {
        if (q >= n) return end(q);
        const d = text.charCodeAt(q);
        if (d === 0x22) break;
        if (d === 0x5c) { q += 2; continue; }
        if (d === 0x7b) quoted.push(q);
        q++;
      }
      p = q + 1;
      want = key ? Want.Colon : member();
      continue;
    }
    if (c === 0x7b || c === 0x5b) {
      if (want !== Want.Value && want !== Want.ValueOrClose) return end(p);
      isObject.push(c === 0x7b);
      index.push(c === 0x7b ? starts.length : -1);
      need.push(0);
      if (c === 0x7b) { starts.push(p); needs.push(-1); }
      want = c === 0x7b ? Want.KeyOrClose : Want.ValueOrClose;
      p++;
      continue;
    }
    if (c === 0x7d || c === 0x5d) {
      const object = isObject[isObject.length - 1];
      const closes = c === 0x7d ? object === true : object === false;
      if (!closes || !(want === Want.CommaOrClose || (want === Want.KeyOrClose && c === 0x7d) || (want === Want.ValueOrClose && c === 0x5d))) return end(p);
      p++;
      if (close()) return end(p);
      want = Want.CommaOrClose;
      continue;
    }
    if (c === 0x3a) {
      if (want !== Want.Colon) return end(p);
      want = Want.Value;
      p++;
      continue;
    }
    if (c === 0x2c) {
      if (want !== Want.CommaOrClose) return end(p);
      want = isObject[isObject.length - 1] === true ? Want.Key : Want.Value;
      p++;
      continue;
    }
    if (SCALAR.test(text[p] as string) && (want === Want.Value || want === Want.ValueOrClose)) {
      while (p < n && SCALAR.test(text[p] as string)) p++;
      want = member();
      continue;
    }
    return end(p);
  }
  return end(p);
}

/**
 * The first JSON object anywhere in `text` (loose mode), as trying `parseObjectAt` at every `{`
 * in turn would find it, in time linear in the text for objects outside strings: a scan marks
 * the objects that must fail, and only the others are parsed. Before, each `{` of a line of
 * repeated `{"a":` was parsed MAX_DEPTH levels deep again (1 MB: 19 s).
 */
export function findFirstObject(text: string): JsonObject | null {
  let from = text.indexOf('{');
  while (from !== -1) {
    const scan = scanObject(text, from);
    const { starts, needs, quoted } = scan;
    let s = 0;
    let q = 0;
    while (s < starts.length || q < quoted.length) {
      const nextStart = s < starts.length ? starts[s] as number : Infinity;
      const nextQuoted = q < quoted.length ? quoted[q] as number : Infinity;
      let at: number;
      if (nextStart < nextQuoted) {
        at = nextStart;
        const need = needs[s] as number;
        s++;
        // Open where the scan failed, or deeper than the parser goes: its parse fails.
        if (need < 0 || need > MAX_DEPTH) continue;
      } else {
        at = nextQuoted;
        q++;
      }
      try {
        return parseObjectAt(text, at).value;
      } catch {
        // Not an object here: the next candidate.
      }
    }
    from = text.indexOf('{', Math.max(scan.end, from + 1));
  }
  return null;
}
