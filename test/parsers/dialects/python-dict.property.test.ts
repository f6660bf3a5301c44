import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeNearPythonDict, mayBePythonDict, parsePythonDict } from '../../../src/parsers/dialects/python-dict.js';

/**
 * A Python value as the program that printed it held it: int and float apart (repr spells them
 * differently, both become a Number), tuples apart from lists (both become arrays).
 */
export type PyValue =
  | { t: 'int'; v: bigint }
  | { t: 'float'; v: number }
  | { t: 'str'; v: string }
  | { t: 'bool'; v: boolean }
  | { t: 'none' }
  | { t: 'list'; v: PyValue[] }
  | { t: 'tuple'; v: PyValue[] }
  | { t: 'dict'; v: [string, PyValue][] };

/** Where repr puts nothing but Python allows whitespace, and whether to add the trailing commas Python allows. */
export interface Layout {
  pad: string;
  trailingComma: boolean;
}

const REPR_LAYOUT: Layout = { pad: '', trailingComma: false };

/** Python's str.isprintable(): every category but Other (Cc Cf Cs Co Cn) and Separator (Zl Zp Zs), space excepted. */
const NOT_PRINTABLE = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]$/u;

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, '0');
}

/** CPython's unicode_repr. */
export function strRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  // for-of walks code points and yields a lone surrogate on its own, as Python's str holds it.
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (code < 0x20 || code === 0x7f) out += `\\x${hex(code, 2)}`;
    else if (code < 0x7f) out += ch;
    else if (!NOT_PRINTABLE.test(ch)) out += ch;
    else if (code <= 0xff) out += `\\x${hex(code, 2)}`;
    else if (code <= 0xffff) out += `\\u${hex(code, 4)}`;
    else out += `\\U${hex(code, 8)}`;
  }
  return out + quote;
}

/**
 * CPython's float_repr: the shortest digits that round-trip (as JavaScript's), written in fixed
 * notation with a `.0` when the decimal point falls within -4 < decpt <= 16, else as `d.ddde±XX`.
 */
export function floatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  const [mantissa = '', exponent = ''] = Math.abs(x).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exp = Number(exponent);
  const decpt = exp + 1;
  if (decpt > -4 && decpt <= 16) {
    if (decpt <= 0) return `${sign}0.${'0'.repeat(-decpt)}${digits}`;
    if (decpt >= digits.length) return `${sign}${digits}${'0'.repeat(decpt - digits.length)}.0`;
    return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
  }
  const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${sign}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

/** CPython's repr() of the value; `layout` adds whitespace and trailing commas Python reads the same. */
export function pythonRepr(value: PyValue, layout: Layout = REPR_LAYOUT): string {
  const { pad } = layout;
  const seq = (open: string, items: string[], close: string, oneComma: boolean): string => {
    if (items.length === 0) return open + pad + close;
    const trailing = oneComma || layout.trailingComma ? `${pad},` : '';
    return `${open}${pad}${items.join(`${pad}, `)}${trailing}${pad}${close}`;
  };
  switch (value.t) {
    case 'int': return value.v.toString();
    case 'float': return floatRepr(value.v);
    case 'str': return strRepr(value.v);
    case 'bool': return value.v ? 'True' : 'False';
    case 'none': return 'None';
    case 'list': return seq('[', value.v.map((v) => pythonRepr(v, layout)), ']', false);
    case 'tuple': return seq('(', value.v.map((v) => pythonRepr(v, layout)), ')', value.v.length === 1);
    case 'dict': return seq('{', value.v.map(([k, v]) => `${strRepr(k)}${pad}: ${pythonRepr(v, layout)}`), '}', false);
  }
}

/** The record parsePythonDict should make of the value's repr. */
function expected(value: PyValue): unknown {
  switch (value.t) {
    case 'int': return Number(value.v);
    case 'float': case 'str': case 'bool': return value.v;
    case 'none': return null;
    case 'list': case 'tuple': return value.v.map(expected);
    case 'dict': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of value.v) Object.defineProperty(out, k, { value: expected(v), writable: true, enumerable: true, configurable: true });
      return out;
    }
  }
}

/** Key order, -0, NaN and prototypes made visible: toEqual ignores the first and last and can hide the rest. */
function shape(value: unknown): unknown {
  if (typeof value === 'number') return Object.is(value, -0) ? 'number:-0' : Number.isFinite(value) ? value : `number:${String(value)}`;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(shape);
  if (Object.getPrototypeOf(value) !== Object.prototype) return 'not a plain object';
  return Object.keys(value).map((key) => [key, shape((value as Record<string, unknown>)[key])]);
}

