import { describe, expect, it } from 'vitest';
import { describeNearPythonDict, mayBePythonDict, parsePythonDict } from '../../../src/parsers/dialects/python-dict.js';

/** Key order and -0/NaN made visible, since toEqual ignores the first and the second can hide. */
function shape(value: unknown): unknown {
  if (typeof value === 'number') return Object.is(value, -0) ? 'number:-0' : Number.isFinite(value) ? value : `number:${String(value)}`;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(shape);
  return Object.keys(value).map((key) => [key, shape((value as Record<string, unknown>)[key])]);
}

function expectParsed(text: string, expected: unknown): void {
  const parsed = parsePythonDict(text);
  expect(parsed, text).toBeDefined();
  expect(shape(parsed)).toEqual(shape(expected));
}

describe('parsePythonDict: what frameworks print', () => {
  it.each([
    [
      "{'loss': 0.6931, 'grad_norm': 1.25, 'learning_rate': 5e-05, 'epoch': 0.5}",
      { loss: 0.6931, grad_norm: 1.25, learning_rate: 5e-5, epoch: 0.5 },
    ],
    [
      "{'eval_loss': 0.7, 'eval_runtime': 0.1234, 'eval_samples_per_second': 810.3, 'epoch': 1.0}",
      { eval_loss: 0.7, eval_runtime: 0.1234, eval_samples_per_second: 810.3, epoch: 1 },
    ],
    [
      "{'train_runtime': 1.5, 'train_samples_per_second': 42.6, 'train_steps_per_second': 5.3, 'train_loss': 0.66, 'epoch': 2.0}",
      { train_runtime: 1.5, train_samples_per_second: 42.6, train_steps_per_second: 5.3, train_loss: 0.66, epoch: 2 },
    ],
    // Transformers 5 logs strings; turning them into numbers is another layer's business.
    ["{'loss': '0.6931', 'grad_norm': 'nan'}", { loss: '0.6931', grad_norm: 'nan' }],
    ["  {'loss': 0.5}\r\n", { loss: 0.5 }],
    ['{}', {}],
  ])('%s', (text, expected) => expectParsed(text, expected));
});

describe('parsePythonDict: values', () => {
  it('reads True, False and None', () => {
    expectParsed("{'a': True, 'b': False, 'c': None}", { a: true, b: false, c: null });
  });

  it('reads nan, inf and -inf as the same numbers as JSON\'s Python tokens', () => {
    const parsed = parsePythonDict("{'a': nan, 'b': inf, 'c': -inf, 'd': [nan, -inf]}");
    expect(Number.isNaN(parsed?.a)).toBe(true);
    expect(parsed?.b).toBe(Infinity);
    expect(parsed?.c).toBe(-Infinity);
    expect(shape(parsed?.d)).toEqual(['number:NaN', 'number:-Infinity']);
  });

  it.each([
    ['0', 0], ['-7', -7], ['1.0', 1], ['5e-05', 5e-5], ['1e+20', 1e20], ['1E5', 1e5], ['2.5e-300', 2.5e-300],
    ['1e400', Infinity], ['-1e400', -Infinity], ['5e-324', 5e-324],
    // Arbitrary-size ints become the nearest double, as Number(bigint) rounds them.
    ['12345678901234567890123', Number(12345678901234567890123n)], ['-98765432109876543210', Number(-98765432109876543210n)],
    ['9007199254740993', 9007199254740992],
  ])('reads the number %s', (token, expected) => {
    expect(parsePythonDict(`{'n': ${token}}`)?.n).toBe(expected);
  });

  it('keeps the float -0.0 negative but reads the int -0 as 0, as Python does', () => {
    expect(Object.is(parsePythonDict("{'a': -0.0}")?.a, -0)).toBe(true);
    expect(Object.is(parsePythonDict("{'a': -0e0}")?.a, -0)).toBe(true);
    expect(Object.is(parsePythonDict("{'a': -0}")?.a, 0)).toBe(true);
  });

  it('reads nested dicts, lists and tuples', () => {
    expectParsed(
      "{'a': {'b': [1, 2.5, (3, 'x')], 'c': ()}, 'd': (1,), 'e': [], 'f': ({'g': [None]},), 'h': {}}",
      { a: { b: [1, 2.5, [3, 'x']], c: [] }, d: [1], e: [], f: [{ g: [null] }], h: {} },
    );
  });

  it('accepts trailing commas where Python does', () => {
    expectParsed("{'a': [1, 2,], 'b': (1, 2,), 'c': {'d': 1,},}", { a: [1, 2], b: [1, 2], c: { d: 1 } });
  });

  it('accepts Python whitespace between tokens, newlines and continuations included', () => {
    expectParsed("{\n  'a' :\t1 ,\f'b':\\\n [ 1 ,\r\n 2 ] }", { a: 1, b: [1, 2] });
  });

  it('keeps key order and lets the last duplicate win at the first place, as Python does', () => {
    expectParsed("{'b': 1, 'a': 2, 'b': 3}", { b: 3, a: 2 });
  });
});

