/**
 * Numbers and metadata values for people, spelled one way in every renderer: NaN, Infinity and
 * -Infinity as Python's json.dumps writes them, numbers to a few significant digits. Pure.
 */

/**
 * A number for people: integers as they are, others to `digits` (default 6) significant digits without trailing
 * zeros (0.9247000813484192 → 0.9247), exponent form only for very large or small magnitudes.
 */
export function formatNumber(value: number, digits = 6): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs >= 1e9 || abs < 1e-4)) return value.toExponential(Math.min(3, digits - 1)).replace(/\.?0+e/, 'e');
  return String(Number(value.toPrecision(digits)));
}

/** Any metadata value as table text: numbers formatted, arrays and objects as compact JSON. */
export function formatValue(value: unknown): string {
  if (value === undefined) return '';
  if (value === null) return 'null';
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return JSON.stringify(value, (_key, item: unknown) => (typeof item === 'number' && !Number.isFinite(item) ? formatNumber(item) : item)) ?? '';
}

/** A signed difference: `+0.012`, `-3`, `±0`. */
export function formatDelta(delta: number, digits = 6): string {
  if (delta === 0) return '±0';
  const text = formatNumber(delta, digits);
  return delta > 0 ? `+${text}` : text;
}

/**
 * A value as a condition reads it, for messages that quote what made a rule fire: numbers in
 * full (the exact value, not formatNumber's few digits), strings in JSON quotes, `missing` for no
 * value, arrays and objects as JSON.
 */
export function formatLiteral(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (value === undefined) return 'missing';
  return JSON.stringify(value) ?? String(value);
}
