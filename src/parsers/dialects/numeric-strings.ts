/**
 * Transformers 5 prints its log dicts with every value formatted as a string
 * (`{'loss': '0.6931', 'grad_norm': 'nan', 'epoch': '0.5'}`). In a Python dict record, a string
 * that spells a number the way Python prints one is that number, for every command.
 */
import type { JsonObject, JsonValue } from '../../core/types.js';
import { defineKey } from '../json.js';

// What Python's str()/format() print for an int or a float: no hex, no separators, no spaces.
const DECIMAL = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The number a string spells as Python prints numbers (`0.6931`, `5e-05`, `nan`, `inf`, `-inf`), or undefined. */
export function numberFromPythonText(text: string): number | undefined {
  if (text.length === 0 || text.length > 40) return undefined;
  if (DECIMAL.test(text)) return Number(text);
  switch (text) {
    case 'nan': case 'NaN': return NaN;
    case 'inf': case 'Infinity': return Infinity;
    case '-inf': case '-Infinity': return -Infinity;
    default: return undefined;
  }
}

/** A copy of the dict with numeric strings as numbers, at every depth; the same object when there were none. */
export function numericStringsAsNumbers(object: JsonObject): JsonObject {
  // Most dicts (Transformers 4's) hold numbers already: look before copying.
  if (!Object.values(object).some((value) => typeof value === 'string' || (value !== null && typeof value === 'object'))) return object;
  let changed = false;
  const out: JsonObject = {};
  for (const key of Object.keys(object)) {
    const value = object[key] as JsonValue;
    const converted = convert(value);
    if (converted !== value) changed = true;
    defineKey(out, key, converted);
  }
  return changed ? out : object;
}

function convert(value: JsonValue): JsonValue {
  if (typeof value === 'string') return numberFromPythonText(value) ?? value;
  if (Array.isArray(value)) {
    const items = value.map(convert);
    return items.some((item, i) => item !== value[i]) ? items : value;
  }
  if (value !== null && typeof value === 'object') return numericStringsAsNumbers(value);
  return value;
}
