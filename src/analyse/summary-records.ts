/**
 * A summary file's execution as records a chart can draw (`chart`, `report`): what a summary keeps
 * of a log is each key's bounded history of (step, value) points (`summarize` keeps 256 a key, the
 * min/max buckets a chart draws) and its first and latest values. Those become records: one per
 * history point, `{step, key: value}`, and one first record with the keys that have no history
 * (text, or values that were never numbers), so settings show as they do for the log itself.
 * Pure.
 */
import type { ExecutionSummary } from './summary.js';
import type { JsonObject, MetadataRecord } from '../core/types.js';

/** The records that draw an execution's summary, in step order per key. */
export function recordsOfSummary(execution: ExecutionSummary, readTime: string): MetadataRecord[] {
  const time = execution.firstTime ?? readTime;
  const source = execution.execution;
  const settings: JsonObject = {};
  const points: MetadataRecord[] = [];
  let line = 1;
  for (const [key, summary] of execution.keys) {
    if (key === 'step') continue;
    if (summary.history === undefined || summary.history.length === 0) {
      Object.defineProperty(settings, key, { value: summary.latest, enumerable: true, writable: true, configurable: true });
      continue;
    }
    for (const point of summary.history) {
      const values: JsonObject = { step: point.x };
      Object.defineProperty(values, key, { value: point.y, enumerable: true, writable: true, configurable: true });
      points.push({ values, time, source, line: line++ });
    }
  }
  const first: MetadataRecord[] = Object.keys(settings).length > 0 ? [{ values: settings, time, source, line: 0 }] : [];
  return [...first, ...points];
}