describe('parsePythonDict: strings', () => {
  it.each([
    [String.raw`'it\'s'`, "it's"],
    [`"it's"`, "it's"],
    [`'say "hi"'`, 'say "hi"'],
    [String.raw`'a\\b'`, 'a\\b'],
    [String.raw`'\"'`, '"'],
    [String.raw`'\n\r\t'`, '\n\r\t'],
    [String.raw`'\a\b\f\v'`, '\x07\b\f\v'],
    [String.raw`'\x00\x1f\x7f\xe9\xFF'`, '\x00\x1f\x7f\xe9\xff'],
    [String.raw`'\u00e9\u2028\ud800'`, '\u00e9\u2028\ud800'],
    [String.raw`'\U0001f600\U000E0001\U0000d83d'`, '\u{1f600}\u{e0001}\ud83d'],
    [String.raw`'\0\12\101\1012\777'`, '\0\n\x41\x412\u01ff'],
    // Unknown escapes stay as written, backslash included.
    [String.raw`'\d\8\ \é\😀'`, '\\d\\8\\ \\é\\😀'],
    ["'a\\\nb'", 'ab'],
    ["'a\\\r\nb'", 'ab'],
    ["'tab\tnul-free \x01 é 😀'", 'tab\tnul-free \x01 é 😀'],
    ["''", ''],
  ])('reads %s', (literal, expected) => {
    expect(parsePythonDict(`{'s': ${literal}}`)?.s).toBe(expected);
    expect(Object.keys(parsePythonDict(`{${literal}: 1}`) ?? {})).toEqual([expected]);
  });

  it.each([
    String.raw`'\x4'`, String.raw`'\xg0'`, String.raw`'\u12'`, String.raw`'\U0011ffff'`, String.raw`'\U1234'`,
    String.raw`'\N{BULLET}'`, "'a\nb'", "'a\rb'", "'a\x00b'", "'abc", "'abc\\'", "'abc\\",
  ])('rejects the string %s', (literal) => {
    expect(parsePythonDict(`{'s': ${literal}}`)).toBeUndefined();
  });
});

describe('parsePythonDict: not a record', () => {
  it.each([
    "{'a': Foo(1)}",
    "{'a': array([1])}",
    "{'a': tensor(0.5)}",
    "{'a': tensor(0.5, device='cuda:0')}",
    "{'a': np.float64(0.5)}",
    "{'a': Foo}",
    "{'a': NaN}",
    "{'a': Infinity}",
    "{'a': null}",
    "{'a': true}",
    "{'a': Truex}",
    "{'a': -nan}",
    "{'a': <object object at 0x7f>}",
    "{'a': {1, 2}}",
    "{'a', 'b'}",
    "{'a': set()}",
    "{'a': b'x'}",
    "{'a': f'x'}",
    "{'a': r'x'}",
    "{'a': u'x'}",
    "{'a': '''x'''}",
    "{'a': 'x' 'y'}",
    "{'a': 1j}",
    "{'a': 0x1f}",
    "{'a': 1_000}",
    "{'a': .5}",
    "{'a': 5.}",
    "{'a': +1}",
    "{'a': 01}",
    "{'a': - 1}",
    "{'a': (1)}",
    "{'a': (,)}",
    "{'a': [,]}",
    "{'a': [1,,]}",
    "{,}",
    "{'a': ...}",
    "{'a': [...]}",
    "{1: 2}",
    "{'a': {1: 2}}",
    "{('a',): 1}",
    "{'a': 1 # note\n}",
    "{'a' 1}",
    "{'a': }",
    "{'a': 1",
    "{'a': [1, 2}",
    "{'a': 1} x",
    "{'a': 1}{'b': 2}",
    "{'a': 1}, {'b': 2}",
    "x {'a': 1}",
    "['a', 1]",
    "",
    "   ",
    "{'a':\u00a01}",
    "{'a':\v1}",
  ])('%j', (text) => {
    expect(parsePythonDict(text)).toBeUndefined();
  });
});

