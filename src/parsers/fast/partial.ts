/**
 * Reading only the keys a command uses. `sort --by accuracy` over a log of 8-key records needs one
 * number per line, yet JSON.parse builds every key, value and string. This scanner walks a clean
 * `{...}` line as bytes, checks that the whole line is valid JSON (Python's NaN tokens allowed, as
 * the grammar allows them), so exactly the same lines become records, and converts only the
 * values of the wanted top-level keys.
 *
 * It is a fast path with a fallback: whenever the answer could differ from the full grammar (a
 * line that is not one plain object, an escape or non-ASCII byte in a key that might be wanted, a
 * `vh_metadata` wrapper, nesting near the depth limit, a NaN token inside a wanted array or object,
 * anything it does not expect) it returns undefined, and the reader parses the line the ordinary
 * way and then keeps only the wanted keys (`restrictKeys`). Either way the record equals the full
 * parse restricted to the wanted keys; test/parsers/fast/fastpath.property.test.ts checks that on fuzzed input.
 */
import type { JsonObject, JsonValue, MetadataRecord } from '../../core/types.js';
import { DecimalReader } from './decimal.js';
import { defineKey, parseJsonValue } from '../json.js';
import { BACKSLASH, CLOSE_BRACE, COLON, COMMA, MINUS, NINE, OPEN_BRACE, OPEN_BRACKET, QUOTE, ZERO, skipBlanks, skipLiteral, skipNumber, skipString, skipValue } from './json-bytes.js';

/** The wanted keys, prepared for byte comparison. `_time` is always read: it settles the record's time. */
export interface KeySelection {
  /** The keys a record may keep. */
  readonly keys: ReadonlySet<string>;
  /** Names to pick from a line (the keys plus `_time`), their UTF-8 bytes and byte lengths. */
  readonly names: readonly string[];
  // Plain arrays of small integers: reading them is cheaper than a Buffer's length getter per key.
  readonly bytes: readonly (readonly number[])[];
  readonly lengths: readonly number[];
  /** Some wanted name has a non-ASCII character: lines with non-ASCII keys then need the full parse. */
  readonly nonAscii: boolean;
  /** The keys this selection's reader has met (one selection per reader: it learns their order). */
  readonly table: KeyTable;
  /** The reader's number tokens (see decimal.ts). */
  readonly decimals: DecimalReader;
}

/**
 * The key names a reader has met, as bytes, with whether each is wanted. The lines of a log
 * repeat their keys in the same order, so the key after a known one is predicted (the one that
 * followed it last time) and checked with one comparison: no scan for the closing quote, no
 * search among the wanted names, no string made.
 */
/** Known names tried one by one when the prediction misses; past these, the key is read and looked up by name. */
const FIND_SLOTS = 32;

export class KeyTable {
  readonly names: string[] = [];
  readonly bytes: Uint8Array[] = [];
  /** Index in the selection's `names`, or -1 for a key that is not wanted. */
  readonly wanted: number[] = [];
  /** The slot that followed each slot last time, or -1. */
  readonly next: number[] = [];
  /** The slot that began the last line, or -1. */
  first = -1;
  /** Lines scanned, and the last line each slot was met in (to see a key twice in one line). */
  lines = 0;
  readonly lineOf: number[] = [];
  private readonly byName = new Map<string, number>();

  /**
   * Where the key at `start` ends (its closing quote) if it is slot's name, else -1: the name's
   * bytes then a quote. A known name has no quote, escape or control byte, so that is the key.
   */
  endOf(slot: number, bytes: Buffer, start: number, stop: number): number {
    const name = this.bytes[slot] as Uint8Array;
    const length = name.length;
    if (start + length >= stop || bytes[start + length] !== QUOTE) return -1;
    for (let j = 0; j < length; j++) if (bytes[start + j] !== name[j]) return -1;
    return start + length;
  }

