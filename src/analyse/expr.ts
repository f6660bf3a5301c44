/**
 * The safe condition language behind `gate --when`, `watch/run --stop-when` and `table --where`.
 *
 * An expression is parsed once by jsep (configured below), checked and turned into a small
 * private tree, and then evaluated as many times as needed by a plain recursive walk. Nothing is
 * ever handed to `eval` or `new Function`, and names are never resolved by property access on
 * objects we do not own: every value comes from the caller's {@link Environment}.
 *
 * The language is Python-flavoured, like Valohai's leval, with the JavaScript spellings accepted
 * as synonyms:
 *
 *   metadata.accuracy >= 0.9 and not isnan(val_loss)
 *   val-loss < 1 || max(accuracy) > 0.95
 *   status in ['done', 'ok']
 */
import jsep from 'jsep';
import { UsageError } from '../core/errors.js';
import { getPath } from '../core/keys.js';
import { AGGREGATES, type Aggregate } from '../core/aggregates.js';
import type { JsonObject } from '../core/types.js';
import { numberFromText } from '../core/numbers.js';

/**
 * Resolves a dotted key against one record's values: an exact own key first (a flat `"val.loss"`),
 * then a walk through nested objects, own properties only. Re-exported so every module names keys
 * the same way.
 */
export { getPath };

/** Longest expression accepted, in UTF-16 code units. */
export const MAX_EXPRESSION_LENGTH = 4096;
/** Deepest nesting accepted, counted in tree levels (operators, calls, parentheses, lists). */
export const MAX_EXPRESSION_DEPTH = 64;

/** How a name is read from an execution's history. A bare name means `latest`. */
/** What a name reads of a key's history (core/aggregates.ts). */
export type AggregateName = Aggregate;

/** One value an expression reads: a key and how to aggregate its history. */
export interface NameRef {
  /** The dotted key, with a leading `metadata.` removed (`metadata.val.loss` → `val.loss`). */
  path: string;
  aggregate: AggregateName;
}

/** Supplies values to an expression. */
export interface Environment {
  /** The value for `ref`, or `undefined` when the execution lacks the key. */
  lookup(ref: NameRef): unknown;
}

/**
 * The outcome of one evaluation. `ok: false` means the expression could not be decided: a name it
 * read is missing (listed in `missing`), or an operation failed on the values (`error`, for
 * example comparing a non-numeric string with a number, or dividing by zero). The caller decides
 * whether that fails, passes or is an error.
 */
export type EvalResult =
  | { ok: true; value: boolean; used: Array<{ ref: NameRef; value: unknown }> }
  | { ok: false; missing: NameRef[]; error?: string };

/** A parsed and checked expression, ready to be evaluated many times. */
export interface CompiledExpression {
  /** The text as the user wrote it. */
  source: string;
  /** Every distinct name the expression reads, in order of appearance. */
  references: NameRef[];
  /** Evaluates against `env`; never throws for data reasons. */
  evaluate(env: Environment): EvalResult;
}

/**
 * A bad expression. The message is `bad expression at column N: reason`, followed by the
 * expression and a caret under column N on two more lines.
 */
export class ExpressionError extends UsageError {
  /** The expression as given. */
  readonly expression: string;
  /** 1-based column of the problem, when it has one. */
  readonly column: number | undefined;
  /** The reason alone, without the position or the excerpt. */
  readonly reason: string;

  constructor(expression: string, column: number | undefined, reason: string) {
    super(formatErrorMessage(expression, column, reason));
    this.expression = expression;
    this.column = column;
    this.reason = reason;
  }
}

function formatErrorMessage(expression: string, column: number | undefined, reason: string): string {
  if (column === undefined) return `bad expression: ${reason}`;
  // Show at most ~72 characters around the column so the caret stays on screen.
  const width = 72;
  const from = Math.max(0, Math.min(column - 1 - width / 2, expression.length - width));
  const shown = expression.slice(from, from + width).replace(/[\u0000-\u001f\u007f]/g, ' ');
  const prefix = from > 0 ? '…' : '';
  const suffix = from + width < expression.length ? '…' : '';
  const caret = ' '.repeat(prefix.length + column - 1 - from) + '^';
  return `bad expression at column ${column}: ${reason}\n  ${prefix}${shown}${suffix}\n  ${caret}`;
}

/** `accuracy (latest)` for a bare name, `max(accuracy)` for an aggregate. */
export function describeRef(ref: NameRef): string {
  return ref.aggregate === 'latest' ? `${ref.path} (latest)` : `${ref.aggregate}(${ref.path})`;
}

/**
 * An environment over a single record, a history of one: every aggregate of a present key is its
 * value, except `count`, which is 1.
 */
