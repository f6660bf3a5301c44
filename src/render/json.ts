/**
 * JSON output. Python writes NaN and Infinity as bare tokens, which are not JSON;
 * vizmeta's default output must stay valid JSON, so the style is a choice:
 * `null` (the default: what JSON.stringify writes), `string` ("NaN", "Infinity", "-Infinity"),
 * or `python` (bare tokens, for tools that read Python's json.dumps output).
 */
import type { JsonValue } from '../core/types.js';

export type NonFiniteStyle = 'null' | 'string' | 'python';

function nonFiniteName(value: number): string {
  return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
}

function stringifyPython(value: JsonValue | undefined): string {
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : nonFiniteName(value);
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => stringifyPython(item)).join(',')}]`;
  const parts: string[] = [];
  for (const key of Object.keys(value)) parts.push(`${JSON.stringify(key)}:${stringifyPython(value[key])}`);
  return `{${parts.join(',')}}`;
}

/** One value as a JSON text with the chosen non-finite style. */
export function toJsonLine(value: JsonValue | Record<string, JsonValue>, style: NonFiniteStyle = 'null'): string {
  if (style === 'null') return JSON.stringify(value);
  if (style === 'string') {
    return JSON.stringify(value, (_key, item: unknown) => (typeof item === 'number' && !Number.isFinite(item) ? nonFiniteName(item) : item));
  }
  return stringifyPython(value as JsonValue);
}