const awkwardChar = fc.constantFrom(
  "'", '"', '\\', '\n', '\r', '\t', '\0', '\x07', '\x1b', '\x7f', '\x80', '\x85', '\xa0', '\xad', '\xe9', '\xff',
  '\u0100', '\u2028', '\u200b', '\u3000', '\ufeff', '\ud800', '\udfff', '\ue000', '\uffff', '😀', '\u{e0001}', '\u{10ffff}',
  '\\x41', '\\n', "\\'", 'nan', 'True', ': ', ', ', '{', '}', '(', ']',
);
/** Single UTF-16 code units, so lone surrogates appear anywhere. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
export const pyString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.string({ unit: fc.oneof(awkwardChar, codeUnit), maxLength: 8 }),
);

const pyFloat = fc.oneof(
  fc.double(),
  fc.constantFrom(NaN, Infinity, -Infinity, -0, 0, 1e16, 1e15, 9999999999999998, 1e-4, 1e-5, 0.1, 5e-5, 5e-324, 1.7976931348623157e308),
  fc.integer({ min: -1e6, max: 1e6 }).map((n) => n / 1000),
);
const pyInt = fc.oneof(fc.integer().map(BigInt), fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }), fc.constantFrom(0n, 2n ** 53n + 1n, 10n ** 400n, -(10n ** 400n)));

const leaf: fc.Arbitrary<PyValue> = fc.oneof(
  pyInt.map((v): PyValue => ({ t: 'int', v })),
  pyFloat.map((v): PyValue => ({ t: 'float', v })),
  pyString.map((v): PyValue => ({ t: 'str', v })),
  fc.boolean().map((v): PyValue => ({ t: 'bool', v })),
  fc.constant<PyValue>({ t: 'none' }),
);
const key = fc.oneof(pyString, fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '0', '7', '42', '-1'));

export const py = fc.letrec<{ value: PyValue; dict: PyValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    leaf,
    fc.array(tie('value'), { maxLength: 4 }).map((v): PyValue => ({ t: 'list', v })),
    fc.array(tie('value'), { maxLength: 4 }).map((v): PyValue => ({ t: 'tuple', v })),
    tie('dict'),
  ),
  dict: fc.uniqueArray(fc.tuple(key, tie('value')), { selector: ([k]) => k, maxLength: 6 }).map((v): PyValue => ({ t: 'dict', v })),
}));

const layout: fc.Arbitrary<Layout> = fc.record({
  pad: fc.constantFrom('', ' ', '  ', '\t', '\n', '\r\n   ', '\f', ' \\\n '),
  trailingComma: fc.boolean(),
});

describe('python-dict properties', () => {
  it('reads back the repr of any dict of Python literals', () => {
    fc.assert(
      fc.property(py.dict, (dict) => {
        expect(shape(parsePythonDict(pythonRepr(dict)))).toEqual(shape(expected(dict)));
      }),
      { numRuns: 3_000 },
    );
  });

  it('reads it back laid out with any whitespace and trailing commas Python allows', () => {
    fc.assert(
      fc.property(py.dict, layout, fc.constantFrom('', ' ', '\n', '\t \r\n'), (dict, lay, around) => {
        const text = around + pythonRepr(dict, lay) + around;
        expect(mayBePythonDict(text)).toBe(true);
        expect(describeNearPythonDict(text)).toBeUndefined();
        expect(shape(parsePythonDict(text))).toEqual(shape(expected(dict)));
      }),
      { numRuns: 2_000 },
    );
  });

  it('finds no record in a repr followed by anything that is not whitespace', () => {
    fc.assert(
      fc.property(py.dict, fc.oneof(py.dict.map((d) => pythonRepr(d)), fc.string({ minLength: 1 })), (dict, tail) => {
        fc.pre(tail.trim() !== '');
        expect(parsePythonDict(`${pythonRepr(dict)} ${tail}`)).toBeUndefined();
      }),
      { numRuns: 1_000 },
    );
  });

  it('never throws; mayBePythonDict never misses a dict; a diagnosis exactly when a {\' text is no dict', () => {
    const broken = fc.tuple(py.dict, fc.nat(), fc.nat({ max: 3 }), fc.string({ maxLength: 3 })).map(([dict, at, cut, insert]) => {
      const text = pythonRepr(dict);
      const i = at % (text.length + 1);
      return text.slice(0, i) + insert + text.slice(i + cut);
    });
    fc.assert(
      fc.property(fc.oneof(broken, fc.string({ unit: 'binary', maxLength: 60 }), fc.string({ maxLength: 60 }).map((s) => `{'${s}`)), (text) => {
        const parsed = parsePythonDict(text);
        const reason = describeNearPythonDict(text);
        if (!mayBePythonDict(text)) expect(parsed).toBeUndefined();
        if (/^(?:[ \t\n\r\f]|\\[\n\r])*\{(?:[ \t\n\r\f]|\\[\n\r])*'/.test(text)) expect(reason === undefined).toBe(parsed !== undefined);
        else expect(reason).toBeUndefined();
      }),
      { numRuns: 5_000 },
    );
  });
});
