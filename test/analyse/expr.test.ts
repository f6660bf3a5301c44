import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import {
  compileExpression,
  describeRef,
  ExpressionError,
  getPath,
  MAX_EXPRESSION_DEPTH,
  MAX_EXPRESSION_LENGTH,
  recordEnvironment,
  type Environment,
  type EvalResult,
  type NameRef,
} from '../../src/analyse/expr.js';
import { getPath as metadataGetPath } from '../../src/parsers/metadata.js';
import type { JsonObject } from '../../src/core/types.js';

function evaluate(text: string, values: JsonObject = {}): EvalResult {
  return compileExpression(text).evaluate(recordEnvironment(values));
}

/** The boolean result; fails the test if the expression could not be decided. */
function truth(text: string, values: JsonObject = {}): boolean {
  const result = evaluate(text, values);
  if (!result.ok) throw new Error(`${text}: not decided: ${JSON.stringify(result)}`);
  return result.value;
}

function compileError(text: string): ExpressionError {
  try {
    compileExpression(text);
  } catch (error) {
    expect(error).toBeInstanceOf(ExpressionError);
    expect(error).toBeInstanceOf(UsageError);
    return error as ExpressionError;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be refused`);
}

const latest = (path: string): NameRef => ({ path, aggregate: 'latest' });

describe('operators', () => {
  const values = { a: 1, b: 2, c: 3, t: true, f: false, zero: 0, empty: '', word: 'hi', nothing: null };

  it.each([
    ['1 < 2', true], ['2 < 2', false], ['2 <= 2', true], ['3 <= 2', false],
    ['3 > 2', true], ['2 > 2', false], ['2 >= 2', true], ['1 >= 2', false],
    ['1 == 1', true], ['1 == 2', false], ['1 != 2', true], ['1 != 1', false],
    ['1 === 1', true], ['1 !== 1', false], ['1 !== 2', true],
  ])('compares: %s', (text, expected) => {
    expect(truth(text, values)).toBe(expected);
  });

  it.each([
    ['1 + 2 == 3'], ['5 - 7 == -2'], ['3 * 4 == 12'], ['7 / 2 == 3.5'],
    ['7 // 2 == 3'], ['-7 // 2 == -4'], ['7 // -2 == -4'], ['1 // 0.1 == 9'],
    ['7 % 3 == 1'], ['-7 % 3 == 2'], ['7 % -3 == -2'], ['5.5 % 2 == 1.5'],
    ['2 + 3 * 4 == 14'], ['(2 + 3) * 4 == 20'], ['10 - 2 - 3 == 5'], ['24 / 4 / 2 == 3'],
    ['2 * 3 % 4 == 2'], ['-2 * -3 == 6'], ['+a == 1'], ['--1 == 1'], ['-a + b == 1'],
    ['a + b * c == 7'], ['(a + b) * c == 9'], ['c - b - a == 0'], ['c - (b - a) == 2'],
    ['t + t == 2'], ['"ab" + "c" == "abc"'], ['1.5e3 == 1500'], ['.5 == 0.5'],
  ])('computes like Python: %s', (text) => {
    expect(truth(text, values)).toBe(true);
  });

  it.each([
    ['t and t', true], ['t and f', false], ['t && f', false], ['f or t', true], ['f || f', false],
    ['not t', false], ['!t', false], ['not not t', true], ['!!t', true], ['not f and t', true],
    ['zero or empty or nothing', false], ['word and a', true], ['not word', false],
  ])('logic: %s', (text, expected) => {
    expect(truth(text, values)).toBe(expected);
  });

  it('gives `and` precedence over `or`, as Python and JavaScript do', () => {
    const env = { a: true, b: false, c: false };
    expect(truth('a or b and c', env)).toBe(true);
    expect(truth('(a or b) and c', env)).toBe(false);
    expect(truth('a || b && c', env)).toBe(true);
    expect(truth('b and c or a', env)).toBe(true);
  });

  it("binds `not` (and its synonym `!`) more loosely than comparisons, as Python's `not` does", () => {
    expect(truth('not a == b', values)).toBe(true);
    expect(truth('!a == b', values)).toBe(true);
    expect(truth('not a + 1 == 3', values)).toBe(true);
    expect(truth('not a < b and c > b', values)).toBe(false);
    expect(truth('not (a < b) or c > b', values)).toBe(true);
    expect(truth('(not a) == 0', values)).toBe(true);
    expect(truth('-(not a) == 0', values)).toBe(true);
  });

  it('returns the deciding operand of `and`/`or`, as Python does', () => {
    expect(truth('(zero or 5) == 5', values)).toBe(true);
    expect(truth('(a and 7) == 7', values)).toBe(true);
    expect(truth('(zero and 7) == 0', values)).toBe(true);
  });

  it('reads Python and JavaScript spellings the same', () => {
    const pairs = [
      ['a > 0 and b > 0 or not c > 0', 'a > 0 && b > 0 || !(c > 0)'],
      ['not (a == b) and b != c', '!(a === b) && b !== c'],
      ['t == True and f == False and nothing == None', 't == true && f == false && nothing == null'],
      ['a > 1 or b > 1 and c > 1', 'a > 1 || b > 1 && c > 1'],
    ] as const;
    for (const env of [values, { a: 0, b: 5, c: -1 }, { a: 2, b: 2, c: 2 }, { a: -1, b: -1, c: 0 }]) {
      const full = { t: true, f: false, nothing: null, ...env };
      for (const [python, js] of pairs) expect(truth(python, full)).toBe(truth(js, full));
    }
  });

  it('accepts True/False/None and true/false/null', () => {
    expect(truth('True == true and False == false and None == null')).toBe(true);
    expect(truth('x == None', { x: null })).toBe(true);
    expect(truth('x != None', { x: 0 })).toBe(true);
  });

  it('refuses chained comparisons, like leval', () => {
    const error = compileError('0 < a < 2');
    expect(error.column).toBe(7);
    expect(error.reason).toContain('chained comparisons are not supported');
    expect(compileError('a == b == c').reason).toContain("'a == b == c'");
    expect(truth('(0 < a) == True', { a: 1 })).toBe(true);
  });
});

describe('names', () => {
  it('strips a leading metadata. prefix, as Valohai conditions write it', () => {
    const compiled = compileExpression('metadata.accuracy >= 0.9 and metadata.val.loss < 1');
    expect(compiled.references).toEqual([latest('accuracy'), latest('val.loss')]);
    expect(truth('metadata.accuracy >= 0.9', { accuracy: 0.93 })).toBe(true);
    expect(compileExpression('metadata > 1').references).toEqual([latest('metadata')]);
  });

  it('resolves dotted paths through nested objects and flat dotted keys', () => {
    expect(truth('val.loss < 1', { val: { loss: 0.5 } })).toBe(true);
    expect(truth('val.loss < 1', { 'val.loss': 0.5 })).toBe(true);
    expect(truth("val['loss-avg'] < 1", { val: { 'loss-avg': 0.5 } })).toBe(true);
  });

  it('reads a dash between name characters as part of the key, and a spaced dash as subtraction', () => {
    expect(compileExpression('val-loss < 1').references).toEqual([latest('val-loss')]);
    expect(compileExpression('metadata.foo.baz-quux > 8').references).toEqual([latest('foo.baz-quux')]);
    expect(compileExpression('layer-2.weight > 0').references).toEqual([latest('layer-2.weight')]);
    expect(compileExpression('a - b > 0').references).toEqual([latest('a'), latest('b')]);
    expect(compileExpression('a -b > 0').references).toEqual([latest('a'), latest('b')]);
    expect(compileExpression('a- b > 0').references).toEqual([latest('a'), latest('b')]);
    // A dash before a number that goes on is subtraction: a-1.5, a-1e3.
    expect(truth('a-1.5 == 0.5', { a: 2 })).toBe(true);
    expect(truth('a-1e3 == -998', { a: 2 })).toBe(true);
    expect(truth('foo.baz-quux > 8', { foo: { 'baz-quux': 9 } })).toBe(true);
    // leval's own example: with spaces it is a subtraction of two missing names.
    expect(evaluate('foo.baz - quux > 8', { foo: { 'baz-quux': 9 } })).toEqual({ ok: false, missing: [latest('foo.baz'), latest('quux')] });
  });

  it('takes any key in backticks', () => {
    expect(compileExpression('`val loss (smoothed)` < 1').references).toEqual([latest('val loss (smoothed)')]);
    expect(truth('`a-b` == 1 and `metadata.x` == 2', { 'a-b': 1, x: 2 })).toBe(true);
    expect(compileError('`a` + `').reason).toBe("unclosed '`' name");
  });

  it('lets keywords be used inside longer names', () => {
    expect(compileExpression('index > 0 and order > 0 and notes > 0 and or_x > 0 and not-done > 0').references.map((r) => r.path))
      .toEqual(['index', 'order', 'notes', 'or_x', 'not-done']);
  });

  it('lists each distinct reference once, in order of appearance', () => {
    const compiled = compileExpression('b > 1 and a < b or max(a) > latest(b) and max(a) > 0 and count(c) > 1');
    expect(compiled.references).toEqual([latest('b'), latest('a'), { path: 'a', aggregate: 'max' }, { path: 'c', aggregate: 'count' }]);
    expect(compiled.source).toBe('b > 1 and a < b or max(a) > latest(b) and max(a) > 0 and count(c) > 1');
  });

  it('describes references', () => {
    expect(describeRef(latest('accuracy'))).toBe('accuracy (latest)');
    expect(describeRef({ path: 'accuracy', aggregate: 'max' })).toBe('max(accuracy)');
  });
});

describe('strings, lists and weak typing', () => {
  const values = { status: 'done', text: 'all ok', tags: ['a', 'b'], params: { lr: 0.1 }, s: '3', pct: '12.5' };

  it.each([
    ["status == 'done'", true], ['status == "done"', true], ["status != 'done'", false],
    ["status in ['done', 'ok']", true], ["status in ('queued', 'ok')", false], ["status not in ['queued']", true],
    ["status not   in ['done']", false], ["'ok' in text", true], ["'b' in tags", true], ["'c' not in tags", true],
    ["'lr' in params", true], ["'x' in params", false], ["status in ('done',)", true],
    ['s == 3', true], ['s > 2', true], ['s + 1 == 4', true], ['pct * 2 == 25', true], ["'10' < '9'", true],
    ['s in [1, 2, 3]', true], ["1 == '1.0'", true], ["3 == 'three'", false],
  ])('%s', (text, expected) => {
    expect(truth(text, values)).toBe(expected);
  });

  it('reports an operation Python would refuse as undecided, with the reason', () => {
    expect(evaluate("'abc' > 3")).toEqual({ ok: false, missing: [], error: 'cannot compare "abc" (string) > 3' });
    expect(evaluate('x < 1', { x: null })).toMatchObject({ ok: false, error: 'cannot compare null < 1' });
    expect(evaluate('1 / 0')).toMatchObject({ ok: false, error: 'division by zero (1 / 0)' });
    expect(evaluate('1 // 0')).toMatchObject({ ok: false });
    expect(evaluate('1 % 0')).toMatchObject({ ok: false });
    expect(evaluate("1 in 'abc'")).toMatchObject({ ok: false });
    expect(evaluate("abs('x')")).toMatchObject({ ok: false, error: 'abs() needs a number, not "x" (string)' });
  });

  it('refuses list literals outside `in`', () => {
    expect(compileError('[1, 2] == x').reason).toBe("a list can only follow 'in' or 'not in'");
    expect(compileError('x in [1,,2]').column).toBe(6);
  });
});

describe('functions and aggregates', () => {
  /** An environment that answers every lookup with a value per aggregate, and records what was asked. */
  function historyEnv(values: Record<string, Partial<Record<NameRef['aggregate'], unknown>>>): Environment & { asked: string[] } {
    const asked: string[] = [];
    return {
      asked,
      lookup(ref) {
        asked.push(describeRef(ref));
        return Object.hasOwn(values, ref.path) ? values[ref.path]?.[ref.aggregate] : undefined;
      },
    };
  }

  it('calls abs, min, max, isnan and isinf', () => {
    expect(truth('abs(-3) == 3 and abs(a - b) == 1', { a: 1, b: 2 })).toBe(true);
    expect(truth('min(3, 1, 2) == 1 and max(3, 1, 2) == 3 and min(a, b) == 1 and max(a, 5) == 5', { a: 1, b: 2 })).toBe(true);
    expect(truth('isnan(n) and not isnan(a) and isinf(i) and isinf(-i) and not isinf(a)', { n: NaN, i: Infinity, a: 1 })).toBe(true);
  });

  it('reads one-argument min/max of a name as an aggregate, and two or more arguments as the function', () => {
    const env = historyEnv({ loss: { latest: 0.5, min: 0.2, max: 0.9, mean: 0.4, first: 0.9, count: 7 } });
    const aggregate = compileExpression('min(loss) < 0.3 and max(loss) > 0.8');
    expect(aggregate.references).toEqual([{ path: 'loss', aggregate: 'min' }, { path: 'loss', aggregate: 'max' }]);
    expect(aggregate.evaluate(env)).toMatchObject({ ok: true, value: true });
    const functions = compileExpression('min(loss, 1) == 0.5 and max(loss, 0) == 0.5');
    expect(functions.references).toEqual([latest('loss')]);
    expect(functions.evaluate(env)).toMatchObject({ ok: true, value: true });
    expect(compileExpression('first(loss) == 0.9 and mean(loss) == 0.4 and count(loss) == 7 and latest(loss) == loss').evaluate(env))
      .toMatchObject({ ok: true, value: true });
    expect(compileExpression('latest(loss) > 0 and loss > 0').references).toEqual([latest('loss')]);
    // Each evaluation reads a reference once, however often it appears.
    expect(env.asked).toEqual(['min(loss)', 'max(loss)', 'loss (latest)', 'first(loss)', 'mean(loss)', 'count(loss)', 'loss (latest)']);
  });

  it('resolves metadata. and dashed names inside aggregates', () => {
    expect(compileExpression('max(metadata.val-acc) > 0.9').references).toEqual([{ path: 'val-acc', aggregate: 'max' }]);
  });

  it.each([
    ['min(x + 1) > 0', 5, 'min(...) with one argument aggregates a metric\'s history and needs a metric name; to compare values, give min() two or more'],
    ['mean(1) > 0', 6, "mean(...) with one argument aggregates a metric's history and needs a metric name"],
    ['count(a, b) > 0', 1, 'count() takes one metric name'],
    ['abs(a, b) > 0', 1, 'abs() takes exactly one argument'],
    ['max() > 0', 1, 'max() needs a metric name, or two or more values'],
    ['foo(1) > 0', 1, "unknown function 'foo' (known: abs, min, max, isnan, isinf, latest, first, mean, count)"],
    ['a.min(b) > 0', 1, 'only the functions abs, min, max, isnan, isinf, latest, first, mean, count can be called'],
    ['`abs`(b) > 0', 1, 'only the functions abs, min, max, isnan, isinf, latest, first, mean, count can be called'],
  ])('refuses %s', (text, column, reason) => {
    const error = compileError(text);
    expect(error.reason).toBe(reason);
    expect(error.column).toBe(column);
  });

  it('follows Python for min/max with NaN: the first argument wins unless something compares past it', () => {
    const r1 = evaluate('isnan(max(n, 1))', { n: NaN });
    expect(r1).toMatchObject({ ok: true, value: true });
    expect(truth('max(1, n) == 1', { n: NaN })).toBe(true);
  });
});

describe('NaN', () => {
  const values = { n: NaN, a: 1 };

  it.each([
    ['n > 0', false], ['n < 0', false], ['n >= n', false], ['n == n', false], ['n != n', true],
    ['n == a', false], ['n != a', true], ['not n > 0', true], ['isnan(n + 1)', true],
  ])('compares like Python: %s', (text, expected) => {
    expect(truth(text, values)).toBe(expected);
  });

  it('is true, as bool(nan) is in Python', () => {
    expect(truth('n', values)).toBe(true);
    expect(truth('0', values)).toBe(false);
    expect(truth("'nan' == n or isnan('nan')", values)).toBe(true);
  });
});

describe('missing names', () => {
  it('leaves the result undecided and lists every missing name it read', () => {
    expect(evaluate('x > 1')).toEqual({ ok: false, missing: [latest('x')] });
    expect(evaluate('x > 1 or y > 1', {})).toEqual({ ok: false, missing: [latest('x'), latest('y')] });
    expect(evaluate('x > 1 and a > 0', { a: 1 })).toEqual({ ok: false, missing: [latest('x')] });
    expect(evaluate('isnan(x)')).toEqual({ ok: false, missing: [latest('x')] });
    expect(evaluate('a in [x, 1]', { a: 1 })).toEqual({ ok: false, missing: [latest('x')] });
  });

  it('does not read a name that short-circuit logic skips', () => {
    expect(evaluate('a > 0 or x > 1', { a: 1 })).toEqual({ ok: true, value: true, used: [{ ref: latest('a'), value: 1 }] });
    expect(evaluate('a > 5 and x > 1', { a: 1 })).toEqual({ ok: true, value: false, used: [{ ref: latest('a'), value: 1 }] });
  });

  it('reports the values it used', () => {
    expect(evaluate('loss < 1 and step >= 10 and loss > 0', { loss: 0.5, step: 10 })).toEqual({
      ok: true,
      value: true,
      used: [{ ref: latest('loss'), value: 0.5 }, { ref: latest('step'), value: 10 }],
    });
  });

  it('treats null as a value, not as missing', () => {
    expect(evaluate('x == None', { x: null })).toMatchObject({ ok: true, value: true });
  });
});

describe('syntax errors', () => {
  it('names the 1-based column, with the expression and a caret', () => {
    const error = compileError('accuracy > ');
    expect(error.column).toBe(12);
    expect(error.message).toBe("bad expression at column 12: expected a value after '>'\n  accuracy > \n             ^");
    expect(error.message.split('\n')[0]).toBe("bad expression at column 12: expected a value after '>'");
  });

  it.each([
    ['a +* b', 4, "expected a value after '+'"],
    ['(a > 1', 7, "missing ')' to close the '(' at column 1"],
    ['a > 1)', 6, "unexpected ')'"],
    ['x = 1', 3, "unexpected '=' (use '==' to compare)"],
    ['"abc > 1', 1, 'unclosed string'],
    ['a > 1 and', 7, "expected a value after 'and'"],
    ['a not in', 3, "expected a value after 'not in'"],
    ['a and or b', 7, "expected a value, found 'or'"],
    ['a b', 3, "unexpected 'b'"],
    ['a, b', 2, "unexpected ','"],
    ['a; b', 2, "unexpected ';'"],
    ['a ? b : c', 3, 'conditional expressions (a ? b : c) are not supported'],
    ['x is None', 3, "'is' is not supported; use '==' or '!='"],
    ['1a > 2', 2, "a name cannot start with a digit ('1a')"],
    ['a == not b', 6, "'not' must start a condition; put it in parentheses, e.g. a == (not b)"],
    ['a ** 2', 4, "expected a value after '*'"],
    ['a & b', 3, "unexpected '&'"],
    ['~a', 1, "unexpected '~'"],
    ['$a', 1, "unexpected '$'"],
    ['a?.b', 1, "'?.' is not supported"],
    ['min(a,)', 7, "unexpected ')'"],
    ['()', 2, "expected a value inside '()'"],
    ['a[0] > 1', 1, "only a quoted key may go in [ ], e.g. val['loss-avg']"],
    ['a[b] > 1', 1, "only a quoted key may go in [ ], e.g. val['loss-avg']"],
    ['1.2.3', 4, "unexpected '.'"],
    ['', undefined, 'empty expression'],
    ['   ', undefined, 'empty expression'],
  ])('%j', (text, column, reason) => {
    const error = compileError(text);
    expect({ column: error.column, reason: error.reason }).toEqual({ column, reason });
  });

  it('keeps long expressions readable around the caret', () => {
    const text = `${'a + '.repeat(30)}* b`;
    const error = compileError(text);
    const [first, excerpt, caret] = error.message.split('\n') as [string, string, string];
    expect(first).toBe(`bad expression at column ${text.indexOf('*') + 1}: expected a value after '+'`);
    expect(excerpt.length).toBeLessThan(80);
    expect(excerpt[caret.length - 1]).toBe('*');
  });
});

describe('safety', () => {
  it.each([
    'constructor', '__proto__', 'prototype', 'a.constructor', 'a.b.__proto__', 'metadata.prototype', 'a["__proto__"]',
    "a['constructor'].x", '`constructor`', '`a.__proto__`', 'max(constructor)', "a['x.prototype']", '__proto__.polluted == 1',
  ])('refuses %s', (text) => {
    expect(compileError(text).reason).toMatch(/^'(constructor|__proto__|prototype)' cannot be used in a name$/);
  });

  it.each([
    '(1).constructor.constructor("return process")()',
    '"".constructor.constructor("return process")()',
    'a.constructor.constructor("return process")()',
    'this.constructor',
    'toString()',
    'a.toString()',
    'abs.call(1)',
    '(abs)(1)',
    'x = 1',
  ])('never reaches code: %s', (text) => {
    expect(() => compileExpression(text)).toThrow(UsageError);
  });

  it('never reads prototype properties through names', () => {
    expect(evaluate('toString == 1 or hasOwnProperty == 1 or valueOf')).toEqual({
      ok: false,
      missing: [latest('toString'), latest('hasOwnProperty'), latest('valueOf')],
    });
    expect(truth('this > 1', { this: 2 })).toBe(true);
  });

  it('has no eval or Function constructor in its source', () => {
    const code = readFileSync(new URL('../../src/analyse/expr.ts', import.meta.url), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    expect(code).toContain('function run(');
    expect(code).not.toMatch(/\beval\s*\(|new\s+Function\b|\bFunction\s*\(/);
  });

  it('limits length', () => {
    const longest = `x == '${'y'.repeat(MAX_EXPRESSION_LENGTH - 7)}'`;
    expect(longest.length).toBe(MAX_EXPRESSION_LENGTH);
    expect(compileExpression(longest).references).toEqual([latest('x')]);
    const error = compileError(`${longest} `);
    expect(error.reason).toBe(`expression is too long (${MAX_EXPRESSION_LENGTH + 1} characters; the limit is ${MAX_EXPRESSION_LENGTH})`);
  });

  it('limits depth, and refuses deep input quickly without exhausting the stack', () => {
    const deep = (n: number, open: string, close: string) => `${open.repeat(n)}1${close.repeat(n)}`;
    expect(truth(`${deep(MAX_EXPRESSION_DEPTH - 2, '(', ')')} == 1`)).toBe(true);
    expect(compileError(deep(MAX_EXPRESSION_DEPTH + 1, '(', ')')).reason).toBe(`expression is nested too deeply (the limit is ${MAX_EXPRESSION_DEPTH} levels)`);
    expect(truth(`${'a + '.repeat(MAX_EXPRESSION_DEPTH - 2)}a == ${MAX_EXPRESSION_DEPTH - 1}`, { a: 1 })).toBe(true);
    const started = Date.now();
    for (const text of [
      deep(2000, '(', ')'),
      deep(1300, 'abs(', ')'),
      deep(2000, '[', ']'),
      `${'-'.repeat(4000)}1`,
      `${'not '.repeat(1000)}1`,
      `${'!'.repeat(4000)}1`,
      `${'a + '.repeat(1000)}a`,
      `${'a and '.repeat(600)}a`,
      `x in ${deep(1000, '(', ',)')}`,
      `${'a['.repeat(1000)}'x'${']'.repeat(1000)}`,
    ]) {
      expect(compileError(text.slice(0, MAX_EXPRESSION_LENGTH)).reason).toMatch(/nested too deeply|unexpected|expected/);
    }
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('recordEnvironment and getPath', () => {
  it('is the shared getPath', () => {
    expect(getPath).toBe(metadataGetPath);
  });

  it('answers from one record: the value for every aggregate but count, which is 1', () => {
    const env = recordEnvironment({ val: { loss: 0.5 }, 'val.acc': 0.9 });
    expect(env.lookup(latest('val.loss'))).toBe(0.5);
    expect(env.lookup({ path: 'val.acc', aggregate: 'max' })).toBe(0.9);
    expect(env.lookup({ path: 'val.acc', aggregate: 'count' })).toBe(1);
    expect(env.lookup(latest('val.nope'))).toBeUndefined();
    expect(env.lookup({ path: 'val.nope', aggregate: 'count' })).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

/** An environment with a value for every name, so compiled junk can be evaluated too. */
const anyEnv: Environment = {
  lookup(ref) {
    const pick = [1, 0, NaN, -2.5, 'done', '3', true, null, [1, 'a'], { k: 1 }];
    return pick[(ref.path.length + ref.aggregate.length) % pick.length];
  },
};

function compilesOrRefuses(text: string): void {
  let compiled;
  try {
    compiled = compileExpression(text);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    expect(error.message).toMatch(/^bad expression/);
    return;
  }
  const result = compiled.evaluate(anyEnv);
  expect(typeof result.ok).toBe('boolean');
}

describe('properties', () => {
  it('never fails on arbitrary text with anything but a UsageError', () => {
    fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 120 }), fc.string({ unit: 'binary', maxLength: 60 })), compilesOrRefuses), { numRuns: 3000 });
  });

  const tokens = [
    'a', 'b.c', 'val-loss', 'metadata.x', '`q r`', '1', '2.5', '1e3', '"s"', "'t'", '(', ')', '[', ']', ',', ';', ':', '?', '.', '=',
    'and', 'or', 'not', 'in', 'is', 'not in', '!', '==', '===', '!=', '<', '<=', '>', '>=', '+', '-', '*', '/', '//', '%', '**',
    '&&', '||', '~', 'min', 'max', 'abs', 'isnan', 'mean', 'count', 'True', 'None', 'null', 'this', 'constructor', '__proto__', '$',
  ];

  it('never fails on token soup with anything but a UsageError', () => {
    const soup = fc.array(fc.tuple(fc.constantFrom(...tokens), fc.constantFrom('', ' ', '  ')), { maxLength: 40 })
      .map((parts) => parts.map(([token, space]) => token + space).join(''));
    fc.assert(fc.property(soup, compilesOrRefuses), { numRuns: 3000 });
  });

  // Random trees of integers, names, arithmetic, comparisons and logic, printed with the fewest
  // parentheses the grammar needs, in Python and in JavaScript spelling, must evaluate to what a
  // direct reference computation of the tree gives.
  type Tree =
    | { k: 'num'; v: number }
    | { k: 'name'; n: 'x' | 'y' | 'z' | 'nan' }
    | { k: 'bool'; v: boolean }
    | { k: 'neg'; a: Tree }
    | { k: 'not'; a: Tree }
    | { k: 'bin'; op: string; a: Tree; b: Tree }
    | { k: 'in'; a: Tree; list: Tree[] };

  const ARITH_OPS = ['+', '-', '*', '//', '%'];
  const FLOAT_OPS = ['+', '-', '*', '/'];
  const COMPARE_OPS = ['==', '!=', '<', '<=', '>', '>='];

  function trees(numbers: fc.Arbitrary<number>, arithmetic: string[]): fc.Arbitrary<Tree> {
    return fc.letrec<{ tree: Tree }>((tie) => ({
      tree: fc.oneof(
        { maxDepth: 4, depthSize: 'small', withCrossShrink: true },
        fc.oneof(
          numbers.map((v): Tree => ({ k: 'num', v })),
          fc.constantFrom('x', 'y', 'z', 'nan').map((n): Tree => ({ k: 'name', n: n as 'x' })),
          fc.boolean().map((v): Tree => ({ k: 'bool', v })),
        ),
        tie('tree').map((a): Tree => ({ k: 'neg', a })),
        tie('tree').map((a): Tree => ({ k: 'not', a })),
        fc.tuple(fc.constantFrom(...arithmetic, ...arithmetic, ...COMPARE_OPS, 'and', 'or'), tie('tree'), tie('tree')).map(([op, a, b]): Tree => ({ k: 'bin', op, a, b })),
        fc.tuple(tie('tree'), fc.array(tie('tree'), { minLength: 1, maxLength: 3 })).map(([a, list]): Tree => ({ k: 'in', a, list })),
      ),
    })).tree;
  }

  const PREC: Record<string, number> = { or: 1, and: 2, '+': 5, '-': 5, '*': 6, '/': 6, '//': 6, '%': 6 };
  const NOT_PREC = 3;
  const COMPARE_PREC = 4;
  const NEG_PREC = 7;
  const ATOM_PREC = 8;

  function print(tree: Tree, js: boolean): { text: string; prec: number } {
    const wrap = (part: { text: string; prec: number }, needs: boolean) => (needs ? `(${part.text})` : part.text);
    switch (tree.k) {
      case 'num':
        return tree.v < 0 ? { text: `-${-tree.v}`, prec: NEG_PREC } : { text: String(tree.v), prec: ATOM_PREC };
      case 'name':
        return { text: js ? tree.n : `metadata.${tree.n}`, prec: ATOM_PREC };
      case 'bool':
        return { text: js ? String(tree.v) : tree.v ? 'True' : 'False', prec: ATOM_PREC };
      case 'neg': {
        const a = print(tree.a, js);
        return { text: `-${wrap(a, a.prec < NEG_PREC)}`, prec: NEG_PREC };
      }
      case 'not': {
        const a = print(tree.a, js);
        return { text: `${js ? '!' : 'not '}${wrap(a, a.prec < NOT_PREC)}`, prec: NOT_PREC };
      }
      case 'in': {
        const a = print(tree.a, js);
        return { text: `${wrap(a, a.prec <= COMPARE_PREC)} in [${tree.list.map((item) => print(item, js).text).join(', ')}]`, prec: COMPARE_PREC };
      }
      case 'bin': {
        const a = print(tree.a, js);
        const b = print(tree.b, js);
        if (COMPARE_OPS.includes(tree.op)) {
          const op = js && tree.op === '==' ? '===' : js && tree.op === '!=' ? '!==' : tree.op;
          return { text: `${wrap(a, a.prec <= COMPARE_PREC)} ${op} ${wrap(b, b.prec <= COMPARE_PREC)}`, prec: COMPARE_PREC };
        }
        const prec = PREC[tree.op] as number;
        const op = js && tree.op === 'and' ? '&&' : js && tree.op === 'or' ? '||' : tree.op;
        return { text: `${wrap(a, a.prec < prec)} ${op} ${wrap(b, b.prec <= prec)}`, prec };
      }
    }
  }

  class DivisionByZero extends Error {}

  const num = (v: unknown): number => (typeof v === 'boolean' ? Number(v) : (v as number));
  const pyTruthy = (v: unknown): boolean => (typeof v === 'number' ? v !== 0 : Boolean(v));
  const pyEqual = (a: unknown, b: unknown): boolean => num(a) === num(b);

  function reference(tree: Tree, env: Record<string, number>): unknown {
    switch (tree.k) {
      case 'num':
      case 'bool':
        return tree.v;
      case 'name':
        return env[tree.n];
      case 'neg':
        return -num(reference(tree.a, env));
      case 'not':
        return !pyTruthy(reference(tree.a, env));
      case 'in': {
        const item = reference(tree.a, env);
        const list = tree.list.map((element) => reference(element, env));
        return list.some((element) => pyEqual(item, element));
      }
      case 'bin': {
        if (tree.op === 'and' || tree.op === 'or') {
          const a = reference(tree.a, env);
          return pyTruthy(a) === (tree.op === 'or') ? a : reference(tree.b, env);
        }
        const a = num(reference(tree.a, env));
        const b = num(reference(tree.b, env));
        switch (tree.op) {
          case '==': return a === b;
          case '!=': return a !== b;
          case '<': return a < b;
          case '<=': return a <= b;
          case '>': return a > b;
          case '>=': return a >= b;
          case '+': return a + b;
          case '-': return a - b;
          case '*': return a * b;
        }
        if (b === 0) throw new DivisionByZero();
        // Integer operands only reach // and %, where Math.floor is exact.
        if (tree.op === '/') return a / b;
        if (tree.op === '//') return Math.floor(a / b);
        return a - b * Math.floor(a / b);
      }
    }
  }

  /** An expression that is true exactly when `text` evaluates to `value` (truthiness alone would hide wrong numbers). */
  function equalsValue(text: string, value: unknown): string {
    if (typeof value === 'boolean') return `(${text}) == ${value ? 'True' : 'False'}`;
    const number = value as number;
    if (Number.isNaN(number)) return `isnan(${text})`;
    if (!Number.isFinite(number)) return `(${text}) == ${number > 0 ? '' : '-'}1e999`;
    return `(${text}) == ${number < 0 ? '-' : ''}${Math.abs(number)}`;
  }

  function agreesWithReference(tree: Tree, env: Record<string, number>): void {
    let value: unknown;
    let expected: boolean | 'error';
    try {
      value = reference(tree, env);
      expected = pyTruthy(value);
    } catch (error) {
      if (!(error instanceof DivisionByZero)) throw error;
      expected = 'error';
    }
    const environment = recordEnvironment(env);
    const outcome = (text: string) => {
      const result = compileExpression(text).evaluate(environment);
      return result.ok ? result.value : result.error !== undefined && result.missing.length === 0 ? 'error' : result;
    };
    for (const js of [false, true]) {
      const text = print(tree, js).text;
      expect(outcome(text), text).toEqual(expected);
      if (expected !== 'error') expect(outcome(equalsValue(text, value)), equalsValue(text, value)).toBe(true);
    }
  }

  const small = fc.integer({ min: -9, max: 9 });
  const integerEnv = fc.record({ x: small, y: small, z: small, nan: fc.constant(NaN) });

  it('evaluates printed integer trees like a direct computation, in both spellings', () => {
    fc.assert(fc.property(trees(fc.nat(9), ARITH_OPS), integerEnv, agreesWithReference), { numRuns: 2500 });
  });

  const double = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 });
  const floatEnv = fc.record({ x: double, y: fc.constantFrom(0, -0, Infinity, -Infinity, 1e-300), z: double, nan: fc.constant(NaN) });

  it('evaluates printed float trees like a direct computation, in both spellings', () => {
    fc.assert(fc.property(trees(fc.double({ noNaN: true, noDefaultInfinity: true, min: 0, max: 1e6 }), FLOAT_OPS), floatEnv, agreesWithReference), { numRuns: 1500 });
  });
});