export function recordEnvironment(values: JsonObject): Environment {
  return {
    lookup(ref: NameRef): unknown {
      const value = getPath(values, ref.path);
      if (value === undefined) return undefined;
      return ref.aggregate === 'count' ? 1 : value;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Parsing: jsep, configured once for the whole process.
// ---------------------------------------------------------------------------------------------

/** jsep node, with the source positions our token hook adds. */
type JNode = jsep.Expression & { start?: number; end?: number };

/** Node types our hook produces besides jsep's own. */
const NAME = 'Name';
const GROUP = 'Group';

/** Comparisons share one level so a chain such as `a < b == c` is seen, and refused, as one. */
const BINARY_OPERATORS: ReadonlyArray<readonly [string, number]> = [
  ['or', 1], ['||', 1],
  ['and', 2], ['&&', 2],
  ['==', 6], ['!=', 6], ['===', 6], ['!==', 6], ['<', 6], ['<=', 6], ['>', 6], ['>=', 6], ['in', 6], ['not in', 6],
  ['+', 9], ['-', 9],
  ['*', 10], ['/', 10], ['//', 10], ['%', 10],
];

/** Words that are operators, never names, when they stand alone. */
const WORD_OPERATORS = new Set(['and', 'or', 'in', 'not', 'is']);
const LITERAL_WORDS = new Map<string, boolean | null>([
  ['true', true], ['True', true], ['false', false], ['False', false], ['null', null], ['None', null],
]);

// A name is identifier segments joined by dots. Inside a segment a dash glues identifier parts
// when nothing separates it from its neighbours (`val-loss`, `layer-2`), as leval does for
// Valohai; `a - b` with spaces stays a subtraction. A dash before a number that goes on
// (`a-1.5`, `a-1e3`) is a subtraction too.
const ID = '[A-Za-z_\\u0080-\\uFFFF][\\w\\u0080-\\uFFFF]*';
const SEGMENT = `${ID}(?:-(?:${ID}|\\d+(?![\\w\\u0080-\\uFFFF]|\\.\\d)))*`;
const NAME_RUN = new RegExp(`${SEGMENT}(?:\\.${SEGMENT})*`, 'y');

const CODE = {
  quote: 39, dquote: 34, openParen: 40, closeParen: 41, plus: 43, comma: 44, minus: 45,
  period: 46, bang: 33, equals: 61, openBracket: 91, backtick: 96, underscore: 95,
} as const;

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isNameStart(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === CODE.underscore || code >= 128;
}

/** Nesting of the parse in progress; parsing is synchronous, so one counter is enough. */
let nesting = 0;

/** Runs `parse` one nesting level deeper, refusing to go past the limit before the stack suffers. */
function nested<T>(scope: jsep.HookScope, parse: () => T): T {
  if (++nesting > MAX_EXPRESSION_DEPTH) scope.throwError(`expression is nested too deeply (the limit is ${MAX_EXPRESSION_DEPTH} levels)`);
  try {
    return parse();
  } finally {
    nesting--;
  }
}

/**
 * jsep's `gobble-token` hook. Every operand goes through here, so each one carries its source
 * position and all recursion is depth-counted; jsep still does operator precedence, call argument
 * lists, member access and number lexing.
 */
function gobbleToken(this: jsep.HookScope, env: { node?: jsep.Expression }): void {
  const start = this.index;
  const node = gobbleOperand(this);
  if (!node) return;
  // Calls and member accesses built by jsep around this token start where the token does.
  for (let link: JNode | undefined = node; link; link = (link['callee'] ?? link['object']) as JNode | undefined) link.start ??= start;
  node.end = this.index;
  env.node = node;
}

function gobbleOperand(scope: jsep.HookScope): JNode | undefined {
  const code = scope.code;
  if (code === CODE.openParen) return withProperties(scope, gobbleGroup(scope));
  if (code === CODE.openBracket) return gobbleList(scope);
  if (code === CODE.backtick) return withProperties(scope, gobbleQuotedName(scope));
  if (code === CODE.quote || code === CODE.dquote) return gobbleString(scope);
  if (isDigit(code) || code === CODE.period) return scope.gobbleNumericLiteral() as JNode;
  if (code === CODE.minus || code === CODE.plus) return gobbleUnary(scope, scope.char, scope.char, 1);
  // `!=` where a value should be: let jsep report "expected a value after ...".
  if (code === CODE.bang) return scope.expr.charCodeAt(scope.index + 1) === CODE.equals ? undefined : gobbleUnary(scope, 'not', '!', 1);
  if (isNameStart(code)) return gobbleWord(scope);
  return undefined;
}

function gobbleUnary(scope: jsep.HookScope, operator: string, spelling: string, length: number): JNode {
  const start = scope.index;
  scope.index += length;
  const argument = nested(scope, () => scope.gobbleToken());
  if (!argument) scope.throwError(`expected a value after '${spelling}'`);
  return { type: 'UnaryExpression', operator, argument, prefix: true, start };
}

function gobbleWord(scope: jsep.HookScope): JNode {
  NAME_RUN.lastIndex = scope.index;
  const word = NAME_RUN.exec(scope.expr)?.[0] ?? scope.char;
  if (word === 'not') return gobbleUnary(scope, 'not', 'not', 3);
  if (WORD_OPERATORS.has(word)) scope.throwError(`expected a value, found '${word}'`);
  scope.index += word.length;
  const literal = LITERAL_WORDS.get(word);
  if (literal !== undefined) return { type: 'Literal', value: literal, raw: word };
  return withProperties(scope, { type: NAME, path: word });
}

/** Backtick-quoted names take any characters but a backtick: `` `val loss (smoothed)` ``. */
function gobbleQuotedName(scope: jsep.HookScope): JNode {
  const start = scope.index;
  const close = scope.expr.indexOf('`', start + 1);
  if (close < 0) scope.throwError("unclosed '`' name");
  if (close === start + 1) scope.throwError('empty name ``');
  scope.index = close + 1;
  return { type: NAME, path: scope.expr.slice(start + 1, close), quoted: true, start };
}

function gobbleString(scope: jsep.HookScope): JNode {
  const start = scope.index;
  try {
    return scope.gobbleStringLiteral() as JNode;
  } catch {
    // jsep reports the end of the text; the opening quote is more useful.
    scope.index = start;
    return scope.throwError('unclosed string');
  }
}

/** `( expr )`, or a Python tuple `(a, b)` that is read as a list. */
function gobbleGroup(scope: jsep.HookScope): JNode {
  const open = scope.index;
  return nested(scope, () => {
    scope.index++;
    scope.gobbleSpaces();
    if (scope.code === CODE.closeParen) scope.throwError("expected a value inside '()'");
    const items: jsep.Expression[] = [];
    let tuple = false;
    for (;;) {
      const item = scope.gobbleExpression();
      if (!item) return unexpected(scope);
      items.push(item);
      if (scope.code !== CODE.comma) break;
      tuple = true;
      scope.index++;
      scope.gobbleSpaces();
      if (peek(scope) === CODE.closeParen) break;
    }
    if (scope.code !== CODE.closeParen) {
      if (scope.index >= scope.expr.length) scope.throwError(`missing ')' to close the '(' at column ${open + 1}`);
      return unexpected(scope);
    }
    scope.index++;
    return tuple ? { type: 'ArrayExpression', elements: items, start: open } : { type: GROUP, expression: items[0] ?? null, start: open };
  });
}

/** The current character code, read afresh (TypeScript would narrow `scope.code` across moves). */
function peek(scope: jsep.HookScope): number {
  return scope.code;
}

function gobbleList(scope: jsep.HookScope): JNode {
  const start = scope.index;
  const list = nested(scope, () => scope.gobbleArray()) as JNode;
  const elements = list['elements'] as Array<jsep.Expression | null>;
  if (elements.includes(null)) {
    scope.index = start;
    scope.throwError('empty item in list');
  }
  return list;
}

/** Member access and calls after a token (`a[0]`, `min(a, b)`), one nesting level deeper. */
function withProperties(scope: jsep.HookScope, node: JNode): JNode {
  return nested(scope, () => scope.gobbleTokenProperty(node) as JNode);
}

function unexpected(scope: jsep.HookScope): never {
  if (scope.index >= scope.expr.length) return scope.throwError('unexpected end of expression');
  return scope.throwError(`unexpected ${quoteToken(scope.expr, scope.index)}`);
}

/** The word or character at `index`, quoted, for messages. */
function quoteToken(text: string, index: number): string {
  NAME_RUN.lastIndex = index;
  const word = isNameStart(text.charCodeAt(index)) ? NAME_RUN.exec(text)?.[0] : undefined;
  return `'${word ?? text.charAt(index)}'`;
}

function configureJsep(): void {
  jsep.removeAllBinaryOps();
  for (const [operator, precedence] of BINARY_OPERATORS) jsep.addBinaryOp(operator, precedence);
  // Our token hook parses every prefix operator, so jsep needs none of its own.
  jsep.removeAllUnaryOps();
  jsep.removeAllLiterals();
  jsep.removeIdentifierChar('$');
  // jsep ships a ternary plugin whose recursion our depth counter does not see; `a ? b : c` is
  // not part of the language, so drop it and let `?` be an unexpected character.
  const hooks = jsep.hooks as unknown as Record<string, unknown>;
  const after = hooks['after-expression'];
  if (Array.isArray(after)) hooks['after-expression'] = after.filter((hook: { name?: string }) => hook.name !== 'gobbleTernary');
  jsep.hooks.add('gobble-token', gobbleToken);
}

configureJsep();

/** jsep's parser class, which the typings do not declare. */
const JsepParser = (jsep as unknown as { Jsep: new (text: string) => jsep.HookScope }).Jsep;

/**
 * Only the whitespace between `not` and `in` changes, so every column stays where the user put it:
 * jsep matches multi-word operators literally, with exactly one space.
 */
function normaliseNotIn(text: string): string {
  return text.replace(/("(?:[^"\\]|\\.)*"?|'(?:[^'\\]|\\.)*'?|`[^`]*`?)|\bnot(\s+)in\b/g, (match, quoted: string | undefined, space: string | undefined) =>
    quoted ?? `not in${' '.repeat((space ?? ' ').length - 1)}`);
}

function parse(text: string): JNode {
  const parser = new JsepParser(normaliseNotIn(text));
  nesting = 0;
  try {
    // One expression, then the end: jsep's top level would quietly accept `a, b` or `a; b`.
    const node = parser.gobbleExpression() as JNode | false;
    if (!node) {
      if (text.trim() === '') throw new ExpressionError(text, undefined, 'empty expression');
      return unexpectedAtTop(text, parser.index);
    }
    if (parser.index < text.length) return unexpectedAtTop(text, parser.index);
    return node;
  } catch (error) {
    if (error instanceof ExpressionError) throw error;
    if (error instanceof RangeError) throw new ExpressionError(text, undefined, `expression is nested too deeply (the limit is ${MAX_EXPRESSION_DEPTH} levels)`);
    const jsepError = error as { index?: unknown; description?: unknown };
    if (typeof jsepError.index === 'number' && typeof jsepError.description === 'string') {
      // jsep steps past the ')' of `f(a,)` before reporting it.
      const index = jsepError.description === 'Unexpected token )' ? jsepError.index - 1 : jsepError.index;
      throw new ExpressionError(text, Math.min(index, text.length) + 1, friendlyJsepMessage(jsepError.description));
    }
    throw error;
  }
}

function unexpectedAtTop(text: string, index: number): never {
  const rest = text.slice(index).trim();
  let reason = `unexpected ${quoteToken(text, index)}`;
  if (/^=(?!=)/.test(rest)) reason += " (use '==' to compare)";
  else if (rest.startsWith('?')) reason = "conditional expressions (a ? b : c) are not supported";
  else if (/^(and|or|in|not\s+in|is)$/.test(rest)) reason = `expected a value after '${rest.replace(/\s+/, ' ')}'`;
  else if (/^is\b/.test(rest)) reason = "'is' is not supported; use '==' or '!='";
  throw new ExpressionError(text, index + 1, reason);
}

/** Turns jsep's messages into the same voice as ours. */
function friendlyJsepMessage(message: string): string {
  let m: RegExpExecArray | null;
  if (message === 'Unexpected period') return "unexpected '.'";
  if ((m = /^Expected expression after (.+)$/.exec(message))) return `expected a value after '${m[1]}'`;
  if ((m = /^Unexpected "(.*)"$/.exec(message)) || (m = /^Unexpected token (.+)$/.exec(message)) || (m = /^Unexpected (.+)$/.exec(message))) {
    return m[1] === '' ? 'unexpected end of expression' : `unexpected '${m[1]}'`;
  }
  if ((m = /^(?:Expected|Unclosed) ([\])])$/.exec(message))) return `missing '${m[1]}'`;
  if (message === 'Unclosed [') return "missing ']'";
  if (message === 'Expected comma') return "expected ',' between items";
  if ((m = /^Variable names cannot start with a number \((.*)\)$/.exec(message))) return `a name cannot start with a digit ('${m[1]}')`;
  if ((m = /^Expected exponent \((.*)\)$/.exec(message))) return `bad number '${m[1]}'`;
  return message.charAt(0).toLowerCase() + message.slice(1);
}

