/**
 * `vizmeta extract` without building the record: a clean metadata line is copied to the output as
 * the JSON text JSON.stringify would print for the object JSON.parse makes of it, with `_time`
 * (and, as {@link SourceFields} says, `_source` or `_source` and `_line`) added before the closing brace.
 *
 * Parsing a line into an object and printing the object again cost about two thirds of extract's
 * time on a training log, and for the usual record the printed text is the line without its blanks.
 * This writer walks the line's bytes once, checks that it is one valid JSON object, and copies it
 * without blanks. A number is copied when it already is JSON.stringify's spelling (Python's
 * repr of a float is, which decimal.ts checks without printing) and converted and printed
 * otherwise; for anything else JSON.stringify would spell differently the writer gives up, and
 * the reader takes the line the ordinary way. It gives up on: anything but a plain `{...}` (after an
 * optional timestamp prefix), a non-ASCII byte, an escape other than the short ones JSON.stringify
 * writes itself, a key starting with a digit (JavaScript puts integer keys first), a key twice in
 * one object, `_time`, `vh_metadata` or a field it adds (`_source`, `_line`) at the top, Python's NaN tokens, a
 * number too large for a double, and deep nesting. test/parsers/fast/canonical.property.test.ts checks, on
 * fuzzed logs in random chunks, that extract prints exactly what parsing and printing print.
 */
import { DecimalReader } from './decimal.js';
import { BACKSLASH, CLOSE_BRACE, CLOSE_BRACKET, COLON, COMMA, FALSE, MINUS, NINE, NULL, OPEN_BRACE, OPEN_BRACKET, QUOTE, TRUE, ZERO, skipBlanks, skipNumber, skipWord } from './json-bytes.js';

/** Nesting the writer follows; deeper lines (rare, and near the grammar's own limit) go the ordinary way. */
const MAX_NESTING = 20;
/** Keys per object compared pairwise for duplicates; larger objects go the ordinary way. */
const MAX_KEYS = 64;
/** Enough room for the longest String(number) (`-1.2345678901234567e-100`, 24 characters). */
const NUMBER_ROOM = 32;

/**
 * What extract adds after `_time` to say where a record came from: nothing, `_source` (the input
 * as given, `-` for stdin), or `_source` and `_line`. The keys always come in the order `_time`,
 * `_source`, `_line`.
 */
export type SourceFields = 'none' | 'source' | 'source+line';

/**
 * Top-level keys the record treats specially, or that the tail writes: a line holding one is left
 * to the ordinary path, which overwrites the key in its place. A `_line` in source-only mode is
 * plain data, copied like any other key.
 */
const RESERVED: Readonly<Record<SourceFields, readonly Buffer[]>> = {
  none: ['_time', 'vh_metadata'].map((name) => Buffer.from(name)),
  source: ['_time', 'vh_metadata', '_source'].map((name) => Buffer.from(name)),
  'source+line': ['_time', 'vh_metadata', '_source', '_line'].map((name) => Buffer.from(name)),
};

/** Buffer's own latin1 writer, without the public write's argument handling. */
interface LatinWritable extends Buffer {
  latin1Write(text: string, offset: number, length: number): number;
}

/** Output bytes of extract: clean lines written directly, any other record appended as text. */
export class JsonLineWriter {
  private out: Buffer;
  private o = 0;
  // Start and end of each key of the objects being written, for the duplicate check.
  private readonly keyStarts: number[] = [];
  private readonly keyEnds: number[] = [];
  private keyCount = 0;
  private source: string | undefined;
  /** Reads the number tokens: its own, as it holds the last token read. */
  private readonly decimals = new DecimalReader();
  private sourceJson = '';

  private readonly reserved: readonly Buffer[];

  constructor(readonly fields: SourceFields, capacity = 1 << 20) {
    this.out = Buffer.allocUnsafe(capacity);
    this.reserved = RESERVED[fields];
  }

  /** Bytes written so far. */
  get length(): number {
    return this.o;
  }

  /** Appends text (a record printed the ordinary way, with its newline). */
  appendText(text: string): void {
    this.reserve(Buffer.byteLength(text));
    this.o += this.out.write(text, this.o);
  }

