/**
 * A number written as text, read the way Python's float() reads it (digit underscores aside):
 * `0.6931`, `5e-05`, `+1`, `.5`, `nan`, `inf`, `-Infinity`, blanks around allowed. The one reading
 * of numeric strings: `gate`'s conditions, Transformers 5's string values, metrics CSV cells.
 */
const FLOAT_TEXT = /^\s*([+-]?)(?:(\d+\.?\d*(?:e[+-]?\d+)?|\.\d+(?:e[+-]?\d+)?)|(inf(?:inity)?)|(nan))\s*$/i;

/**
 * The number `text` spells, or undefined. With `nonFinite` false, `nan` and `inf` are not numbers:
 * in free-text settings "inf" is more likely a word.
 */
export function numberFromText(text: string, nonFinite = true): number | undefined {
  const m = FLOAT_TEXT.exec(text);
  if (!m) return undefined;
  if (m[2] === undefined && !nonFinite) return undefined;
  if (m[4] !== undefined) return NaN;
  const magnitude = m[3] !== undefined ? Infinity : Number(m[2]);
  return m[1] === '-' ? -magnitude : magnitude;
}

/**
 * The largest of `values`, or `floor` when there are none or all are smaller: a loop, where
 * `Math.max(...values)` passes every value as an argument and overflows the stack once an input
 * holds a few hundred thousand (a 200,000-row table, 100,000 files).
 */
export function maxOf(values: Iterable<number>, floor = -Infinity): number {
  let max = floor;
  for (const value of values) if (value > max) max = value;
  return max;
}