  /** The slot among the first FIND_SLOTS whose name is the key at `start`, or -1. */
  find(bytes: Buffer, start: number, stop: number): number {
    const count = Math.min(this.bytes.length, FIND_SLOTS);
    for (let slot = 0; slot < count; slot++) if (this.endOf(slot, bytes, start, stop) !== -1) return slot;
    return -1;
  }

  /** The slot of the key `bytes[start, end)`, which the scanner has checked has no escape; added if new. */
  slotOf(bytes: Buffer, start: number, end: number, ascii: boolean, selection: KeySelection): number {
    const name = ascii ? (bytes as LatinSliceable).latin1Slice(start, end) : bytes.toString('utf8', start, end);
    const known = this.byName.get(name);
    if (known !== undefined) return known;
    const slot = this.names.length;
    this.byName.set(name, slot);
    this.names.push(name);
    this.bytes.push(Uint8Array.from(bytes.subarray(start, end)));
    this.wanted.push(ascii ? matchName(bytes, start, end, selection) : -1);
    this.next.push(-1);
    this.lineOf.push(0);
    return slot;
  }
}

const VH_METADATA = Buffer.from('vh_metadata');

export function selectKeys(keys: ReadonlySet<string>): KeySelection {
  const names = [...new Set([...keys, '_time'])];
  const bytes = names.map((name) => [...Buffer.from(name, 'utf8')]);
  const lengths = bytes.map((name) => name.length);
  // A lone surrogate cannot be written as UTF-8; such a name is matched only by the full parse.
  const nonAscii = names.some((name) => /[^\x00-\x7f]/.test(name));
  return { keys, names, bytes, lengths, nonAscii, table: new KeyTable(), decimals: new DecimalReader() };
}

/**
 * Every dotted prefix of every path, so a top-level key that a dotted path may go through is kept:
 * `val.loss` needs `val` (nested) and `val.loss` (a flat key with a dot), as getPath tries both.
 */
export function topLevelKeysFor(paths: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const path of paths) {
    out.add(path);
    for (let dot = path.indexOf('.'); dot !== -1; dot = path.indexOf('.', dot + 1)) out.add(path.slice(0, dot));
  }
  return out;
}

/** The values with only the wanted keys, in their order; the same object when nothing is dropped. */
export function restrictKeys(values: JsonObject, keys: ReadonlySet<string>): JsonObject {
  const names = Object.keys(values);
  let keep = 0;
  // Indexed loops, as in forEachLeaf: every record comes through here, before V8 optimises it.
  for (let k = 0; k < names.length; k++) if (keys.has(names[k] as string)) keep++;
  if (keep === names.length) return values;
  const out: JsonObject = {};
  for (let k = 0; k < names.length; k++) {
    const name = names[k] as string;
    if (keys.has(name)) defineKey(out, name, values[name] as JsonValue);
  }
  return out;
}

/**
 * Scans `bytes[start, stop)`, a line that must be exactly one JSON object with nothing around it,
 * and returns an object holding only the selected keys (and `_time`), or undefined when the line
 * needs the full grammar. Never reads outside `[start, stop)`.
 */
