/**
 * The shared vocabulary of metadata keys: how a key named on the command line or in a config is
 * written (`metadata.` prefix, lists), how it is found in a record (dotted paths), and which keys
 * say how far a run got (its step). One definition of each, for every command and the library.
 */
import type { JsonObject, JsonValue } from './types.js';

/** Strips Valohai's `metadata.` prefix from a key named on the command line. */
export function normalizeKey(key: string): string {
  const trimmed = key.trim();
  return trimmed.startsWith('metadata.') && trimmed.length > 'metadata.'.length ? trimmed.slice('metadata.'.length) : trimmed;
}

/**
 * `a,b , metadata.c` → `['a', 'b', 'c']`: key names from a flag or the config, split at commas,
 * trimmed, without Valohai's `metadata.` prefix, each once in first-named order. Repeated flags
 * are joined. `--keys` of every command reads its value with this.
 */
export function parseKeyList(texts: string | readonly string[] | undefined): string[] {
  if (texts === undefined) return [];
  const list = typeof texts === 'string' ? [texts] : texts;
  const keys: string[] = [];
  for (const text of list) {
    for (const part of text.split(',')) {
      const key = normalizeKey(part);
      if (key !== '' && !keys.includes(key)) keys.push(key);
    }
  }
  return keys;
}

/**
 * `['loss+val_loss', 'accuracy']` → `[['loss', 'val_loss'], ['accuracy']]`: keys from a
 * dashboard's `--keys`, where `+` puts keys on one chart. Each name is normalised as
 * {@link parseKeyList} does; empty names are dropped.
 */
export function parseKeyGroups(keys: readonly string[]): string[][] {
  return keys.map((entry) => entry.split('+').map(normalizeKey).filter((key) => key !== '')).filter((group) => group.length > 0);
}

/**
 * Resolves a key name against a record's values: an exact own key first (a flat `"val.loss"`),
 * then a dotted path through nested objects (`val.loss` → values.val.loss). Only own properties
 * are read, so `constructor` or `__proto__` can never reach a prototype.
 */
export function getPath(values: JsonObject, path: string): JsonValue | undefined {
  if (Object.hasOwn(values, path)) return values[path];
  if (path.indexOf('.') === -1) return undefined;
  let current: JsonValue | undefined = values;
  let rest = path;
  while (rest.length > 0) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    const object: JsonObject = current;
    if (Object.hasOwn(object, rest)) return object[rest];
    // Take the longest own key that is a dotted prefix of what remains, so keys with dots still resolve.
    let next: string | undefined;
    for (let dot = rest.lastIndexOf('.'); dot > 0; dot = rest.lastIndexOf('.', dot - 1)) {
      const head = rest.slice(0, dot);
      if (Object.hasOwn(object, head)) { next = head; break; }
    }
    if (next === undefined) return undefined;
    current = object[next];
    rest = rest.slice(next.length + 1);
  }
  return current;
}

/** Keys that name a record's step, in the order they are tried. */
export const STEP_KEYS: readonly string[] = ['step', 'epoch', 'iteration', '_step', 'global_step'];

/**
 * A record's step: its `step` (or `epoch`, `iteration`, `_step`, `global_step`, tried in that
 * order) when an own finite number, else `ordinal` (the record's number). Summaries, early stopping
 * and the dashboard's x axis all read a record's position with this.
 */
export function stepOf(values: JsonObject, ordinal: number): number {
  // STEP_KEYS in order, written out: a load per name at its own site stays fast on records of many
  // shapes, where one site looping over the names would be slow for all of them. An absent key
  // reads undefined (records are plain objects), so only a number found is checked to be own.
  let value = values['step'];
  if (typeof value === 'number' && Number.isFinite(value) && Object.hasOwn(values, 'step')) return value;
  value = values['epoch'];
  if (typeof value === 'number' && Number.isFinite(value) && Object.hasOwn(values, 'epoch')) return value;
  value = values['iteration'];
  if (typeof value === 'number' && Number.isFinite(value) && Object.hasOwn(values, 'iteration')) return value;
  value = values['_step'];
  if (typeof value === 'number' && Number.isFinite(value) && Object.hasOwn(values, '_step')) return value;
  value = values['global_step'];
  if (typeof value === 'number' && Number.isFinite(value) && Object.hasOwn(values, 'global_step')) return value;
  return ordinal;
}

/** Which of STEP_KEYS gave a record its step (see stepOf), or undefined when none did. */
export function stepKeyOf(values: JsonObject): string | undefined {
  for (const key of STEP_KEYS) {
    const value = Object.hasOwn(values, key) ? values[key] : undefined;
    if (typeof value === 'number' && Number.isFinite(value)) return key;
  }
  return undefined;
}
