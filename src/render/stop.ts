/**
 * Why an early-stop rule fired, in one line: the rule, where, and the values that made it fire.
 * `--stop-when 'loss > 5': true at step 2 (loss = 6)`;
 * `--monitor val_loss --patience 2: val_loss = 0.43 at step 3, no improvement on 0.41 (step 1) for 2 records`.
 * Pure: a decision in, a line out (not escaped: the caller writes it through its terminal guard).
 */
import type { StopDecision, StopPosition, StopReason } from '../analyse/early-stop.js';
import { formatLiteral } from './format.js';

export function stopMessage(decision: StopDecision): string {
  const { rule, reason } = decision;
  const at = positionText(decision.at);
  if (reason.kind === 'expression') {
    const values = reason.used.map(({ name, value }) => `${name} = ${formatLiteral(value)}`).join(', ');
    return `${rule}: true at ${at}${values ? ` (${values})` : ''}`;
  }
  return `${rule}: ${reason.monitor} = ${formatLiteral(reason.current)} at ${at}, ${plateauReason(reason)}`;
}

/** `step 3`, `epoch 4`, `record 2`. */
function positionText(at: StopPosition): string {
  return 'key' in at ? `${at.key} ${String(at.step)}` : `record ${at.record}`;
}

function plateauReason(reason: Extract<StopReason, { kind: 'plateau' }>): string {
  const records = `${reason.records} record${reason.records === 1 ? '' : 's'}`;
  const margin = reason.minDelta ? ` by more than ${reason.minDelta}` : '';
  if (!reason.best) return `no usable value in ${records}`;
  const best = `${formatLiteral(reason.best.value)} (${positionText(reason.best.at)})`;
  if (reason.baselineMissed !== undefined) return `baseline ${reason.baselineMissed} not beaten${margin} in ${records}; best ${best}`;
  return `no improvement${margin} on ${best} for ${records}`;
}
