/**
 * DecimalReader.value (decimalValue below) must give exactly the double Number (and so JSON.parse) gives, for every token the
 * scanner hands it. Random doubles printed as Python prints them are the common case; the hard
 * cases are decimals within a hair of a point halfway between two doubles, built here exactly with
 * BigInt, where a conversion that is merely very accurate rounds the wrong way.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecimalReader } from '../../../src/parsers/fast/decimal.js';

/** One reader for the file, as one input has: the token it holds carries from call to call. */
const decimals = new DecimalReader();
const decimalValue = (bytes: Uint8Array, start: number, end: number): number => decimals.value(bytes, start, end);
const spelledAsString = (bytes: Uint8Array, start: number, end: number): boolean => decimals.spelledAsString(bytes, start, end);

function convert(text: string, pad = 0): number {
  // Bytes after the token: the scanner's tokens sit inside a line, never at a buffer's end.
  const bytes = Buffer.from(`${' '.repeat(pad)}${text},}`);
  return decimalValue(bytes, pad, pad + text.length);
}

function expectSame(text: string): void {
  const got = convert(text);
  const want = Number(text);
  if (!Object.is(got, want)) expect.fail(`${text}: decimalValue ${got}, Number ${want}`);
}

/** The exact decimal expansion of the point halfway between positive normal x and the next double up. */
function halfwayAbove(x: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const biasedExponent = Number((bits >> 52n) & 0x7ffn);
  const mantissa = (bits & ((1n << 52n) - 1n)) | (1n << 52n);
  // x = mantissa * 2^e; the halfway point is (2 * mantissa + 1) * 2^(e - 1).
  const e = biasedExponent - 1075 - 1;
  const odd = 2n * mantissa + 1n;
  if (e >= 0) return (odd << BigInt(e)).toString();
  // odd / 2^k = odd * 5^k / 10^k
  const k = -e;
  const digits = (odd * 5n ** BigInt(k)).toString().padStart(k + 1, '0');
  return `${digits.slice(0, digits.length - k)}.${digits.slice(digits.length - k)}`;
}

/** The decimal `text` cut to `significant` significant digits, with the last one moved by `nudge`. */
function cutDigits(text: string, significant: number, nudge: number): string | undefined {
  const point = text.indexOf('.');
  const whole = point === -1 ? text : text.slice(0, point);
  const fraction = point === -1 ? '' : text.slice(point + 1);
  const all = whole + fraction;
  const first = all.search(/[1-9]/);
  if (first === -1) return undefined;
  const keep = Math.min(all.length, first + significant);
  const digits = BigInt(all.slice(0, keep)) + BigInt(nudge);
  if (digits < 0n) return undefined;
  const padded = digits.toString().padStart(keep, '0');
  const wholeLength = whole.length;
  if (keep <= wholeLength) return padded + '0'.repeat(wholeLength - keep);
  return `${padded.slice(0, wholeLength)}.${padded.slice(wholeLength)}`;
}

describe('decimalValue', () => {
  it('converts the numbers training scripts print exactly as Number does', () => {
    for (const text of [
      '0', '-0', '0.0', '1', '-1', '10', '0.5', '0.013348490371002166', '2.3169202775607762', '0.0009995001249791693',
      '0.9259999990463257', '12345678901234567', '123456789012345678', '1234567890123456789', '12345678901234567890',
      '9007199254740993', '9007199254740992.5', '0.1', '0.30000000000000004', '1e5', '1.5E-7', '-2.5e+3', '100000000000000000000000',
      '0.000000000000000000000001', '1.7976931348623157', '0.00000000000000000000012345678901234567', '4.35',
    ]) {
      expectSame(text);
    }
  });

  it('matches Number on random doubles as Python and JavaScript print them', () => {
    const printed = fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => JSON.stringify(x));
    // Probabilities and losses: the values metadata lines carry most, printed with 16-17 digits.
    const unit = fc.double({ min: 0, max: 100, noNaN: true }).map((x) => String(x));
    fc.assert(fc.property(fc.oneof(printed, unit), fc.nat(3), (text, pad) => {
      expect(Object.is(convert(text, pad), Number(text))).toBe(true);
    }), { numRuns: 20_000 });
  });

  it('rounds decimals within a hair of a halfway point the way Number does', () => {
    // A positive normal double whose neighbourhood the 16-19 digit tokens can reach.
    // Above 2^53 the halfway points are integers or halves: 17-19 digits hit them exactly.
    const base = fc.oneof(fc.double({ min: 1e-6, max: 1e12, noNaN: true }), fc.double({ min: 2 ** 53, max: 1e19, noNaN: true })).filter((x) => x > 0);
    // Trailing zeros after the point change the division, not the value.
    const trailingZeros = fc.integer({ min: 0, max: 2 });
    fc.assert(fc.property(base, fc.integer({ min: 15, max: 19 }), fc.integer({ min: -2, max: 2 }), trailingZeros, fc.boolean(), (x, significant, nudge, zeros, negative) => {
      const text = cutDigits(halfwayAbove(x), significant, nudge);
      if (text === undefined) return;
      const padded = zeros === 0 ? text : `${text}${text.includes('.') ? '' : '.'}${'0'.repeat(zeros)}`;
      expectSame(negative ? `-${padded}` : padded);
    }), { numRuns: 30_000 });
  });

  it('rounds the exact halfway points themselves (ties to even) as Number does', () => {
    // Exactly halfway needs more than 19 digits unless the double is large: those go to Number too.
    for (const x of [2 ** 53, 2 ** 54 + 2, 1e17, 123456789012345680, 0.5, 1.5, 3.0000000000000004]) {
      const text = halfwayAbove(x);
      expectSame(text);
      if (!text.includes('.')) {
        expectSame(`${text}.0`);
        expectSame(`${text}.000`);
      }
      for (let significant = 15; significant <= 19; significant++) {
        for (const nudge of [-1, 0, 1]) {
          const cut = cutDigits(text, significant, nudge);
          if (cut !== undefined) expectSame(cut);
        }
      }
    }
  });

  it('reads only the token between start and end', () => {
    const bytes = Buffer.from('[0.013348490371002166123,7]');
    expect(decimalValue(bytes, 1, 21)).toBe(Number('0.013348490371002166'));
    expect(decimalValue(bytes, 25, 26)).toBe(7);
  });
});

