/**
 * The early-stop rules of `--stop-when` and the plateau flags, built before any input is read or
 * any command is spawned, so a bad expression exits 2 first.
 */
import { createStopper } from '../analyse/early-stop.js';
import { compileExpression } from '../analyse/expr.js';
import { stopMessage } from '../render/stop.js';
import type { StopFlags } from './options.js';
import type { StopRule } from './session.js';

/** The stopper for the flags, its decisions worded; undefined when no rule is given. Throws UsageError for a bad rule. */
export function buildStopRule(flags: StopFlags): StopRule | undefined {
  const expressions = (flags.stopWhen ?? []).map((text) => compileExpression(text));
  if (expressions.length === 0 && flags.monitor === undefined) return undefined;
  const stopper = createStopper({
    expressions,
    ...(flags.monitor !== undefined
      ? {
          plateau: {
            monitor: flags.monitor,
            ...(flags.patience !== undefined ? { patience: flags.patience } : {}),
            ...(flags.minDelta !== undefined ? { minDelta: flags.minDelta } : {}),
            ...(flags.mode !== undefined ? { mode: flags.mode } : {}),
            ...(flags.baselineValue !== undefined ? { baseline: flags.baselineValue } : {}),
            ...(flags.startFrom !== undefined ? { startFrom: flags.startFrom } : {}),
          },
        }
      : {}),
  });
  return {
    observe(values) {
      const decision = stopper.observe(values);
      return decision && { ...decision, message: stopMessage(decision) };
    },
  };
}
