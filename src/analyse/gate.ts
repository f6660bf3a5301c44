/**
 * The gate's decision: every execution against every condition, `--max-drop` against a baseline,
 * and `--schema`. Pure: execution summaries in, a report of plain data out. Each check says what
 * it found as data (the values it read, the baseline, the drop); render/gate.ts words it.
 */
import { UsageError } from '../core/errors.js';
import type { JsonValue } from '../core/types.js';
import type { SchemaViolation } from '../formats/schema.js';
import type { CompiledExpression, NameRef } from './expr.js';
import { normalizeKey } from '../core/keys.js';
import { tendencyOf } from '../core/vocabulary.js';
import { aggregateOf, lookupKey, type Direction, type DirectionOverrides, type ExecutionSummary } from './summary.js';

export type MissingPolicy = 'fail' | 'pass' | 'error';

/** A value a check read. */
export interface UsedValue {
  key: string;
  aggregate: NameRef['aggregate'];
  /** As read: a JSON value, or undefined when the execution lacks it (a condition that could not be decided). */
  value: unknown;
  /** Line of the key's latest value, for annotations. */
  line?: number;
}

/** What a check found, by kind of check: the data its message is made of. */
export type CheckFinding =
  /** A condition evaluated; when it failed, `needs` is what it asks for (`>= 0.9`, or the whole expression). */
  | { kind: 'condition'; needs?: string }
  /** A condition that evaluated to an error (a type mismatch): `error` says why. */
  | { kind: 'undecided'; error: string }
  /** Keys the check needed and the execution (or, with `inBaseline`, the baseline) lacks. */
  | { kind: 'missing'; keys: string[]; inBaseline?: string; noRecords: boolean; policy: MissingPolicy }
  /** `--max-drop` where the value or the baseline's is not a number. */
  | { kind: 'incomparable'; baseline: JsonValue }
  /** `--max-drop`: how much worse than the baseline (negative: better), and how much was allowed. */
  | { kind: 'drop'; drop: MaxDrop; direction: Direction; baseline: number; worse: number; allowed: number }
  /** `--schema`: records read, violations counted, and the first one. */
  | { kind: 'schema'; records: number; violations: number; first?: SchemaViolation };

export interface CheckResult {
  /** What was checked, as the user wrote it (or `accuracy drop vs baseline <= 0.01`, `records match FILE`). */
  condition: string;
  status: 'pass' | 'fail' | 'error';
  /** The values it read, in order. */
  used: UsedValue[];
  finding: CheckFinding;
}

export interface ExecutionReport {
  execution: string;
  checks: CheckResult[];
}

/** An input the gate could not read (a missing file, a log without records is not one). */
export interface UnreadableInput {
  execution: string;
  /** Why, as said on stderr: `nope.log: no such file`. */
  message: string;
}

export interface GateReport {
  executions: ExecutionReport[];
  /** Inputs that could not be read: the gate cannot pass without them (exit status 2). */
  unreadable: UnreadableInput[];
  /** Every check of every execution passed, and every input was read. */
  passed: boolean;
  /** Some check ended in `error` (`--missing error`): exit status 2. */
  errored: boolean;
}

export interface MaxDrop {
  key: string;
  /** Absolute allowance, or a fraction of the baseline value when `relative`. */
  amount: number;
  relative: boolean;
  /** As written, for messages. */
  text: string;
}

export interface GateChecks {
  conditions: CompiledExpression[];
  missing: MissingPolicy;
  maxDrops: MaxDrop[];
  baseline?: ExecutionSummary;
  directions?: DirectionOverrides;
  /** Name of the schema file when `--schema` was given; executions with violations fail. */
  schema?: string;
}

/** `accuracy=0.01`, `val_loss=5%`; several may be joined by commas. */
export function parseMaxDrops(texts: readonly (string | number)[] | Record<string, number | string>): MaxDrop[] {
  const pairs: Array<[string, string]> = [];
  if (Array.isArray(texts)) {
    for (const text of texts as readonly string[]) {
      for (const part of String(text).split(',')) {
        if (part.trim() === '') continue;
        const eq = part.indexOf('=');
        if (eq <= 0) throw new UsageError(`--max-drop: expected KEY=AMOUNT such as accuracy=0.01 or accuracy=2%, got '${part.trim()}'`);
        pairs.push([part.slice(0, eq), part.slice(eq + 1)]);
      }
    }
  } else {
    for (const key of Object.keys(texts)) pairs.push([key, String((texts as Record<string, number | string>)[key])]);
  }
  return pairs.map(([rawKey, rawAmount]) => {
    const key = normalizeKey(rawKey);
    const text = rawAmount.trim();
    const m = /^(\d+(?:\.\d+)?(?:e[-+]?\d+)?)(%?)$/i.exec(text);
    if (!m || key === '') throw new UsageError(`--max-drop ${rawKey}: expected a non-negative number or percentage such as 0.01 or 2%, got '${text}'`);
    const relative = m[2] === '%';
    return { key, amount: relative ? Number(m[1]) / 100 : Number(m[1]), relative, text };
  });
}

// `accuracy >= 0.9`, `metadata.val-loss < 1`, `max(accuracy) > .95`: it needs `>= 0.9`.
const SIMPLE = /^\s*(?:metadata\.)?(?:[\w.-]+|\w+\(\s*(?:metadata\.)?[\w.-]+\s*\))\s*(>=|<=|==|!=|>|<)\s*(\S.*?)\s*$/;

