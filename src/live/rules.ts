/**
 * The early-stop rules of `--stop-when` and the plateau flags, built before any input is read or
 * any command is spawned, so a bad expression exits 2 first.
 */
import { UsageError } from '../errors.js';
import type { StopFlags } from './options.js';
import type { StopRule } from './session.js';

export function buildStopRule(flags: StopFlags): StopRule | undefined {
  if ((flags.stopWhen?.length ?? 0) === 0 && flags.monitor === undefined) return undefined;
  // Placeholder until src/early-stop.ts lands.
  throw new UsageError('early stopping is not available yet');
}
