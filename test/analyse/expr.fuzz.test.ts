/**
 * The condition language under fuzzing (fast-check, 10,000+ cases per property): whatever the text,
 * compiling either succeeds or throws a UsageError, evaluating never throws, nothing takes long
 * (depth and length limits), no name reaches a prototype, and nothing is ever run as JavaScript.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { MAX_EXPRESSION_DEPTH, MAX_EXPRESSION_LENGTH, compileExpression, recordEnvironment, type CompiledExpression, type Environment, type NameRef } from '../../src/analyse/expr.js';
import type { JsonObject } from '../../src/core/types.js';

const RUNS = 10_000;
const CANARY = '__vizmetaCanary';
const globals = globalThis as Record<string, unknown>;

/** Values with prototype-ish keys as own data, next to ordinary metrics. */
function values(): JsonObject {
  const v: JsonObject = { loss: 0.5, accuracy: 0.9, step: 3, name: 'run', nan: NaN, val: { loss: 0.4 }, 'val-loss': 0.3 };
  for (const key of ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty']) {
    Object.defineProperty(v, key, { value: { polluted: 1, prototype: { polluted: 2 } }, enumerable: true, writable: true, configurable: true });
  }
  return v;
}

/** An environment that also records every name looked up: none may reach a prototype. */
function recordingEnvironment(): { env: Environment; seen: NameRef[] } {
  const inner = recordEnvironment(values());
  const seen: NameRef[] = [];
  return { env: { lookup: (ref) => (seen.push(ref), inner.lookup(ref)) }, seen };
}

const FORBIDDEN = /(^|\.)(__proto__|constructor|prototype)(\.|$)/;

/** Compiles and evaluates; returns how long it took. Fails the property on any throw but UsageError. */
function exercise(text: string): number {
  const started = performance.now();
  let compiled: CompiledExpression | undefined;
  try {
    compiled = compileExpression(text);
  } catch (error) {
    if (!(error instanceof UsageError)) throw new Error(`${String(error)} for ${JSON.stringify(text)}`);
  }
  if (compiled) {
    for (const ref of compiled.references) expect(ref.path).not.toMatch(FORBIDDEN);
    const { env, seen } = recordingEnvironment();
    const result = compiled.evaluate(env);
    expect(typeof result.ok).toBe('boolean');
    if (result.ok) expect(typeof result.value).toBe('boolean');
    for (const ref of seen) expect(ref.path).not.toMatch(FORBIDDEN);
  }
  return performance.now() - started;
}

const TOKENS = [
  'loss', 'accuracy', 'val.loss', 'metadata.loss', 'val-loss', 'step', 'name', 'nan', 'x', '_',
  '__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'this', 'globalThis',
  'process', 'require', 'import', 'eval', 'Function', 'new', 'return', 'function', '=>', CANARY,
  `globalThis.${CANARY} = 1`, `this.constructor.constructor("globalThis.${CANARY}=1")()`,
  'abs', 'min', 'max', 'isnan', 'isinf', 'mean', 'first', 'latest', 'count',
  'and', 'or', 'not', 'in', '&&', '||', '!', '==', '!=', '===', '<', '<=', '>', '>=', '=',
  '+', '-', '*', '/', '%', '**', '?', ':', ',', '.', '(', ')', '[', ']', '{', '}', ';',
  '0', '1', '-1', '0.5', '1e400', '1e-400', 'NaN', 'Infinity', 'true', 'false', 'null', 'undefined',
  '"a"', "'b'", '"__proto__"', '`x${1}`', '"\\u0000"', '\\', '#', '@', '$', '\u202e', '\x1b[2J', '\u0000', ' ', '\t', '\n',
];

const tokenSoup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 24 }).map((tokens) => tokens.join(' '));

/** Well-formed expressions of the language, nested a little, with odd names among the keys. */
const wellFormed = fc.letrec<{ value: string; condition: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom('loss', 'accuracy', 'val.loss', 'metadata.accuracy', 'val-loss', 'name', 'nan', 'missing', 'toString', 'hasOwnProperty'),
    fc.double({ noNaN: true }).map((n) => (Object.is(n, -0) ? '0' : String(n))),
    fc.constantFrom('NaN', 'Infinity', '"run"', "'x'"),
    fc.tuple(tie('value'), fc.constantFrom('+', '-', '*', '/', '%'), tie('value')).map(([a, op, b]) => `(${a} ${op} ${b})`),
    fc.tuple(fc.constantFrom('abs', 'isnan', 'isinf'), tie('value')).map(([f, a]) => `${f}(${a})`),
    // Aggregates take one name.
    fc.tuple(fc.constantFrom('max', 'min', 'mean', 'first', 'count'), fc.constantFrom('loss', 'val.loss', 'metadata.accuracy', 'missing')).map(([f, a]) => `${f}(${a})`),
    fc.tuple(fc.constantFrom('min', 'max'), tie('value'), tie('value')).map(([f, a, b]) => `${f}(${a}, ${b})`),
    tie('value').map((a) => `-${a}`),
  ),
  condition: fc.oneof(
    { depthSize: 'small' },
    fc.tuple(tie('value'), fc.constantFrom('==', '!=', '<', '<=', '>', '>='), tie('value')).map(([a, op, b]) => `${a} ${op} ${b}`),
    fc.tuple(tie('value'), fc.array(tie('value'), { maxLength: 3 })).map(([a, list]) => `${a} in [${list.join(', ')}]`),
    fc.tuple(tie('condition'), fc.constantFrom('and', 'or', '&&', '||'), tie('condition')).map(([a, op, b]) => `(${a}) ${op} (${b})`),
    tie('condition').map((c) => `not (${c})`),
    tie('condition').map((c) => `!(${c})`),
  ),
}));