describe('parsePythonDict: hostile input', () => {
  it('stores __proto__ and constructor as plain own data and leaves Object.prototype alone', () => {
    const parsed = parsePythonDict("{'__proto__': {'polluted': True}, 'constructor': {'prototype': 1}, 'toString': 2}");
    expect(parsed).toBeDefined();
    if (parsed === undefined) return;
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.keys(parsed)).toEqual(['__proto__', 'constructor', 'toString']);
    expect(Object.getOwnPropertyDescriptor(parsed, '__proto__')?.value).toEqual({ polluted: true });
    expect(parsed.constructor).toEqual({ prototype: 1 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
  });

  it('reads 100 levels of nesting and rejects 101', () => {
    const nest = (levels: number): string => `${"{'a': ".repeat(levels - 1)}{}${'}'.repeat(levels - 1)}`;
    expect(parsePythonDict(nest(100))).toBeDefined();
    expect(parsePythonDict(nest(101))).toBeUndefined();
    const lists = (levels: number): string => `{'a': ${'['.repeat(levels - 1)}${']'.repeat(levels - 1)}}`;
    expect(parsePythonDict(lists(100))).toBeDefined();
    expect(parsePythonDict(lists(101))).toBeUndefined();
    expect(describeNearPythonDict(nest(101))).toBe('a Python dict nested deeper than 100 levels');
  });

  it('rejects 10,000-deep nesting without overflowing the stack', () => {
    const deep = `{'a': ${'(['.repeat(5_000)}1${'])'.repeat(5_000)}}`;
    expect(parsePythonDict(deep)).toBeUndefined();
    expect(parsePythonDict(`{'a': ${'['.repeat(10_000)}`)).toBeUndefined();
    expect(describeNearPythonDict(deep)).toBe('a Python dict nested deeper than 100 levels');
  });

  it('reads long strings, escapes and unterminated input (speed is for npm run bench, not tests)', () => {
    const long = `{'a': '${'\\x41'.repeat(200_000)}', 'b': ${'1'.repeat(100_000)}}`;
    expect((parsePythonDict(long)?.a as string).length).toBe(200_000);
    expect(parsePythonDict(`{'a': '${'x'.repeat(500_000)}`)).toBeUndefined();
    expect(parsePythonDict(`{'a': [${'1, '.repeat(200_000)}`)).toBeUndefined();
  });
});

describe('mayBePythonDict', () => {
  it.each([
    ["{'loss': 1}", true],
    ['  {  "it\'s": 1}', true],
    ['{}', true],
    ['\t{ }', true],
    ['{1: 2}', false],
    ['[1]', false],
    ['loss: 1', false],
    ['', false],
    ['{', false],
    ["x {'a': 1}", false],
  ])('%j → %s', (text, expected) => {
    expect(mayBePythonDict(text)).toBe(expected);
  });
});

describe('describeNearPythonDict', () => {
  it.each([
    ["{'a': np.float64(0.5)}", 'a Python dict holding a call (np.float64(...))'],
    ["{'a': Foo(1)}", 'a Python dict holding a call (Foo(...))'],
    ["{'a': array([1], dtype=float32)}", 'a Python dict holding a call (array(...))'],
    ["{'a': tensor (0.5)}", 'a Python dict holding a call (tensor(...))'],
    ["{'a': Foo}", 'a Python dict holding a name (Foo)'],
    ["{'a': NaN}", 'a Python dict holding a name (NaN)'],
    ["{'a': [1, b'x']}", "a Python dict holding bytes (b'...')"],
    ["{'a': f'x'}", "a Python dict holding an f-string (f'...')"],
    ["{'a': <Foo object at 0x7f>}", 'a Python dict holding an object repr (<Foo ...>)'],
    ["{'a', 'b'}", 'a Python set, not a dict'],
    ["{'a': {1: 2}}", 'a Python dict with a non-string key or a set (1: 2}})'],
    ["{'a': 1j}", 'a Python dict holding a number repr does not print (1j)'],
    ["{'a': '\\x4'}", 'a Python dict with a string escape it cannot read (\\x4\')'],
    ["{'a': 0.5, 'b': 0.2", 'an unclosed Python dict (the line ends inside it)'],
    ["{'a': 'unterminated", 'an unclosed Python dict (the line ends inside it)'],
    ["{'a': 1} trailing", 'a Python dict followed by other text'],
    ["{'a': 1, ; }", "a Python dict with unexpected text at column 10 (; })"],
    [`{'a': ${'x'.repeat(100)}}`, `a Python dict holding a name (${'x'.repeat(40)}…)`],
  ])('%j', (text, expected) => {
    expect(describeNearPythonDict(text)).toBe(expected);
  });

  it.each([
    "{'loss': 0.5}",
    '{"a": Foo(1)}',
    '{}',
    'plain text',
    "[{'a': Foo}]",
    '',
  ])('says nothing about %j', (text) => {
    expect(describeNearPythonDict(text)).toBeUndefined();
  });
});
