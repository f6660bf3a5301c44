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
 * test/parsers/fast/decimal.property.test.ts compares this with Number on random and adversarial tokens.
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

// The word order of a double in memory follows the machine's byte order.
const HIGH = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const LOW = 1 - HIGH;
/** How near (in units of the token's last digit) a boundary counts as too near to decide; the arithmetic is off by far less. */
const BOUNDARY_MARGIN = 1e-6;

/**
 * Reads number tokens; one per reader (a LineReader's key selection, extract's writer, a summary).
 * It holds the last token read and its digits, refilled token after token, so reading a number
 * allocates nothing, and no state is shared between readers.
 */
export class DecimalReader {
  // The last token read by readToken.
  private negative = false;
  /** The first 15 significant digits as an integer (below 10^15, so exact). */
  private high = 0;
  /** Up to 4 further significant digits, and how many. */
  private extra = 0;
  private extraDigits = 0;
  /** Significant digits: from the first nonzero digit on. */
  private significant = 0;
  /** Digits after the point: the value is digits / 10^scale. */
  private scale = 0;
  /** Zeros after the point before the first significant digit (`0.001` has 2). */
  private leadingZeros = 0;
  /** The last digit is a zero after the point (`1.50`). */
  private trailingFractionZero = false;
  /** The last digit. */
  private lastDigit = 0;
  // The token's digits as an exact integer, held as two doubles: set by tokenDigits.
  private digitsHigh = 0;
  private digitsLow = 0;
  // One double viewed as two 32-bit words, to read its exponent and build its ulp.
  private readonly double = new Float64Array(1);
  private readonly words = new Uint32Array(this.double.buffer);

  /**
   * The value of a checked JSON number token `bytes[start, end)`, exactly as JSON.parse gives it.
   * Fast for plain decimals (`-12`, `0.013348490371002166`); tokens with an exponent or more than
   * 19 significant digits, and values near a halfway point, go through `Number`.
   */
  value(bytes: Uint8Array, start: number, end: number): number {
    if (!this.readToken(bytes, start, end)) return Number((bytes as LatinSliceable).latin1Slice(start, end));
    const magnitude = this.tokenMagnitude();
    if (magnitude !== magnitude) return Number((bytes as LatinSliceable).latin1Slice(start, end));
    return this.negative ? -magnitude : magnitude;
  }

  /**
   * Whether the checked JSON number token `bytes[start, end)` is exactly what String (and so
   * JSON.stringify) prints for its value, so that a writer can copy it instead of converting and
   * printing. String prints the shortest digits that read back as the same double, the ones nearest
   * the value if several, in plain notation from 1e-6 up. A token of at most 15 significant digits
   * always is those digits (two such decimals never round to one double) unless it has trailing
   * zeros; one of 16 or 17 (Python's repr of most floats) is when it lies within half a unit of its
   * last digit of the value and no decimal one digit shorter rounds to that value, which exact
   * double-double arithmetic settles. False whenever unsure: the writer then prints the value.
   */
  spelledAsString(bytes: Uint8Array, start: number, end: number): boolean {
    if (!this.readToken(bytes, start, end)) return false;
    const significant = this.significant;
    // Zero prints as `0` (never `-0` or `0.0`); below 1e-6 String uses an exponent.
    if (significant === 0 || this.trailingFractionZero || this.leadingZeros > 5) return false;
    if (significant <= 15) return true;
    if (significant > 17) return false;
    const value = this.tokenMagnitude();
    if (value !== value) return false;
    // Everything below is in units of the token's last digit: the token is digits / 10^scale.
    const scale = POWERS_OF_TEN[this.scale] as number;
    const double = this.double;
    const words = this.words;
    double[0] = value;
    const highWord = words[HIGH] as number;
    // At a power of two the gap below is half the gap above; leave those to String.
    if ((highWord & 0xfffff) === 0 && words[LOW] === 0) return false;
    words[LOW] = 0;
    words[HIGH] = (((highWord >>> 20) & 0x7ff) - 52) << 20;
    // Half the gap between value and its neighbours, scaled: decimals closer than this read back as value.
    const reach = (double[0] as number) * scale * 0.5;
    // offset = digits - value * 10^scale, exactly: value * 10^scale is product + its error.
    const product = value * scale;
    const offset = this.digitsHigh - product + (this.digitsLow - productError(value, scale, product));
    // Nearest: no other decimal of this length is closer to value.
    if (!(Math.abs(offset) < 0.5 - BOUNDARY_MARGIN)) return false;
    // Shortest: neither decimal one digit shorter around it (last digit cut, or cut and raised) reads back as value.
    const below = Math.abs(offset - this.lastDigit);
    const above = Math.abs(offset - this.lastDigit + 10);
    return below > reach + BOUNDARY_MARGIN && above > reach + BOUNDARY_MARGIN;
  }

  /**
   * Reads a plain decimal token (`-12`, `0.013348490371002166`); false for an exponent, more than
   * 19 significant digits or more than 22 after the point (the fast paths' limits).
   */
  private readToken(bytes: Uint8Array, start: number, end: number): boolean {
    let i = start;
    const negative = bytes[i] === 0x2d;
    if (negative) i++;
    let high = 0;
    let significant = 0;
    let extra = 0;
    let extraDigits = 0;
    let scale = 0;
    let leadingZeros = 0;
    let fraction = false;
    let c = 0;
    for (; i < end; i++) {
      c = bytes[i] as number;
      if (c === 0x2e) {
        fraction = true;
        continue;
      }
      if (c < 0x30 || c > 0x39) return false;
      if (fraction) {
        scale++;
        if (high === 0 && c === 0x30) leadingZeros++;
      }
      if (significant < 15) {
        high = high * 10 + (c - 0x30);
        if (high !== 0) significant++;
      } else if (extraDigits < 4) {
        extra = extra * 10 + (c - 0x30);
        extraDigits++;
        significant++;
      } else {
        return false;
      }
    }
    if (scale > 22) return false;
    this.negative = negative;
    this.high = high;
    this.extra = extra;
    this.extraDigits = extraDigits;
    this.significant = significant;
    this.scale = scale;
    this.leadingZeros = leadingZeros;
    this.trailingFractionZero = fraction && c === 0x30;
    this.lastDigit = c - 0x30;
    return true;
  }

  /** Puts the token's significant digits, as an exact integer, in digitsHigh + digitsLow. */
  private tokenDigits(): void {
    if (this.extraDigits === 0) {
      this.digitsHigh = this.high;
      this.digitsLow = 0;
      return;
    }
    const multiplier = POWERS_OF_TEN[this.extraDigits] as number;
    const product = this.high * multiplier;
    // product + (its rounding error + extra): both parts are integers, the second small.
    const rest = productError(this.high, multiplier, product) + this.extra;
    const digitsHigh = product + rest;
    this.digitsHigh = digitsHigh;
    this.digitsLow = rest - (digitsHigh - product);
  }

  /** The magnitude of the token read last, correctly rounded, or NaN when the fast path cannot be sure. */
  private tokenMagnitude(): number {
    const scale = this.scale;
    // Clinger's fast path: an exact integer and an exact power of ten, one correctly rounded division.
    if (this.extraDigits === 0) return scale === 0 ? this.high : this.high / (POWERS_OF_TEN[scale] as number);
    this.tokenDigits();
    const digitsHigh = this.digitsHigh;
    if (digitsHigh < EXACT_INTEGER_LIMIT) return scale === 0 ? digitsHigh : digitsHigh / (POWERS_OF_TEN[scale] as number);
    return divideExactly(digitsHigh, this.digitsLow, scale);
  }
}
