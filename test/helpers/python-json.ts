/**
 * Python's json.dumps for property tests (NaN and ±Infinity as bare tokens, as Python writes
 * them), and a comparable form of parsed values.
 */
import type { JsonValue } from '../../src/core/types.js';

/** Python's json.dumps, with a choice of separators, NaN tokens included. */
export function pythonDumps(value: JsonValue, comma = ', ', colon = ': '): string {
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (value === Infinity) return 'Infinity';
    if (value === -Infinity) return '-Infinity';
    return JSON.stringify(value);
  }
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((item) => pythonDumps(item, comma, colon)).join(comma)}]`;
  return `{${Object.keys(value).map((k) => `${JSON.stringify(k)}${colon}${pythonDumps(value[k]!, comma, colon)}`).join(comma)}}`;
}

/** A form for toEqual that sees NaN, ±Infinity, -0 and key order ([key, value] pairs). */
export function comparable(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? (Object.is(value, -0) ? '-0' : value) : String(value);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(comparable);
  return Object.keys(value).map((k) => [k, comparable((value as Record<string, unknown>)[k])]);
}
