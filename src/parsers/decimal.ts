/**
 * JSON number tokens to doubles without making a string, rounded exactly as JSON.parse rounds.
 *
 * Training scripts print floats with Python's repr, which writes the shortest digits that round
 * trip: 16 or 17 significant digits for most losses and accuracies (`0.013348490371002166`).
 * Those digits, read as an integer, pass 2^53, so the one-division fast path (Clinger's) no longer
 * applies, and `Number(text)` costs a string plus V8's general parser: about 130 ns a value, the
 * largest single cost of `sort` after the byte scan. Here the digits are held exactly as a sum of
 * two doubles and divided by the power of ten in double-double arithmetic, which leaves an error
 * far below a millionth of an ulp; the nearest double is then certain unless the value lies
 * within that error of a point halfway between two doubles, and those rare tokens, like anything
 * unusual (an exponent, more than 19 significant digits), go to `Number` after all.
 * test/decimal.property.test.ts compares this with Number on random and adversarial tokens.
 */

/** Exact powers of ten: every 10^k up to 10^22 is a double without rounding. */
const POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

/** 2^53: integers below it are exact doubles. */
const EXACT_INTEGER_LIMIT = 9007199254740992;
/** 2^27 + 1, Veltkamp's constant: splits a double into two 26-bit halves whose products are exact. */
const SPLITTER = 134217729;
/** How close to a halfway point (relative) the estimate may come before `Number` decides: 2^-86, while the estimate's error is below 2^-100. */
const HALFWAY_MARGIN = 1e-26;

/** Buffer's own latin1 slicer: the public toString('latin1', ...) adds argument checks per call. */
interface LatinSliceable extends Uint8Array {
  latin1Slice(start: number, end: number): string;
}

/** The exact value of `a * b - product`, where `product` is the rounded `a * b` (Dekker). */
function productError(a: number, b: number, product: number): number {
  let t = SPLITTER * a;
  const aHigh = t - (t - a);
  const aLow = a - aHigh;
  t = SPLITTER * b;
  const bHigh = t - (t - b);
  const bLow = b - bHigh;
  return aHigh * bHigh - product + aHigh * bLow + aLow * bHigh + aLow * bLow;
}

/**
 * The double nearest to `(high + low) / 10^scale`, where `high + low` is an exact integer held as
 * two doubles (`|low|` at most half an ulp of `high`) and `scale` ≤ 22; or NaN when the quotient
 * lies too near a halfway point to be sure without exact arithmetic.
 */
function divideExactly(high: number, low: number, scale: number): number {
  const divisor = POWERS_OF_TEN[scale] as number;
  // Long division in two steps: q1, then what q1 * divisor misses, divided again.
  const q1 = high / divisor;
  const p1 = q1 * divisor;
  const p2 = productError(q1, divisor, p1);
  // high - p1 is exact (the two are within a factor of two); the rest is far below an ulp of q1.
  const q2 = (high - p1 - p2 + low) / divisor;
  const nearest = q1 + q2;
  const beyond = q2 - (nearest - q1);
  // The exact quotient is within nearest * 2^-100 of nearest + beyond. If moving that sum by far
  // more than this, either way, still rounds to nearest, so does the exact quotient (the rounding
  // of the sums themselves is below 2^-105 relative). This also covers the smaller ulp below a power of two.
  const margin = nearest * HALFWAY_MARGIN;
  if (nearest + (beyond + margin) !== nearest || nearest + (beyond - margin) !== nearest) return NaN;
  return nearest;
}

/**
 * The value of a checked JSON number token `bytes[start, end)`, exactly as JSON.parse gives it.
 * Fast for plain decimals (`-12`, `0.013348490371002166`); tokens with an exponent or more than
 * 19 significant digits, and values near a halfway point, go through `Number`.
 */
export function decimalValue(bytes: Uint8Array, start: number, end: number): number {
  let i = start;
  const negative = bytes[i] === 0x2d;
  if (negative) i++;
  // The first 15 significant digits go to `high` (below 10^15, exact); up to 4 more to `extra`.
  let high = 0;
  let significant = 0;
  let extra = 0;
  let extraDigits = 0;
  let scale = 0;
  let fraction = false;
  for (; i < end; i++) {
    const c = bytes[i] as number;
    if (c === 0x2e) {
      fraction = true;
      continue;
    }
    if (c < 0x30 || c > 0x39) break;
    if (fraction) scale++;
    if (significant < 15) {
      high = high * 10 + (c - 0x30);
      if (high !== 0) significant++;
    } else if (extraDigits < 4) {
      extra = extra * 10 + (c - 0x30);
      extraDigits++;
    } else {
      return Number((bytes as LatinSliceable).latin1Slice(start, end));
    }
  }
  if (i !== end || scale > 22) return Number((bytes as LatinSliceable).latin1Slice(start, end));
  let value: number;
  if (extraDigits === 0) {
    // Clinger's fast path: an exact integer and an exact power of ten, one correctly rounded division.
    value = scale === 0 ? high : high / (POWERS_OF_TEN[scale] as number);
  } else {
    const multiplier = POWERS_OF_TEN[extraDigits] as number;
    const product = high * multiplier;
    // The digits as an exact integer: product + (its rounding error + extra), both integers.
    const rest = productError(high, multiplier, product) + extra;
    const sum = product + rest;
    const sumError = rest - (sum - product);
    if (sum < EXACT_INTEGER_LIMIT) {
      value = scale === 0 ? sum : sum / (POWERS_OF_TEN[scale] as number);
    } else {
      value = divideExactly(sum, sumError, scale);
      if (value !== value) return Number((bytes as LatinSliceable).latin1Slice(start, end));
    }
  }
  return negative ? -value : value;
}