// ---------------------------------------------------------------------------------------------
// Checking: jsep's tree → our tree. Everything not explicitly allowed is refused here.
// ---------------------------------------------------------------------------------------------

type Comparison = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not in';
type Arithmetic = '+' | '-' | '*' | '/' | '//' | '%';
type FunctionName = 'abs' | 'min' | 'max' | 'isnan' | 'isinf';

type Node =
  | { kind: 'literal'; value: number | string | boolean | null }
  | { kind: 'list'; items: Node[] }
  | { kind: 'name'; ref: NameRef }
  | { kind: 'not'; operand: Node }
  | { kind: 'sign'; op: '-' | '+'; operand: Node }
  | { kind: 'logic'; op: 'and' | 'or'; left: Node; right: Node }
  | { kind: 'compare'; op: Comparison; left: Node; right: Node }
  | { kind: 'arith'; op: Arithmetic; left: Node; right: Node }
  | { kind: 'call'; fn: FunctionName; args: Node[] };

const LOGIC: Readonly<Record<string, 'and' | 'or'>> = { and: 'and', '&&': 'and', or: 'or', '||': 'or' };
const COMPARISONS: Readonly<Record<string, Comparison>> = {
  '==': '==', '===': '==', '!=': '!=', '!==': '!=', '<': '<', '<=': '<=', '>': '>', '>=': '>=', in: 'in', 'not in': 'not in',
};
const ARITHMETIC: Readonly<Record<string, Arithmetic>> = { '+': '+', '-': '-', '*': '*', '/': '/', '//': '//', '%': '%' };
// Aggregates called with one name; min and max with one argument are aggregates too, with more the arithmetic functions.
const AGGREGATE_FUNCTIONS = new Set<string>(AGGREGATES.filter((aggregate) => aggregate !== 'min' && aggregate !== 'max'));
const ONE_ARGUMENT_FUNCTIONS = new Set<string>(['abs', 'isnan', 'isinf']);
const KNOWN_FUNCTIONS = 'abs, min, max, isnan, isinf, latest, first, mean, count';
/** Names that mean something to JavaScript objects; refused so no lookup can ever reach them. */
const FORBIDDEN_SEGMENTS = new Set(['constructor', '__proto__', 'prototype']);

