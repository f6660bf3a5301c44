/**
 * Parsers for flag values, one of each kind, shared by every command's options: repeatable
 * flags, whole numbers, plain numbers and key lists. Each throws a UsageError naming the flag, so
 * a bad value is exit 2 before any work.
 */
import { UsageError } from '../core/errors.js';
import { parseKeyList } from '../core/keys.js';

/** Commander collector for repeatable options: every value, in order. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/**
 * A whole number of at least `least` (default 1), written in digits (`12`, not `1e1` or
 * `0x0c`): `--jobs`, `--limit`, `--height`, `--width`, `--columns`, `--patience`.
 */
export function parseWholeNumber(flag: string, least = 1): (text: string) => number {
  const what = least === 1 ? 'a positive whole number' : `a whole number >= ${least}`;
  return (text) => {
    const value = Number(text);
    if (!/^\d+$/.test(text.trim()) || value < least) throw new UsageError(`${flag}: expected ${what}, got '${text}'`);
    return value;
  };
}

/** A number that passes `test`, else a UsageError saying `what` was expected. */
export function parseNumber(flag: string, what: string, test: (n: number) => boolean = () => true): (text: string) => number {
  return (text) => {
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value) || !test(value)) throw new UsageError(`${flag}: expected ${what}, got '${text}'`);
    return value;
  };
}

/**
 * Commander collector for a key list such as `--keys a,b` (repeatable): key names in order, each
 * once, Valohai's `metadata.` prefix dropped (see parseKeyList). A value with no key name in it is
 * a mistake, reported under `flag` (an old spelling, `table --columns`, names itself).
 */
export function keyCollector(flag: string): (text: string, previous: string[] | undefined) => string[] {
  return (text, previous) => {
    const keys = parseKeyList(text);
    if (keys.length === 0) throw new UsageError(`${flag}: expected key names separated by commas, got '${text}'`);
    return parseKeyList([...(previous ?? []), ...keys]);
  };
}

/** {@link keyCollector} for `--keys`. */
export const collectKeys = keyCollector('--keys');

/** `--renderer-option key=value` pairs as the renderer's options; a value is JSON when it parses as JSON, else a string. */
export function parseRendererOptions(pairs: readonly string[] | undefined): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const pair of pairs ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--renderer-option: expected KEY=VALUE, got '${pair}'`);
    const key = pair.slice(0, eq);
    const text = pair.slice(eq + 1);
    let value: unknown = text;
    try { value = JSON.parse(text); } catch { /* a plain string */ }
    Object.defineProperty(options, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return options;
}