export function scanSelected(bytes: Buffer, start: number, stop: number, selection: KeySelection, others?: OtherEntries): JsonObject | undefined {
  if (stop - start < 2 || bytes[start] !== OPEN_BRACE || bytes[stop - 1] !== CLOSE_BRACE) return undefined;
  const out: JsonObject = {};
  others?.reset(bytes);
  let i = skipBlanks(bytes, start + 1);
  if (bytes[i] === CLOSE_BRACE) return i + 1 === stop ? out : undefined;
  const table = selection.table;
  table.lines++;
  let previous = -1;
  for (;;) {
    if (i >= stop || bytes[i] !== QUOTE) return undefined;
    const keyStart = i + 1;
    let slot = previous === -1 ? table.first : (table.next[previous] as number);
    let keyEnd = slot === -1 ? -1 : table.endOf(slot, bytes, keyStart, stop);
    if (keyEnd === -1) {
      // Logs alternate a few line shapes: the key is most likely one met before.
      slot = table.find(bytes, keyStart, stop);
      if (slot !== -1) keyEnd = table.endOf(slot, bytes, keyStart, stop);
    }
    if (keyEnd === -1) {
      // The key: plain bytes only; an escape could spell a wanted name, so it takes the full parse.
      let k = keyStart;
      let ascii = true;
      for (;;) {
        if (k >= stop) return undefined;
        const c = bytes[k] as number;
        if (c === QUOTE) break;
        if (c === BACKSLASH || c < 0x20) return undefined;
        // U+009B (CSI) starts an ANSI sequence the grammar strips first, from keys too.
        if (c === 0xc2 && bytes[k + 1] === 0x9b) return undefined;
        if (c >= 0x80) ascii = false;
        k++;
      }
      keyEnd = k;
      if (!ascii && selection.nonAscii) return undefined;
      // Whether `vh_metadata` is unwrapped depends on every other key: leave such lines to toRecord.
      if (keyEnd - keyStart === VH_METADATA.length && sameBytes(bytes, keyStart, VH_METADATA)) return undefined;
      slot = table.slotOf(bytes, keyStart, keyEnd, ascii, selection);
    }
    // A key twice in a line: JSON.parse keeps the first place and the last value, which may be an
    // object where the first was a number; the full grammar settles such rare lines.
    if (table.lineOf[slot] === table.lines) return undefined;
    table.lineOf[slot] = table.lines;
    if (previous === -1) table.first = slot;
    else table.next[previous] = slot;
    previous = slot;
    i = skipBlanks(bytes, keyEnd + 1);
    if (bytes[i] !== COLON) return undefined;
    i = skipBlanks(bytes, i + 1);
    if (i >= stop) return undefined;
    const wanted = table.wanted[slot] as number;
    if (wanted === -1) {
      const valueStart = i;
      i = skipValue(bytes, i, stop, 1);
      if (i < 0) return undefined;
      if (others !== undefined) {
        const c = bytes[valueStart] as number;
        if (c === OPEN_BRACE) {
          // An object is parsed now: its leaves are keys of their own (`eval.precision`), counted
          // per record. Scalars and arrays (whole values) wait, as raw bytes, until one is kept.
          let value: JsonValue;
          try {
            value = JSON.parse(bytes.toString('utf8', valueStart, i)) as JsonValue;
          } catch {
            return undefined;
          }
          others.addParsed(slot, value);
        } else {
          others.addRaw(slot, valueStart, i);
        }
      }
    } else {
      const valueStart = i;
      const c = bytes[i] as number;
      let value: JsonValue;
      if (c === QUOTE) {
        i = skipString(bytes, i, stop);
        if (i < 0) return undefined;
        value = stringValue(bytes, valueStart, i);
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        i = skipValue(bytes, i, stop, 1);
        if (i < 0) return undefined;
        try {
          value = JSON.parse(bytes.toString('utf8', valueStart, i)) as JsonValue;
        } catch {
          return undefined;
        }
      } else if (c === MINUS && bytes[i + 1] === 0x49) {
        i = skipLiteral(bytes, i + 1, stop);
        if (i < 0) return undefined;
        value = -Infinity;
      } else if (c === MINUS || (c >= ZERO && c <= NINE)) {
        i = skipNumber(bytes, i);
        if (i < 0) return undefined;
        value = selection.decimals.value(bytes, valueStart, i);
      } else {
        const end = skipLiteral(bytes, i, stop);
        if (end < 0) return undefined;
        value = c === 0x74 ? true : c === 0x66 ? false : c === 0x4e ? NaN : c === 0x49 ? Infinity : null;
        i = end;
      }
      // Assigning again keeps the first position and the last value, as JSON.parse does with duplicates.
      const name = selection.names[wanted] as string;
      defineKey(out, name, value);
      if (others !== undefined && name !== '_time') others.addWanted(slot, value);
    }
    i = skipBlanks(bytes, i);
    const c = bytes[i];
    if (c === COMMA) {
      i = skipBlanks(bytes, i + 1);
      continue;
    }
    if (c === CLOSE_BRACE) return i + 1 === stop ? out : undefined;
    return undefined;
  }
}