/** What a failed condition asks for: the comparison of a simple one (`>= 0.9`), else the whole expression. */
function needs(condition: CompiledExpression): string {
  const m = SIMPLE.exec(condition.source);
  if (m && condition.references.length === 1) return `${m[1]} ${m[2]}`;
  return condition.source.trim();
}

function usedValue(execution: ExecutionSummary, ref: NameRef, value: unknown): UsedValue {
  const line = lookupKey(execution, ref.path)?.latestLine;
  return { key: ref.path, aggregate: ref.aggregate, value, ...(line !== undefined ? { line } : {}) };
}

function missingCheck(condition: string, execution: ExecutionSummary, keys: string[], policy: MissingPolicy, inBaseline?: string): CheckResult {
  const finding: CheckFinding = { kind: 'missing', keys, noRecords: execution.records === 0, policy, ...(inBaseline !== undefined ? { inBaseline } : {}) };
  return { condition, status: policy, used: [], finding };
}

function checkCondition(execution: ExecutionSummary, condition: CompiledExpression, policy: MissingPolicy): CheckResult {
  const result = condition.evaluate({ lookup: (ref) => aggregateOf(execution, ref.path, ref.aggregate) });
  if (!result.ok) {
    if (result.missing.length > 0) {
      const keys = [...new Set(result.missing.map((ref) => ref.path))];
      return missingCheck(condition.source, execution, keys, policy);
    }
    const used = condition.references.map((ref) => usedValue(execution, ref, aggregateOf(execution, ref.path, ref.aggregate)));
    return { condition: condition.source, status: 'fail', used, finding: { kind: 'undecided', error: result.error ?? 'evaluation failed' } };
  }
  const used = result.used.map((item) => usedValue(execution, item.ref, item.value));
  if (result.value) return { condition: condition.source, status: 'pass', used, finding: { kind: 'condition' } };
  return { condition: condition.source, status: 'fail', used, finding: { kind: 'condition', needs: needs(condition) } };
}

/**
 * Which way is worse for a `--max-drop` key: its direction by name or by `--higher-is-better` /
 * `--lower-is-better` (or the config). A drop of a key with no known direction (a learning rate,
 * a runtime, an unknown name) would be a guess, so it is a usage error asking for one.
 */
export function maxDropDirection(key: string, directions: DirectionOverrides | undefined): Direction {
  const tendency = tendencyOf(key, directions);
  if (tendency !== 'neutral') return tendency;
  throw new UsageError(`--max-drop ${key}: no direction known for ${key}; say which way is better with --higher-is-better ${key} or --lower-is-better ${key}`);
}

function checkMaxDrop(execution: ExecutionSummary, baseline: ExecutionSummary, drop: MaxDrop, policy: MissingPolicy, directions: DirectionOverrides | undefined): CheckResult {
  const direction = maxDropDirection(drop.key, directions);
  const condition = `${drop.key} drop vs baseline <= ${drop.text}`;
  const current = aggregateOf(execution, drop.key, 'latest');
  const reference = aggregateOf(baseline, drop.key, 'latest');
  if (reference === undefined) return missingCheck(condition, execution, [drop.key], policy, baseline.execution);
  if (current === undefined) return missingCheck(condition, execution, [drop.key], policy);
  const used = [usedValue(execution, { path: drop.key, aggregate: 'latest' }, current)];
  if (typeof current !== 'number' || typeof reference !== 'number' || Number.isNaN(current) || Number.isNaN(reference)) {
    return { condition, status: 'fail', used, finding: { kind: 'incomparable', baseline: reference } };
  }
  const worse = direction === 'max' ? reference - current : current - reference;
  const allowed = drop.relative ? drop.amount * Math.abs(reference) : drop.amount;
  return { condition, status: worse > allowed ? 'fail' : 'pass', used, finding: { kind: 'drop', drop, direction, baseline: reference, worse, allowed } };
}

function checkSchema(execution: ExecutionSummary, schema: string): CheckResult {
  const condition = `records match ${schema}`;
  const first = execution.violations[0];
  const finding: CheckFinding = { kind: 'schema', records: execution.records, violations: execution.violationCount, ...(first ? { first } : {}) };
  return { condition, status: execution.violationCount === 0 ? 'pass' : 'fail', used: [], finding };
}

/**
 * Decides the gate. Throws {@link UsageError} for a `--max-drop` key with no known direction
 * (see {@link maxDropDirection}).
 */
export function evaluateGate(executions: readonly ExecutionSummary[], checks: GateChecks): GateReport {
  // An input that could not be read is not an execution that passed nothing: it keeps the gate
  // from passing, and every format says which it was.
  const unreadable = executions.flatMap((execution) => (execution.error === undefined ? [] : [{ execution: execution.execution, message: execution.error }]));
  const reports = executions.filter((execution) => execution.error === undefined).map((execution): ExecutionReport => {
    const results = checks.conditions.map((condition) => checkCondition(execution, condition, checks.missing));
    if (checks.baseline) for (const drop of checks.maxDrops) results.push(checkMaxDrop(execution, checks.baseline, drop, checks.missing, checks.directions));
    if (checks.schema !== undefined) results.push(checkSchema(execution, checks.schema));
    return { execution: execution.execution, checks: results };
  });
  const all = reports.flatMap((report) => report.checks);
  return { executions: reports, unreadable, passed: unreadable.length === 0 && all.every((check) => check.status === 'pass'), errored: all.some((check) => check.status === 'error') };
}
