/**
 * Transformers 5 prints its log dicts with every value formatted as a string
 * (`{'loss': '0.6931', 'grad_norm': 'nan', 'epoch': '0.5'}`). In a Python dict record, a string
 * that spells a number (core/numbers.ts, as gate reads numeric strings) is that number.
 */
import type { JsonObject, JsonValue } from '../../core/types.js';
import { defineKey } from '../json.js';
import { numberFromText } from '../../core/numbers.js';

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
  if (typeof value === 'string') return numberFromText(value) ?? value;
  if (Array.isArray(value)) {
    const items = value.map(convert);
    return items.some((item, i) => item !== value[i]) ? items : value;
  }
  if (value !== null && typeof value === 'object') return numericStringsAsNumbers(value);
  return value;
}