/** The definition spelledAsString must match. */
function printsAs(text: string): boolean {
  return String(Number(text)) === text;
}

function spelled(text: string): boolean {
  const bytes = Buffer.from(`${text},}`);
  return spelledAsString(bytes, 0, text.length);
}

/** A decimal's last digit moved by `nudge` (the same number of digits; undefined when it would not be). */
function nudgeLast(text: string, nudge: number): string | undefined {
  const last = text.charCodeAt(text.length - 1) - 0x30 + nudge;
  if (last < 0 || last > 9) return undefined;
  return text.slice(0, -1) + String(last);
}

describe('spelledAsString', () => {
  it('never says so when String would print the value differently', () => {
    const plain = (x: number) => !/e/.test(String(x));
    const printed = fc.oneof(
      fc.double({ min: 1e-6, max: 1e17, noNaN: true }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.integer({ min: -1e6, max: 1e6 }).map((n) => n / 1000),
    ).filter(plain).map((x) => String(x));
    // Printed values, and the near misses: one digit more or less, the last digit moved, a zero added.
    const variant = fc.tuple(printed, fc.constantFrom('same', 'nudge', 'append', 'cut', 'zero', 'minus'), fc.integer({ min: -3, max: 3 }), fc.nat(9))
      .map(([text, how, nudge, digit]) => {
        switch (how) {
          case 'nudge': return nudgeLast(text, nudge) ?? text;
          case 'append': return text.includes('.') ? `${text}${digit}` : `${text}.${digit}`;
          case 'cut': return /\.\d\d/.test(text) ? text.slice(0, -1) : text;
          case 'zero': return text.includes('.') ? `${text}0` : `${text}.0`;
          case 'minus': return `-${text}`;
          default: return text;
        }
      });
    fc.assert(fc.property(variant, (text) => {
      if (spelled(text) && !printsAs(text)) expect.fail(`${text}: spelledAsString says yes, String prints ${String(Number(text))}`);
    }), { numRuns: 50_000 });
  });

  it('says so for nearly every value String printed (else the writer gains nothing)', () => {
    // Random doubles in the range metadata lines carry, as String (and Python's repr) prints them.
    const texts = fc.sample(fc.oneof(fc.double({ min: 1e-6, max: 1e6, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true })), { numRuns: 20_000, seed: 42 })
      .map((x) => String(x))
      .filter((text) => !/e/.test(text) && text !== '0' && text !== '-0');
    const said = texts.filter((text) => spelled(text)).length;
    expect(said / texts.length).toBeGreaterThan(0.99);
  });

  it('tells the usual spellings apart', () => {
    for (const text of ['0.013348490371002166', '2.3169202775607762', '-1.5', '100', '0.000001', '12345678901234567', '0.1', '9007199254740993']) {
      expect(spelled(text)).toBe(printsAs(text));
    }
    // Not String's spelling: trailing zeros, -0, an exponent, more digits than needed, too small for plain notation.
    for (const text of ['1.0', '0.50', '-0', '0', '1e5', '0.10000000000000001', '0.0000001', '2.31692027756077620']) {
      expect(spelled(text)).toBe(false);
    }
  });
});
