/** Execution summaries made from plain values, for the tests of the pure decisions and their renderers. */
import { summarizeRecords, type ExecutionSummary } from '../../src/analyse/summary.js';
import type { JsonObject } from '../../src/core/types.js';

/** One execution named `name` whose records hold `values`, in order. */
export function execution(name: string, values: JsonObject[]): ExecutionSummary {
  return summarizeRecords(name, values.map((v, i) => ({ values: v, time: '', source: name, line: i + 1 })));
}

/** Five runs that exercise ranking: ties, a run without the key, and a NaN. */
export function rankingRuns(): ExecutionSummary[] {
  return [
    execution('a', [{ acc: 0.5 }, { acc: 0.7 }]),
    execution('none', [{ loss: 1 }]),
    execution('b', [{ acc: 0.9 }, { acc: 0.6 }]),
    execution('nan', [{ acc: Number.NaN }]),
    execution('c', [{ acc: 0.7 }]),
  ];
}
