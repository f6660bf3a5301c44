/**
 * Merging summaries of parts of one execution (issue 17): `vizmeta merge --combine`, and the
 * algebra that makes summaries a value to ship. Pure.
 *
 * `mergeKeySummaries(a, b)` gives what one pass over both parts' values would: count, numeric,
 * NaN and Infinity counts, min and max (and the step where each was first reached), first and
 * latest (by `_time`, then input order: `a` is the earlier input) exactly; sum, and `stats`'
 * mean and M2 (Chan et al.) up to float rounding; `stats`' quantiles exactly (analyse/quantiles.ts).
 * The history, downsampled on both sides already, is joined in time order and downsampled again:
 * a sparkline of it is close to, not always equal to, one pass's.
 */
import type { ExecutionSummary, KeySummary } from './summary.js';
import { MAX_KEPT } from './summary.js';
import { Moments } from './moments.js';
import { Series } from './series.js';

/**
 * Orders two `_time`s: negative when `a` is earlier. Unknown or equal times are 0, and the caller
 * falls back to input order.
 */
export function compareTimes(a: string | undefined, b: string | undefined): number {
  if (a === undefined || b === undefined) return 0;
  const ta = Date.parse(a);
  const tb = Date.parse(b);
  if (Number.isNaN(ta) || Number.isNaN(tb)) return 0;
  return ta - tb;
}

/** Whether `b`'s first value comes before `a`'s (by time; on a tie `a`, the earlier input, is first). */
function bFirst(aTime: string | undefined, bTime: string | undefined): boolean {
  return compareTimes(bTime, aTime) < 0;
}

/** Whether `b`'s latest value comes after `a`'s (by time; on a tie `b`, the later input, is latest). */
function bLatest(aTime: string | undefined, bTime: string | undefined): boolean {
  return compareTimes(bTime, aTime) >= 0;
}

/**
 * Which of two summaries holds the merged min (or max): the smaller (larger) value; on a tie the
 * one that reached it first, by `_time`, then by step, then input order (`a`).
 */
function extreme(a: KeySummary, b: KeySummary, which: 'min' | 'max'): KeySummary {
  const va = a[which];
  const vb = b[which];
  if (vb === undefined) return a;
  if (va === undefined) return b;
  if (va !== vb) return (which === 'min' ? vb < va : vb > va) ? b : a;
  const byTime = compareTimes(b[which === 'min' ? 'minTime' : 'maxTime'], a[which === 'min' ? 'minTime' : 'maxTime']);
  if (byTime !== 0) return byTime < 0 ? b : a;
  const sa = a[which === 'min' ? 'minStep' : 'maxStep'];
  const sb = b[which === 'min' ? 'minStep' : 'maxStep'];
  return sa !== undefined && sb !== undefined && sb < sa ? b : a;
}

/** Two summaries of one key, `a` from the earlier input: the summary of all their values. */
export function mergeKeySummaries(a: KeySummary, b: KeySummary): KeySummary {
  const firstFromB = bFirst(a.firstTime, b.firstTime);
  const latestFromB = bLatest(a.latestTime, b.latestTime);
  const early = firstFromB ? b : a;
  const late = latestFromB ? b : a;
  const [before, after] = firstFromB ? [b, a] : [a, b];
  const merged: KeySummary = {
    count: a.count + b.count,
    numeric: a.numeric + b.numeric,
    nan: a.nan + b.nan,
    inf: a.inf + b.inf,
    latest: late.latest,
    latestLine: late.latestLine,
    latestStep: late.latestStep,
    first: early.first,
    min: undefined,
    max: undefined,
    minStep: undefined,
    maxStep: undefined,
    sum: a.sum + b.sum,
  };
  const low = extreme(a, b, 'min');
  if (low.min !== undefined) {
    merged.min = low.min;
    merged.minStep = low.minStep;
    if (low.minTime !== undefined) merged.minTime = low.minTime;
  }
  const high = extreme(a, b, 'max');
  if (high.max !== undefined) {
    merged.max = high.max;
    merged.maxStep = high.maxStep;
    if (high.maxTime !== undefined) merged.maxTime = high.maxTime;
  }
  if (early.firstTime !== undefined) merged.firstTime = early.firstTime;
  if (early.firstLine !== undefined) merged.firstLine = early.firstLine;
  if (early.firstStep !== undefined) merged.firstStep = early.firstStep;
  if (late.latestTime !== undefined) merged.latestTime = late.latestTime;
  if (a.partial === true || b.partial === true) merged.partial = true;
  if (a.moments !== undefined && b.moments !== undefined) {
    const moments = Moments.fromPlain(a.moments);
    moments.merge(Moments.fromPlain(b.moments));
    merged.moments = moments.toPlain();
  }
  if (a.history !== undefined || b.history !== undefined) {
    const points = [...(before.history ?? []), ...(after.history ?? [])];
    const series = new Series(Math.max(16, a.history?.length ?? 0, b.history?.length ?? 0));
    for (const point of points) series.push(point.x, point.y);
    merged.history = series.points().map((point) => ({ x: point.x, y: point.y }));
  }
  return merged;
}

/**
 * Two summaries of one execution (the same name in two summary files), `a` from the earlier
 * input: records, lines and every key merged; keys in first-seen order, the earlier part's first.
 */
export function mergeExecutionSummaries(a: ExecutionSummary, b: ExecutionSummary): ExecutionSummary {
  const [before, after] = bFirst(a.firstTime, b.firstTime) ? [b, a] : [a, b];
  const keys = new Map<string, KeySummary>();
  for (const [key, summary] of before.keys) {
    const other = after.keys.get(key);
    keys.set(key, other === undefined ? summary : before === a ? mergeKeySummaries(summary, other) : mergeKeySummaries(other, summary));
  }
  for (const [key, summary] of after.keys) if (!keys.has(key)) keys.set(key, summary);
  const diagnostics = [...a.diagnostics, ...b.diagnostics];
  const violations = [...a.violations, ...b.violations];
  const merged: ExecutionSummary = {
    execution: a.execution,
    kind: a.kind === b.kind ? a.kind : 'log',
    records: a.records + b.records,
    lines: a.lines + b.lines,
    keys,
    diagnostics: diagnostics.slice(0, MAX_KEPT),
    droppedDiagnostics: a.droppedDiagnostics + b.droppedDiagnostics + Math.max(0, diagnostics.length - MAX_KEPT),
    violations: violations.slice(0, MAX_KEPT),
    violationCount: a.violationCount + b.violationCount,
  };
  const firstTime = before.firstTime ?? after.firstTime;
  const lastTime = bLatest(a.lastTime, b.lastTime) ? b.lastTime ?? a.lastTime : a.lastTime ?? b.lastTime;
  if (firstTime !== undefined) merged.firstTime = firstTime;
  if (lastTime !== undefined) merged.lastTime = lastTime;
  if (merged.records === 0 && (a.noRecordsHint ?? b.noRecordsHint) !== undefined) merged.noRecordsHint = (a.noRecordsHint ?? b.noRecordsHint) as string;
  const errors = [a.error, b.error].filter((error): error is string => error !== undefined);
  if (errors.length > 0) merged.error = errors.join('; ');
  return merged;
}