function matchName(bytes: Uint8Array, start: number, end: number, selection: KeySelection): number {
  const length = end - start;
  const lengths = selection.lengths;
  for (let n = 0; n < lengths.length; n++) {
    if (lengths[n] !== length) continue;
    const name = selection.bytes[n] as readonly number[];
    let j = 0;
    while (j < length && bytes[start + j] === name[j]) j++;
    if (j === length) return n;
  }
  return -1;
}

function sameBytes(bytes: Uint8Array, start: number, name: Uint8Array): boolean {
  for (let j = 0; j < name.length; j++) if (bytes[start + j] !== name[j]) return false;
  return true;
}

function stringValue(bytes: Buffer, start: number, end: number): string {
  const view = bytes;
  for (let i = start + 1; i < end - 1; i++) {
    // skipString has checked every escape, so JSON.parse cannot throw here.
    if (bytes[i] === BACKSLASH) return JSON.parse(view.toString('utf8', start, end)) as string;
  }
  return view.toString('utf8', start + 1, end - 1);
}

/** Buffer's own latin1 slicer: the public toString('latin1', ...) adds two layers of argument checks per call. */
interface LatinSliceable extends Buffer {
  latin1Slice(start: number, end: number): string;
}

/**
 * The value of a token `bytes[start, end)` that skipValue has checked: a string, a number, `true`,
 * `false`, `null`, Python's `NaN`, `Infinity`, `-Infinity`, or an array, as the full grammar reads
 * it (an array with a NaN token inside is no JSON: the grammar's own parser reads it then).
 */
export function rawValue(bytes: Buffer, start: number, end: number, decimals: DecimalReader): JsonValue {
  const c = bytes[start] as number;
  if (c === QUOTE) return stringValue(bytes, start, end);
  if (c === MINUS && bytes[start + 1] === 0x49) return -Infinity;
  if (c === MINUS || (c >= ZERO && c <= NINE)) return decimals.value(bytes, start, end);
  if (c === OPEN_BRACKET) {
    const text = bytes.toString('utf8', start, end);
    try {
      return JSON.parse(text) as JsonValue;
    } catch {
      return parseJsonValue(text);
    }
  }
  return c === 0x74 ? true : c === 0x66 ? false : c === 0x4e ? NaN : c === 0x49 ? Infinity : null;
}

/**
 * The private channel between a LineReader and SummaryBuilder for `sort`'s default columns, and the
 * one place the raw bytes' lifetime is stated. A LineReader reading with `keys` into a sink that
 * has `recordWithOthers` (only SummaryBuilder's, through input/executions.ts) calls it instead of
 * `record`, with the record's other top-level keys as OtherEntries:
 *
 *  - `others` is the reader's one instance, refilled for the next record: read it during the call
 *    only, and keep none of its arrays;
 *  - a Raw entry's bytes (`others.buffer[starts[n], ends[n])`) lie in the chunk being read, which
 *    the reader's caller may overwrite once it has been pushed: they are valid until the sink's
 *    `chunkDone()`, by which time it must have converted whatever it keeps (`rawValue`).
 *
 * The public RecordSink never sees OtherEntries: a sink without this method gets plain records.
 */
export interface OtherKeysSink {
  /** A record (its values restricted to the reader's `keys`) and the keys outside them, in the record's order. */
  recordWithOthers(record: MetadataRecord, others: OtherEntries): void;
  /** The reader is done with the chunk last pushed (and at the end of input): raw bytes are no longer valid after this. */
  chunkDone(): void;
}