function own<T>(table: Readonly<Record<string, T>>, key: unknown): T | undefined {
  return typeof key === 'string' && Object.hasOwn(table, key) ? table[key] : undefined;
}

function child(node: JNode, key: string): JNode {
  return node[key] as JNode;
}

class Checker {
  readonly references: NameRef[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly text: string) {}

  fail(node: JNode | undefined, reason: string): never {
    const start = node === undefined ? undefined : startOf(node);
    throw new ExpressionError(this.text, start === undefined ? undefined : start + 1, reason);
  }

  private enter(node: JNode, depth: number): void {
    if (depth > MAX_EXPRESSION_DEPTH) this.fail(node, `expression is nested too deeply (the limit is ${MAX_EXPRESSION_DEPTH} levels)`);
  }

  /** A whole expression: the top level, a parenthesised group, a call argument or a list item. */
  expression(node: JNode, depth: number): Node {
    this.enter(node, depth);
    if (node.type === GROUP) return this.expression(child(node, 'expression'), depth);
    const logic = node.type === 'BinaryExpression' ? own(LOGIC, node['operator']) : undefined;
    if (logic) return { kind: 'logic', op: logic, left: this.expression(child(node, 'left'), depth + 1), right: this.expression(child(node, 'right'), depth + 1) };
    return this.condition(node, depth);
  }

