/**
 * From a parsed JSON object to a metadata record: Valohai's deployment wrapper
 * `{"vh_metadata": {...}}` is unwrapped, and `_time` is settled (the object's own
 * `_time` wins, then the line's timestamp prefix, then when the line was read).
 * Also the dotted-path lookup every command uses to name a key.
 */
import type { JsonObject, JsonValue, MetadataRecord } from '../core/types.js';

/** Unwraps `{"vh_metadata": {...}}`, the form Valohai deployments print. */
export function unwrapValohai(object: JsonObject): JsonObject {
  if (!Object.hasOwn(object, 'vh_metadata')) return object;
  const inner = object['vh_metadata'];
  if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) return object;
  for (const key in object) if (key !== 'vh_metadata' && Object.hasOwn(object, key)) return object;
  return inner;
}

// ISO-8601 date-time; the zone is optional because Valohai writes `2017-04-04T15:03:39.321000`.
const ISO_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:[.,](\d+))?(Z|z|[+-]\d{2}:?\d{2})?$/;

/** Reads an ISO-8601 time; one without a zone is UTC, as Valohai's `_time` is. Returns epoch ms or undefined. */
export function parseIsoTime(text: string): number | undefined {
  const m = ISO_TIME.exec(text.trim());
  if (!m) return undefined;
  const clock = m[2]!.length === 5 ? `${m[2]}:00` : m[2];
  const fraction = (m[3] ?? '').slice(0, 3).padEnd(3, '0');
  let zone = m[4] ?? 'Z';
  if (zone === 'z') zone = 'Z';
  else if (zone.length === 5) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const time = Date.parse(`${m[1]}T${clock}.${fraction}${zone}`);
  return Number.isNaN(time) ? undefined : time;
}

const DAY_MS = 86_400_000;
/** `00`…`99` and `000`…`999`, made on the first time formatted: at load they cost every run ~0.5 ms. */
let twoDigits: string[] | undefined;
let threeDigits: string[] | undefined;
const digits = (count: number, width: number): string[] => Array.from({ length: count }, (_, n) => String(n).padStart(width, '0'));

/**
 * Formats times as `new Date(ms).toISOString()` does, one formatter per reader: it remembers the
 * day last formatted, since a log's timestamps move forward, thousands of lines a day, so most
 * lines reuse its text and format only their clock (Date#toISOString costs more than the rest of
 * reading a short record).
 */
export class IsoTimes {
  private day = NaN;
  private dayText = '';

  /** Exactly `new Date(ms).toISOString()` for a valid time in whole milliseconds. */
  format(ms: number): string {
    const day = Math.floor(ms / DAY_MS);
    if (day !== this.day) {
      // `2026-11-22T`; wider years (`+012026-...`) end the same way.
      this.dayText = new Date(day * DAY_MS).toISOString().slice(0, -13);
      this.day = day;
    }
    let rest = ms - day * DAY_MS;
    const hour = Math.floor(rest / 3_600_000);
    rest -= hour * 3_600_000;
    const minute = Math.floor(rest / 60_000);
    rest -= minute * 60_000;
    const second = Math.floor(rest / 1000);
    const two = (twoDigits ??= digits(100, 2));
    const three = (threeDigits ??= digits(1000, 3));
    return `${this.dayText}${two[hour]}:${two[minute]}:${two[second]}.${three[rest - second * 1000]}Z`;
  }
}

/**
 * Builds a record from a metadata object. `readTime` is the ISO string for "now", computed once
 * per chunk by the reader because formatting a date per line is measurable on big logs; for the
 * same reason a reader passes its own `times`.
 */
export function toRecord(object: JsonObject, source: string, line: number, prefixTime: number | undefined, readTime: string, times?: IsoTimes): MetadataRecord {
  let values = unwrapValohai(object);
  let time: string | undefined;
  if (Object.hasOwn(values, '_time')) {
    const own = values['_time'];
    const parsed = typeof own === 'string' ? parseIsoTime(own) : undefined;
    if (parsed !== undefined) time = (times ??= new IsoTimes()).format(parsed);
    values = withoutKey(values, '_time');
  }
  if (time === undefined) time = prefixTime === undefined ? readTime : (times ??= new IsoTimes()).format(prefixTime);
  return { values, time, source, line };
}

function withoutKey(object: JsonObject, drop: string): JsonObject {
  const out: JsonObject = {};
  for (const key of Object.keys(object)) {
    if (key === drop) continue;
    // Spread-free copy so a `__proto__` data key stays data.
    Object.defineProperty(out, key, { value: object[key], writable: true, enumerable: true, configurable: true });
  }
  return out;
}

// getPath lives with the rest of the key vocabulary; re-exported here, where readers of records look for it.
export { getPath } from '../core/keys.js';

/**
 * Flattens nested objects into dotted keys (`{"val": {"loss": 1}}` → `val.loss`), in order.
 * Arrays stay whole values. Used where every key is listed: CSV columns, stats, tables.
 */
export function flattenValues(values: JsonObject, prefix?: string, out: Map<string, JsonValue> = new Map()): Map<string, JsonValue> {
  for (const key of Object.keys(values)) {
    const value = values[key] as JsonValue;
    // Only the top level has no prefix: under an empty key `""`, `{"lr": 1}` is `.lr`, not `lr`.
    const name = prefix === undefined ? key : `${prefix}.${key}`;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) flattenValues(value, name, out);
    else out.set(name, value);
  }
  return out;
}

/**
 * Visits what flattenValues would hold, in its order, without building a Map for the usual flat
 * record: a summary folding a million records saves ~150 ns each. Records with nested objects go
 * through flattenValues, so a flat `"a.b"` key and a nested `a.b` still meet as one name.
 */
export function forEachLeaf(values: JsonObject, visit: (name: string, value: JsonValue) => void): void {
  const keys = Object.keys(values);
  // Indexed loops: this runs for every record, and on a small log it runs before V8 optimises it,
  // when each step of a for-of still allocates an iterator result.
  for (let k = 0; k < keys.length; k++) {
    const value = values[keys[k] as string];
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [name, leaf] of flattenValues(values)) visit(name, leaf);
      return;
    }
  }
  for (let k = 0; k < keys.length; k++) visit(keys[k] as string, values[keys[k] as string] as JsonValue);
}
