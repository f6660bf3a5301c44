import { describe, expect, it } from 'vitest';
import { compareExecutions, defaultCompareKeys, keyFacts, roleAcross, verdict } from '../../src/analyse/compare.js';
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

  it('gives no verdict to step keys and to metrics with no direction; deltas still', () => {
    const hf = [
      run('main', [{ seed: 42 }, { step: 500, learning_rate: 5e-5, eval_samples_per_second: 190 }, { step: 1000, learning_rate: 2e-5, eval_samples_per_second: 200 }]),
      run('pr', [{ seed: 45 }, { step: 1000, learning_rate: 4e-5, eval_samples_per_second: 150 }, { step: 2000, learning_rate: 1e-5, eval_samples_per_second: 160 }]),
    ];
    const rows = compareExecutions(hf, ['step', 'learning_rate', 'eval_samples_per_second', 'seed'], {});
    expect(rows.map((row) => [row.key, row.role, row.direction])).toEqual([
      ['step', 'step', 'neutral'], ['learning_rate', 'metric', 'neutral'], ['eval_samples_per_second', 'metric', 'max'], ['seed', 'setting', 'neutral'],
    ]);
    expect(rows[0]?.deltas).toEqual([0, 1000]);
    expect(verdict(rows[0]?.deltas[1], rows[0]?.direction ?? 'max')).toBeUndefined();
    expect(verdict(rows[1]?.deltas[1], rows[1]?.direction ?? 'max')).toBeUndefined();
    expect(verdict(rows[2]?.deltas[1], rows[2]?.direction ?? 'min')).toBe('worse');
    // A setting: side by side, no arithmetic, the differing value marked.
    expect(rows[3]).toMatchObject({ values: [42, 45], deltas: [undefined, undefined], differs: [false, true] });
  });

  it('marks only settings that differ from the baseline, text and absent values included', () => {
    const three = [
      run('a', [{ optimizer: 'sgd', seed: 1, momentum: 0.9 }]),
      run('b', [{ optimizer: 'adam', seed: 1 }]),
      run('c', [{ optimizer: 'sgd', seed: 2, momentum: 0.9 }]),
    ];
    const rows = compareExecutions(three, ['optimizer', 'seed', 'momentum'], {});
    expect(rows.map((row) => row.role)).toEqual(['setting', 'setting', 'setting']);
    expect(rows.map((row) => row.differs)).toEqual([[false, true, false], [false, false, true], [false, false, false]]);
  });

  it('reads a key as a metric when it changes in any execution, a setting when it is constant in all', () => {
    const lr = [run('constant', [{ lr: 0.1 }, { lr: 0.1 }]), run('decaying', [{ lr: 0.1 }, { lr: 0.01 }])];
    expect(roleAcross('lr', lr.slice(0, 1))).toBe('setting');
    expect(roleAcross('lr', lr)).toBe('metric');
    // A loss printed once is still a loss; a direction given makes a constant a metric too.
    expect(roleAcross('loss', [run('once', [{ loss: 0.3 }])])).toBe('metric');
    expect(roleAcross('lr', lr.slice(0, 1), { lower: ['lr'] })).toBe('metric');
    expect(roleAcross('epoch', [run('e', [{ epoch: 3 }])])).toBe('step');
  });

  it('treats numeric strings as numbers, as gate reads them', () => {
    const text = [run('a', [{ loss: '0.5' }, { loss: '0.3' }]), run('b', [{ loss: '0.4' }, { loss: 0.35 }])];
    expect(keyFacts(text[0]!.keys.get('loss')!)).toEqual({ numeric: true, constant: false });
    const [loss] = compareExecutions(text, ['loss'], {});
    expect(loss).toMatchObject({ role: 'metric', direction: 'min', values: [0.3, 0.35] });
    expect(loss?.deltas[1]).toBeCloseTo(0.05);
  });

  it('lists step keys, then metrics, then settings by default; charts only metrics logged more than once', () => {
    const summaries = [run('r', [{ lr0: 0.1, optimizer: 'adam', matrix: [[1, 0], [0, 1]] }, { step: 1, loss: 1, lr: 0.1 }, { step: 2, loss: 0.5, lr: 0.1, final_accuracy: 0.9 }])];
    expect(defaultCompareKeys(summaries)).toEqual({ keys: ['step', 'loss', 'final_accuracy', 'lr0', 'optimizer', 'lr'], metrics: ['loss'] });
  });
});
