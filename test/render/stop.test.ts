import { describe, expect, it } from 'vitest';
import type { StopDecision } from '../../src/analyse/early-stop.js';
import { formatLiteral } from '../../src/render/format.js';
import { stopMessage } from '../../src/render/stop.js';

describe('stop messages', () => {
  it('word an expression decision with the values it read, exactly', () => {
    const decision: StopDecision = { rule: "--stop-when 'loss > 5'", step: 2, value: 6.000000001, at: { key: 'step', step: 2 }, reason: { kind: 'expression', used: [{ name: 'loss', value: 6.000000001 }, { name: 'min(acc)', value: undefined }] } };
    expect(stopMessage(decision)).toBe("--stop-when 'loss > 5': true at step 2 (loss = 6.000000001, min(acc) = missing)");
    expect(stopMessage({ ...decision, at: { record: 3 }, reason: { kind: 'expression', used: [] } })).toBe("--stop-when 'loss > 5': true at record 3");
  });

  it('word a plateau decision: no improvement, a baseline not beaten, or no usable value', () => {
    const plateau = { kind: 'plateau', monitor: 'val_loss', current: 0.43, records: 2, minDelta: 0 } as const;
    const base = { rule: '--monitor val_loss --patience 2', at: { key: 'epoch', step: 3 } };
    expect(stopMessage({ ...base, reason: { ...plateau, best: { value: 0.41, at: { key: 'epoch', step: 1 } } } }))
      .toBe('--monitor val_loss --patience 2: val_loss = 0.43 at epoch 3, no improvement on 0.41 (epoch 1) for 2 records');
    expect(stopMessage({ ...base, reason: { ...plateau, records: 1, minDelta: 0.01, best: { value: 0.41, at: { record: 1 } }, baselineMissed: 0.3 } }))
      .toBe('--monitor val_loss --patience 2: val_loss = 0.43 at epoch 3, baseline 0.3 not beaten by more than 0.01 in 1 record; best 0.41 (record 1)');
    expect(stopMessage({ ...base, reason: { ...plateau, current: Number.NaN } })).toBe('--monitor val_loss --patience 2: val_loss = NaN at epoch 3, no usable value in 2 records');
  });

  it('quote values as a condition reads them', () => {
    expect([0.1 + 0.2, 'diverged', null, [1, 2], undefined, Number.NaN].map(formatLiteral)).toEqual(['0.30000000000000004', '"diverged"', 'null', '[1,2]', 'missing', 'NaN']);
  });
});