  /**
   * Python's `not` binds more loosely than comparisons (`not a == b` is `not (a == b)`), while
   * jsep attaches a prefix operator to the next token only. So leading `not`s on the leftmost
   * token of a comparison are lifted over the whole comparison; `not` elsewhere is refused.
   */
  private condition(node: JNode, depth: number): Node {
    const { count, rest } = this.liftLeadingNots(node, depth);
    let result = this.operand(rest, depth + count);
    for (let i = 0; i < count; i++) result = { kind: 'not', operand: result };
    return result;
  }

  private liftLeadingNots(node: JNode, depth: number): { count: number; rest: JNode } {
    this.enter(node, depth);
    if (node.type === 'BinaryExpression' && !own(LOGIC, node['operator'])) {
      const lifted = this.liftLeadingNots(child(node, 'left'), depth + 1);
      return lifted.count === 0 ? { count: 0, rest: node } : { count: lifted.count, rest: { ...node, left: lifted.rest, start: startOf(lifted.rest) } };
    }
    let count = 0;
    let rest = node;
    while (rest.type === 'UnaryExpression' && rest['operator'] === 'not') {
      count++;
      rest = child(rest, 'argument');
    }
    return { count, rest };
  }

  /** An operand of a comparison or of arithmetic, or the body of a condition. */
  private operand(node: JNode, depth: number): Node {
    this.enter(node, depth);
    switch (node.type) {
      case GROUP:
        return this.expression(child(node, 'expression'), depth);
      case 'Literal':
        return this.literal(node);
      case NAME:
      case 'Identifier':
      case 'MemberExpression':
        return { kind: 'name', ref: this.reference(node, 'latest') };
      case 'CallExpression':
        return this.call(node, depth);
      case 'ArrayExpression':
        return this.fail(node, "a list can only follow 'in' or 'not in'");
      case 'UnaryExpression':
        return this.unary(node, depth);
      case 'BinaryExpression':
        return this.binary(node, depth);
      default:
        return this.fail(node, `unsupported syntax (${node.type})`);
    }
  }