const prototypeNames = Object.getOwnPropertyNames(Object.prototype).sort();
const functionPrototypeNames = Object.getOwnPropertyNames(Function.prototype).sort();

afterAll(() => {
  expect(globals[CANARY]).toBeUndefined();
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeNames);
  expect(Object.getOwnPropertyNames(Function.prototype).sort()).toEqual(functionPrototypeNames);
  expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
});

describe('expressions under fuzzing', () => {
  it(`token soup (${RUNS} cases): compiles or throws UsageError, evaluates without throwing, quickly`, () => {
    let slowest = 0;
    fc.assert(
      fc.property(tokenSoup, (text) => {
        slowest = Math.max(slowest, exercise(text));
      }),
      { numRuns: RUNS },
    );
    expect(slowest).toBeLessThan(100);
  });

  it(`arbitrary text (${RUNS} cases), any code points`, () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (text) => {
        exercise(text);
      }),
      { numRuns: RUNS },
    );
  });

  it(`well-formed expressions (${RUNS} cases) compile, and evaluate to a boolean or an undecided result`, () => {
    let compiled = 0;
    fc.assert(
      fc.property(wellFormed.condition, (text) => {
        let expression: CompiledExpression;
        try {
          expression = compileExpression(text);
        } catch (error) {
          // Only the limits may refuse a well-formed expression.
          expect(error).toBeInstanceOf(UsageError);
          expect((error as Error).message).toMatch(/too deeply|too long/);
          return;
        }
        compiled++;
        const result = expression.evaluate(recordingEnvironment().env);
        if (result.ok) expect(typeof result.value).toBe('boolean');
      }),
      { numRuns: RUNS },
    );
    expect(compiled).toBeGreaterThan(RUNS * 0.9);
  });

  it('nesting far past the limit is refused quickly with a UsageError, never a stack overflow', () => {
    // Deep enough to overflow a naive recursive parser, short enough to pass the length limit.
    const depth = 1800;
    const shapes = [
      '('.repeat(depth) + 'loss' + ')'.repeat(depth),
      'not '.repeat(depth / 2) + 'loss',
      '!'.repeat(depth * 2) + 'loss',
      '-'.repeat(depth * 2) + '1 > 0',
      'abs('.repeat(depth / 5) + 'loss' + ')'.repeat(depth / 5),
      '['.repeat(depth) + ']'.repeat(depth),
      'loss in ' + '['.repeat(depth) + ']'.repeat(depth),
      'a?'.repeat(depth / 2) + 'b' + ':c'.repeat(depth / 2),
      'loss+'.repeat(depth / 3) + '1 > 0',
      `(${'('.repeat(MAX_EXPRESSION_DEPTH + 1)}loss${')'.repeat(MAX_EXPRESSION_DEPTH + 1)}) > 1`,
    ];
    for (const text of shapes) {
      expect(text.length).toBeLessThanOrEqual(MAX_EXPRESSION_LENGTH);
      const started = performance.now();
      expect(() => compileExpression(text), text.slice(0, 30)).toThrow(/too deeply|too long|bad expression/);
      expect(performance.now() - started).toBeLessThan(200);
    }
    expect(() => compileExpression('1 > 0 and '.repeat(MAX_EXPRESSION_LENGTH))).toThrow(/too long/);
  });

  it('names that reach prototypes are refused, in every spelling', () => {
    for (const text of [
      '__proto__ > 1', 'constructor', 'prototype == 1', 'loss.__proto__ > 1', 'metadata.constructor.prototype',
      'val.constructor > 0', 'max(__proto__) > 1', '"x".constructor', 'loss["__proto__"]', 'loss[`constructor`]',
      `constructor.constructor("globalThis.${CANARY}=1")()`, `this.${CANARY} = 1`, 'toString.call(1)',
    ]) {
      expect(() => compileExpression(text), text).toThrow(UsageError);
    }
    // A key that merely looks like one is an ordinary own property.
    const result = compileExpression('toString.polluted == 1').evaluate(recordEnvironment(values()));
    expect(result).toMatchObject({ ok: true, value: true });
  });
});