  /** The bytes written since the last take, as a new Buffer; the writer starts empty again. */
  take(): Buffer {
    const taken = Buffer.from(this.out.subarray(0, this.o));
    this.o = 0;
    return taken;
  }

  /**
   * Writes `bytes[start, stop)`, which must be exactly one JSON object, as JSON.stringify would
   * print its parse with `"_time":time` (and `_source`, `_line` as {@link fields} says) added, and a newline. Returns false,
   * having written nothing, when the line needs the ordinary path.
   */
  writeLine(bytes: Buffer, start: number, stop: number, time: string, source: string, line: number): boolean {
    const mark = this.o;
    if (stop - start < 2 || bytes[start] !== OPEN_BRACE || bytes[stop - 1] !== CLOSE_BRACE) return false;
    this.keyCount = 0;
    // The copy is never longer than the line, but for numbers (which reserve as they go) and the tail.
    this.reserve(stop - start + 64);
    const end = this.container(bytes, start, stop, 1, CLOSE_BRACE);
    if (end !== stop) {
      this.o = mark;
      return false;
    }
    // The object was copied with its closing brace: reopen it for the tail.
    this.o--;
    let tail = this.o - mark > 1 ? ',' : '';
    tail += `"_time":"${time}"`;
    if (this.fields !== 'none') {
      if (source !== this.source) {
        this.source = source;
        this.sourceJson = JSON.stringify(source);
      }
      tail += `,"_source":${this.sourceJson}`;
      if (this.fields === 'source+line') tail += `,"_line":${line}`;
    }
    tail += '}\n';
    this.reserve(tail.length * 3);
    this.o += this.out.write(tail, this.o);
    return true;
  }