  private literal(node: JNode): Node {
    const value = node['value'];
    if (value === null || typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return { kind: 'literal', value };
    return this.fail(node, 'unsupported literal');
  }

  private unary(node: JNode, depth: number): Node {
    const operator = node['operator'];
    if (operator === 'not') return this.fail(node, "'not' must start a condition; put it in parentheses, e.g. a == (not b)");
    if (operator !== '-' && operator !== '+') return this.fail(node, `unsupported operator '${String(operator)}'`);
    return { kind: 'sign', op: operator, operand: this.operand(child(node, 'argument'), depth + 1) };
  }

  private binary(node: JNode, depth: number): Node {
    const operator = node['operator'];
    const left = child(node, 'left');
    const right = child(node, 'right');
    if (own(LOGIC, operator)) return this.expression(node, depth);
    const arithmetic = own(ARITHMETIC, operator);
    if (arithmetic) return { kind: 'arith', op: arithmetic, left: this.operand(left, depth + 1), right: this.operand(right, depth + 1) };
    const comparison = own(COMPARISONS, operator);
    if (!comparison) return this.fail(node, `unsupported operator '${String(operator)}'`);
    for (const side of [left, right]) {
      if (side.type === 'BinaryExpression' && own(COMPARISONS, side['operator'])) {
        const operatorColumn = this.operatorColumn(node);
        const shown = this.text.slice(startOf(node) ?? 0, endOf(node)).trim();
        throw new ExpressionError(this.text, operatorColumn, `chained comparisons are not supported ('${shown}'); join them with 'and'`);
      }
    }
    const leftNode = this.operand(left, depth + 1);
    const isMembership = comparison === 'in' || comparison === 'not in';
    const rightNode = isMembership && right.type === 'ArrayExpression' ? this.list(right, depth + 1) : this.operand(right, depth + 1);
    return { kind: 'compare', op: comparison, left: leftNode, right: rightNode };
  }

  /** 1-based column of a binary node's operator: the first non-space after its left operand. */
  private operatorColumn(node: JNode): number | undefined {
    const after = endOf(child(node, 'left'));
    if (after === undefined) return undefined;
    const offset = this.text.slice(after).search(/\S/);
    return offset < 0 ? undefined : after + offset + 1;
  }

  private list(node: JNode, depth: number): Node {
    const elements = node['elements'] as JNode[];
    return { kind: 'list', items: elements.map((element) => this.expression(element, depth + 1)) };
  }

  private call(node: JNode, depth: number): Node {
    const callee = child(node, 'callee');
    const args = node['arguments'] as JNode[];
    const name = callee.type === NAME && !callee['quoted'] && !(callee['path'] as string).includes('.') ? (callee['path'] as string) : undefined;
    if (name === undefined || node['optional']) return this.fail(node, `only the functions ${KNOWN_FUNCTIONS} can be called`);
    const single = args.length === 1 ? args[0] : undefined;
    if (AGGREGATE_FUNCTIONS.has(name) || ((name === 'min' || name === 'max') && single)) {
      if (!single) return this.fail(node, `${name}() takes one metric name`);
      if (!isNameNode(single)) {
        const hint = name === 'min' || name === 'max' ? `; to compare values, give ${name}() two or more` : '';
        return this.fail(single, `${name}(...) with one argument aggregates a metric's history and needs a metric name${hint}`);
      }
      return { kind: 'name', ref: this.reference(single, name as AggregateName) };
    }
    if (ONE_ARGUMENT_FUNCTIONS.has(name)) {
      if (!single) return this.fail(node, `${name}() takes exactly one argument`);
      return { kind: 'call', fn: name as FunctionName, args: [this.expression(single, depth + 1)] };
    }
    if (name === 'min' || name === 'max') {
      if (args.length === 0) return this.fail(node, `${name}() needs a metric name, or two or more values`);
      return { kind: 'call', fn: name, args: args.map((arg) => this.expression(arg, depth + 1)) };
    }
    return this.fail(callee, `unknown function '${name}' (known: ${KNOWN_FUNCTIONS})`);
  }

  /** A name node's dotted path, checked, `metadata.` removed, recorded in order of appearance. */
  private reference(node: JNode, aggregate: AggregateName): NameRef {
    const segments = this.segments(node);
    for (const segment of segments.flatMap((s) => s.split('.'))) {
      if (FORBIDDEN_SEGMENTS.has(segment)) this.fail(node, `'${segment}' cannot be used in a name`);
    }
    let path = segments.join('.');
    if (path.startsWith('metadata.') && path.length > 'metadata.'.length) path = path.slice('metadata.'.length);
    const ref: NameRef = { path, aggregate };
    const key = refKey(ref);
    if (!this.seen.has(key)) {
      this.seen.add(key);
      this.references.push(ref);
    }
    return ref;
  }

  /** `a.b["c-d"].e` → ['a.b', 'c-d', 'e']; anything else in a member chain is refused. */
  private segments(node: JNode): string[] {
    const out: string[] = [];
    let current = node;
    for (let guard = 0; current.type === 'MemberExpression'; guard++) {
      if (guard > MAX_EXPRESSION_DEPTH) this.fail(node, 'name is too long');
      if (current['optional']) this.fail(current, "'?.' is not supported");
      const property = child(current, 'property');
      if (!current['computed'] && property.type === 'Identifier') out.push(property['name'] as string);
      else if (current['computed'] && property.type === 'Literal' && typeof property['value'] === 'string') out.push(property['value']);
      else this.fail(current, "only a quoted key may go in [ ], e.g. val['loss-avg']");
      current = child(current, 'object');
    }
    if (current.type === NAME) out.push(current['path'] as string);
    else if (current.type === 'Identifier') out.push(current['name'] as string);
    else this.fail(current, 'member access is only allowed on names');
    return out.reverse();
  }
}

function isNameNode(node: JNode): boolean {
  return node.type === NAME || node.type === 'Identifier' || node.type === 'MemberExpression';
}

/** Source start of a node; jsep's own nodes take it from their leftmost child. */
function startOf(node: JNode): number | undefined {
  let current: JNode | undefined = node;
  while (current && current.start === undefined) current = (current['left'] ?? current['callee'] ?? current['object']) as JNode | undefined;
  return current?.start;
}

/** Source end of a node; jsep's own nodes take it from their rightmost child. */
function endOf(node: JNode): number | undefined {
  let current: JNode | undefined = node;
  while (current && current.end === undefined) current = (current['right'] ?? current['argument']) as JNode | undefined;
  return current?.end;
}

function refKey(ref: NameRef): string {
  return `${ref.aggregate}\u0000${ref.path}`;
}

/**
 * Parses and checks an expression. Throws {@link ExpressionError} (a {@link UsageError}) naming the
 * column for a syntax error, an unknown function, a forbidden name, or an expression longer than
 * {@link MAX_EXPRESSION_LENGTH} or deeper than {@link MAX_EXPRESSION_DEPTH}.
 */
export function compileExpression(text: string): CompiledExpression {
  if (text.length > MAX_EXPRESSION_LENGTH) {
    throw new ExpressionError(text.slice(0, 80), undefined, `expression is too long (${text.length} characters; the limit is ${MAX_EXPRESSION_LENGTH})`);
  }
  const checker = new Checker(text);
  const tree = checker.expression(parse(text), 1);
  const references = checker.references;
  return {
    source: text,
    references: references.map((ref) => ({ ...ref })),
    evaluate: (env) => evaluateTree(tree, env),
  };
}

// ---------------------------------------------------------------------------------------------
// Evaluation: Python semantics, weakly typed like leval.
// ---------------------------------------------------------------------------------------------

/** Stands for "a name this value depends on is missing"; it propagates through every operator. */
const MISSING: unique symbol = Symbol('missing');

/** An operation that cannot be done on these values (Python would raise TypeError or ZeroDivisionError). */
class EvaluationFailure extends Error {}

interface Context {
  env: Environment;
  values: Map<string, unknown>;
  used: Array<{ ref: NameRef; value: unknown }>;
  missing: NameRef[];
}

function evaluateTree(tree: Node, env: Environment): EvalResult {
  const context: Context = { env, values: new Map(), used: [], missing: [] };
  try {
    const value = run(tree, context);
    if (value === MISSING || context.missing.length > 0) return { ok: false, missing: context.missing };
    return { ok: true, value: truthy(value), used: context.used };
  } catch (error) {
    if (error instanceof EvaluationFailure) return { ok: false, missing: context.missing, error: error.message };
    throw error;
  }
}

function read(ref: NameRef, context: Context): unknown {
  const key = refKey(ref);
  if (context.values.has(key)) return context.values.get(key);
  const found = context.env.lookup(ref);
  const value = found === undefined ? MISSING : found;
  context.values.set(key, value);
  if (value === MISSING) context.missing.push(ref);
  else context.used.push({ ref, value });
  return value;
}

function run(node: Node, context: Context): unknown {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'name':
      return read(node.ref, context);
    case 'list': {
      const items = node.items.map((item) => run(item, context));
      return items.includes(MISSING) ? MISSING : items;
    }
    case 'not': {
      const value = run(node.operand, context);
      return value === MISSING ? MISSING : !truthy(value);
    }
    case 'sign': {
      const value = run(node.operand, context);
      if (value === MISSING) return MISSING;
      const number = toNumber(value);
      if (number === undefined) throw new EvaluationFailure(`cannot apply unary '${node.op}' to ${show(value)}`);
      return node.op === '-' ? -number : number;
    }
    case 'logic': {
      // Python's short circuit: `a or b` is a when a is true, and b is not read at all.
      const left = run(node.left, context);
      if (left !== MISSING && truthy(left) === (node.op === 'or')) return left;
      const right = run(node.right, context);
      return left === MISSING ? MISSING : right;
    }
    case 'compare':
    case 'arith': {
      const left = run(node.left, context);
      const right = run(node.right, context);
      if (left === MISSING || right === MISSING) return MISSING;
      return node.kind === 'compare' ? compare(node.op, left, right) : arithmetic(node.op, left, right);
    }
    case 'call': {
      const args = node.args.map((arg) => run(arg, context));
      return args.includes(MISSING) ? MISSING : callFunction(node.fn, args);
    }
  }
}

