import { describe, expect, it } from 'vitest';
import { compareExecutions, defaultCompareKeys, verdict } from '../../src/analyse/compare.js';
import { execution as run } from '../helpers/executions.js';

describe('compare', () => {
  const runs = [run('base', [{ accuracy: 0.9, loss: 0.3 }]), run('pr', [{ accuracy: 0.92, loss: 0.35 }]), run('other', [{ loss: 0.3 }])];

  it('computes deltas against the first execution and judges them by direction', () => {
    const rows = compareExecutions(runs, ['accuracy', 'loss'], {});
    expect(rows[0]?.deltas[1]).toBeCloseTo(0.02);
    expect(rows[0]?.deltas[2]).toBeUndefined();
    expect(rows[1]?.deltas[2]).toBe(0);
    expect(verdict(rows[0]?.deltas[1], 'max')).toBe('better');
    expect(verdict(rows[1]?.deltas[1], 'min')).toBe('worse');
    expect(verdict(0, 'min')).toBeUndefined();
    const flipped = compareExecutions(runs, ['loss'], { higher: ['loss'] });
    expect(flipped[0]?.direction).toBe('max');
  });

  it('lists step keys, then metrics, then one-off settings by default', () => {
    const summaries = [run('r', [{ lr0: 0.1 }, { step: 1, loss: 1 }, { step: 2, loss: 0.5 }])];
    expect(defaultCompareKeys(summaries)).toEqual({ keys: ['step', 'loss', 'lr0'], metrics: ['loss'] });
  });
});