/** Whether a sink takes OtherEntries (see OtherKeysSink). */
export function takesOtherKeys(sink: object): sink is OtherKeysSink {
  return typeof (sink as Partial<OtherKeysSink>).recordWithOthers === 'function' && typeof (sink as Partial<OtherKeysSink>).chunkDone === 'function';
}

/** What an entry of OtherEntries holds. */
export const EntryKind = {
  /** A wanted key: its value is in the record's values. Listed to keep the keys' order. */
  Wanted: 0,
  /** A scalar or an array not yet converted: bytes `[start, end)` of `buffer`. */
  Raw: 1,
  /** A value already converted (objects, and every value on the full grammar's path). */
  Parsed: 2,
} as const;
export type EntryKind = (typeof EntryKind)[keyof typeof EntryKind];

/**
 * The top-level keys of one record besides the wanted ones, in the record's order, for a reader
 * that keeps only a count and the latest value of each (`sort`'s default columns): converting
 * every number of every line costs more than the rest of the reading, and only the last value of
 * each key is ever shown. Scalars and arrays stay raw bytes until `rawValue` reads the one kept.
 *
 * One instance per reader, refilled line after line; what its entries may be used for, and until
 * when, is OtherKeysSink's contract below.
 * Entries live in typed arrays: on a log of short records this bookkeeping runs for every key of
 * every line, and plain arrays of mixed content cost several times more to fill and read.
 */
export class OtherEntries {
  length = 0;
  buffer: Buffer = Buffer.alloc(0);
  kinds = new Uint8Array(16);
  /** The name's slot in the reader's KeyTable (stable from line to line), or -1: then `names[n]` holds it. */
  slots = new Int32Array(16);
  /** A raw scalar's bytes `[start, end)` in `buffer`. */
  starts = new Int32Array(16);
  ends = new Int32Array(16);
  /** The value of a wanted or parsed entry. */
  readonly values: JsonValue[] = [];
  /** The names of entries without a slot (the full grammar's records). */
  readonly names: string[] = [];

  /** `slotNames`: the reader's KeyTable names, by slot. */
  constructor(readonly slotNames: readonly string[] = []) {}

  reset(buffer: Buffer): void {
    this.length = 0;
    this.buffer = buffer;
  }

  /** The name of entry `n`. */
  nameOf(n: number): string {
    const slot = this.slots[n] as number;
    return slot === -1 ? (this.names[n] as string) : (this.slotNames[slot] as string);
  }

  private next(kind: EntryKind, slot: number): number {
    const n = this.length++;
    if (n === this.kinds.length) this.grow();
    this.kinds[n] = kind;
    this.slots[n] = slot;
    return n;
  }

  private grow(): void {
    const size = this.kinds.length * 2;
    const kinds = new Uint8Array(size);
    kinds.set(this.kinds);
    this.kinds = kinds;
    for (const field of ['slots', 'starts', 'ends'] as const) {
      const grown = new Int32Array(size);
      grown.set(this[field]);
      this[field] = grown;
    }
  }

  // Each kind writes only the fields the reader of that kind looks at (see SummaryBuilder.addOthers).
  /** A wanted key and its value (in the record too). Listed to keep the keys' order. */
  addWanted(slot: number, value: JsonValue, name?: string): void {
    const n = this.next(EntryKind.Wanted, slot);
    this.values[n] = value;
    if (slot === -1) this.names[n] = name as string;
  }

  /** A scalar or an array left as bytes. */
  addRaw(slot: number, start: number, end: number): void {
    const n = this.next(EntryKind.Raw, slot);
    this.starts[n] = start;
    this.ends[n] = end;
  }

  /** A converted value. */
  addParsed(slot: number, value: JsonValue, name?: string): void {
    const n = this.next(EntryKind.Parsed, slot);
    this.values[n] = value;
    if (slot === -1) this.names[n] = name as string;
  }
}