  private reserve(bytes: number): void {
    if (this.o + bytes <= this.out.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.out.length * 2, this.o + bytes));
    this.out.copy(grown, 0, 0, this.o);
    this.out = grown;
  }

  /**
   * Copies the object or array at `i` (its `{` or `[`; `close` is the byte that ends it); returns
   * the index after it, or -1. `depth` 1 is the line itself. One loop for both: an object's member
   * is a key, `:`, then a value; an array's is the value.
   */
  private container(bytes: Buffer, i: number, stop: number, depth: number, close: number): number {
    if (depth > MAX_NESTING) return -1;
    const out = this.out;
    out[this.o++] = bytes[i] as number;
    i = skipBlanks(bytes, i + 1);
    if (bytes[i] === close) {
      out[this.o++] = close;
      return i + 1;
    }
    const firstKey = this.keyCount;
    for (;;) {
      if (i >= stop) return -1;
      if (close === CLOSE_BRACE) {
        if (bytes[i] !== QUOTE) return -1;
        const c = bytes[i + 1] as number;
        // JavaScript objects list integer-like keys first, whatever their order in the text.
        if (c >= ZERO && c <= NINE) return -1;
        const keyStart = this.o;
        i = this.string(bytes, i, stop);
        if (i < 0) return -1;
        if (!this.newKey(keyStart, firstKey, depth)) return -1;
        i = skipBlanks(bytes, i);
        if (bytes[i] !== COLON) return -1;
        this.out[this.o++] = COLON;
        i = skipBlanks(bytes, i + 1);
        if (i >= stop) return -1;
      }
      i = this.value(bytes, i, stop, depth);
      if (i < 0) return -1;
      i = skipBlanks(bytes, i);
      const next = bytes[i];
      if (next === COMMA) {
        this.out[this.o++] = COMMA;
        i = skipBlanks(bytes, i + 1);
        continue;
      }
      if (next !== close) return -1;
      this.out[this.o++] = close;
      // The keys of this object are done with (an array added none of its own).
      this.keyCount = firstKey;
      return i + 1;
    }
  }

  /**
   * Records the key just copied to `out[keyStart, o)` (quotes included); false when the object
   * already has it, or when it is one the record treats specially.
   */
  private newKey(keyStart: number, firstKey: number, depth: number): boolean {
    const out = this.out;
    const keyEnd = this.o;
    const length = keyEnd - keyStart;
    const first = out[keyStart + 1];
    // `_time`, `_source`, `_line`, `vh_metadata`: only keys starting `_` or `v` are compared.
    if (depth === 1 && (first === 0x5f || first === 0x76)) {
      for (const name of this.reserved) {
        if (name.length === length - 2 && out.compare(name, 0, name.length, keyStart + 1, keyEnd - 1) === 0) return false;
      }
    }
    const count = this.keyCount;
    if (count - firstKey >= MAX_KEYS) return false;
    // The escapes copied are the only spellings of their characters, so equal keys are equal bytes.
    for (let k = firstKey; k < count; k++) {
      const start = this.keyStarts[k] as number;
      if ((this.keyEnds[k] as number) - start !== length) continue;
      let j = 0;
      while (j < length && out[start + j] === out[keyStart + j]) j++;
      if (j === length) return false;
    }
    this.keyStarts[count] = keyStart;
    this.keyEnds[count] = keyEnd;
    this.keyCount = count + 1;
    return true;
  }

  private value(bytes: Buffer, i: number, stop: number, depth: number): number {
    const c = bytes[i] as number;
    if (c === QUOTE) return this.string(bytes, i, stop);
    if (c === MINUS || (c >= ZERO && c <= NINE)) return this.number(bytes, i, stop);
    if (c === OPEN_BRACE) return this.container(bytes, i, stop, depth + 1, CLOSE_BRACE);
    if (c === OPEN_BRACKET) return this.container(bytes, i, stop, depth + 1, CLOSE_BRACKET);
    const word = c === 0x74 ? TRUE : c === 0x66 ? FALSE : c === 0x6e ? NULL : undefined;
    // NaN and Infinity print as null: the ordinary path handles them (and the --nan styles).
    if (word === undefined) return -1;
    const end = skipWord(bytes, i, stop, word);
    if (end < 0) return -1;
    for (let j = 0; j < word.length; j++) this.out[this.o++] = word[j] as number;
    return end;
  }

  /**
   * Copies the string at `i` (a quote) if JSON.stringify would print it the same: printable ASCII,
   * and only the escapes it writes itself (`\"`, `\\`, `\b`, `\f`, `\n`, `\r`, `\t`).
   */
  private string(bytes: Buffer, i: number, stop: number): number {
    const out = this.out;
    let o = this.o;
    out[o++] = QUOTE;
    i++;
    for (;;) {
      if (i >= stop) return -1;
      const c = bytes[i] as number;
      if (c === QUOTE) break;
      if (c === BACKSLASH) {
        const e = bytes[i + 1];
        if (e !== QUOTE && e !== BACKSLASH && e !== 0x62 && e !== 0x66 && e !== 0x6e && e !== 0x72 && e !== 0x74) return -1;
        out[o++] = BACKSLASH;
        out[o++] = e;
        i += 2;
        continue;
      }
      // Control characters are not JSON; a non-ASCII byte may be invalid UTF-8 or a character
      // the grammar treats specially (U+009B): both go the ordinary way.
      if (c < 0x20 || c >= 0x80) return -1;
      out[o++] = c;
      i++;
    }
    out[o++] = QUOTE;
    this.o = o;
    return i + 1;
  }

  /**
   * Copies the number at `i` as String(number) spells it, which is how JSON.stringify prints it:
   * the token itself when it already is that spelling (Python's repr of a float, plain integers),
   * else the value converted and printed.
   */
  private number(bytes: Buffer, start: number, stop: number): number {
    const i = skipNumber(bytes, start);
    if (i < 0) return -1;
    if (i > stop) return -1;
    if (this.decimals.spelledAsString(bytes, start, i)) {
      const out = this.out;
      let o = this.o;
      for (let j = start; j < i; j++) out[o++] = bytes[j] as number;
      this.o = o;
      return i;
    }
    const value = this.decimals.value(bytes, start, i);
    // Too large for a double: JSON.stringify prints null, which the ordinary path writes.
    if (!Number.isFinite(value)) return -1;
    // The printed number may be longer than the token: keep room for it and the rest of the line.
    this.reserve(NUMBER_ROOM + stop - i);
    this.o += (this.out as LatinWritable).latin1Write(String(value), this.o, NUMBER_ROOM);
    return i;
  }
}