/** Python's bool(): 0, '', None, empty lists and objects are false; NaN is true. */
function truthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false) return false;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string') return value.length > 0;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

/** Numbers as they are, booleans as 0/1 (Python's bool is an int), numeric strings parsed. */
function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') return numberFromText(value);
  return undefined;
}

function isNumeric(value: unknown): value is number | boolean {
  return typeof value === 'number' || typeof value === 'boolean';
}

function compare(op: Comparison, left: unknown, right: unknown): boolean {
  switch (op) {
    case '==':
      return looseEqual(left, right);
    case '!=':
      return !looseEqual(left, right);
    case 'in':
      return contains(right, left);
    case 'not in':
      return !contains(right, left);
    default:
      return order(op, left, right);
  }
}

/** `==`: same type compares directly; a number meets a numeric string as numbers; else unequal. */
function looseEqual(left: unknown, right: unknown): boolean {
  if (left === null || right === null) return left === right;
  if (typeof left === 'string' && typeof right === 'string') return left === right;
  if (isNumeric(left) || isNumeric(right)) {
    const a = toNumber(left);
    const b = toNumber(right);
    return a !== undefined && b !== undefined && a === b;
  }
  if (Array.isArray(left) && Array.isArray(right)) return left.length === right.length && left.every((item, i) => looseEqual(item, right[i]));
  if (isPlainObject(left) && isPlainObject(right)) {
    const keys = Object.keys(left);
    return keys.length === Object.keys(right).length && keys.every((key) => Object.hasOwn(right, key) && looseEqual(left[key], right[key]));
  }
  return false;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `<`, `<=`, `>`, `>=` on two strings, or on numbers (numeric strings coerced). NaN compares false. */
function order(op: '<' | '<=' | '>' | '>=', left: unknown, right: unknown): boolean {
  let a: number | string | undefined;
  let b: number | string | undefined;
  if (typeof left === 'string' && typeof right === 'string') {
    a = left;
    b = right;
  } else if (isNumeric(left) || isNumeric(right)) {
    a = toNumber(left);
    b = toNumber(right);
  }
  if (a === undefined || b === undefined) throw new EvaluationFailure(`cannot compare ${show(left)} ${op} ${show(right)}`);
  switch (op) {
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    case '>=': return a >= b;
  }
}

/** Python's `in`: an item of a list, a substring of a string, a key of an object. */
function contains(container: unknown, item: unknown): boolean {
  if (Array.isArray(container)) return container.some((element) => looseEqual(item, element));
  if (typeof container === 'string' && typeof item === 'string') return container.includes(item);
  if (isPlainObject(container) && typeof item === 'string') return Object.hasOwn(container, item);
  throw new EvaluationFailure(`cannot test ${show(item)} in ${show(container)}`);
}

function arithmetic(op: Arithmetic, left: unknown, right: unknown): number | string {
  if (op === '+' && typeof left === 'string' && typeof right === 'string') return left + right;
  const a = toNumber(left);
  const b = toNumber(right);
  if (a === undefined || b === undefined) throw new EvaluationFailure(`cannot compute ${show(left)} ${op} ${show(right)}`);
  switch (op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': return divide(a, b, () => a / b);
    case '//': return divide(a, b, () => floorDivide(a, b));
    case '%': return divide(a, b, () => modulo(a, b));
  }
}

/** Python raises on division by zero, even for floats; so do we. */
function divide(a: number, b: number, quotient: () => number): number {
  if (b === 0) throw new EvaluationFailure(`division by zero (${show(a)} / 0)`);
  return quotient();
}

/** Python's float `%`: the result takes the divisor's sign. */
function modulo(a: number, b: number): number {
  const r = a % b;
  return r !== 0 && r < 0 !== b < 0 ? r + b : r;
}

/** Python's float `//` (CPython's float_floor_div), exact where Math.floor(a / b) is off by one. */
function floorDivide(a: number, b: number): number {
  const mod = a % b;
  let div = (a - mod) / b;
  if (mod !== 0 && b < 0 !== mod < 0) div -= 1;
  if (div === 0) return 0;
  let floored = Math.floor(div);
  if (div - floored > 0.5) floored += 1;
  return floored;
}

function callFunction(fn: FunctionName, args: unknown[]): unknown {
  if (fn === 'min' || fn === 'max') {
    // Python keeps the first of equals and never replaces with NaN: min(nan, 1) is nan, min(1, nan) is 1.
    let best = args[0];
    for (const candidate of args.slice(1)) if (order(fn === 'min' ? '<' : '>', candidate, best)) best = candidate;
    return best;
  }
  const value = args[0];
  const number = toNumber(value);
  if (number === undefined) throw new EvaluationFailure(`${fn}() needs a number, not ${show(value)}`);
  if (fn === 'abs') return Math.abs(number);
  if (fn === 'isnan') return Number.isNaN(number);
  return number === Infinity || number === -Infinity;
}

/** A value for an error message: `"abc" (string)`, `None`-free, JSON-like. */
function show(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)} (string)`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'a list';
  return 'an object';
}
