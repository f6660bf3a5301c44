import { describe, expect, it } from 'vitest';
import { createStopper, evaluateStopRules, plateauRule, resolveMode, type PlateauOptions, type StopDecision, type StopRules } from '../../src/analyse/early-stop.js';
import { stopMessage } from '../../src/render/stop.js';
import { UsageError } from '../../src/core/errors.js';
import { compileExpression } from '../../src/analyse/expr.js';
import type { JsonObject } from '../../src/core/types.js';

/** A decision as the user reads it: its rule, step and value, and render/stop.ts's line. */
function worded(result: { index: number; decision: StopDecision } | null): { index: number; decision: { rule: string; message: string; step?: number; value?: unknown } } | null {
  if (!result) return null;
  const { rule, step, value } = result.decision;
  return { index: result.index, decision: { rule, message: stopMessage(result.decision), ...(step !== undefined ? { step } : {}), value } };
}

/** One record per value, `{"step": i, "loss": v}`; `undefined` leaves the key out of that record. */
function lossRecords(values: Array<number | undefined>, key = 'loss'): JsonObject[] {
  return values.map((value, step) => (value === undefined ? { step } : { step, [key]: value }));
}

/** The step at which the plateau rule stops, or null. */
function stopsAt(options: Omit<PlateauOptions, 'monitor'> & { monitor?: string }, values: Array<number | undefined>): number | null {
  const monitor = options.monitor ?? 'loss';
  const result = evaluateStopRules({ expressions: [], plateau: { ...options, monitor } }, lossRecords(values, monitor));
  return result ? (result.decision.step ?? null) : null;
}

// Each table below was worked by hand through Keras's on_epoch_end:
//   wait += 1; if improves(current, best): best = current; if no baseline or improves(current, baseline): wait = 0; return
//   if wait >= patience and epoch > 0: stop
describe('plateau rule (Keras EarlyStopping)', () => {
  it('patience 0 stops at the first epoch that does not improve', () => {
    // e0 1.0 best, e1 0.9 best, e2 0.8 best, e3 0.85 wait=1 → stop
    expect(stopsAt({ patience: 0 }, [1.0, 0.9, 0.8, 0.85, 0.7])).toBe(3);
    expect(stopsAt({}, [1.0, 0.9, 0.8, 0.85, 0.7])).toBe(3);
    expect(stopsAt({ patience: 0 }, [1.0, 0.9, 0.8, 0.7])).toBeNull();
  });

  it('patience 0 never stops at epoch 0', () => {
    // e0 NaN: wait=1 but epoch 0; e1 NaN: wait=2 → stop
    expect(stopsAt({ patience: 0 }, [NaN])).toBeNull();
    expect(stopsAt({ patience: 0 }, [NaN, NaN])).toBe(1);
  });

  it('patience 2', () => {
    // e0 1.0 w0, e1 0.9 w0, e2 0.95 w1, e3 0.92 w2 → stop
    expect(stopsAt({ patience: 2 }, [1.0, 0.9, 0.95, 0.92, 0.91, 0.85])).toBe(3);
    // e0 w0, e1 1.1 w1, e2 0.9 w0, e3 w1, e4 w2 → stop
    expect(stopsAt({ patience: 2 }, [1.0, 1.1, 0.9, 1.0, 1.0, 1.0])).toBe(4);
  });

  it('patience 3', () => {
    // e1 w1, e2 w2, e3 0.4 w0, e4 w1, e5 w2, e6 w3 → stop
    expect(stopsAt({ patience: 3 }, [0.5, 0.6, 0.7, 0.4, 0.5, 0.5, 0.5])).toBe(6);
    expect(stopsAt({ patience: 3 }, [0.5, 0.6, 0.7, 0.4, 0.5, 0.5])).toBeNull();
  });

  it('min_delta in min mode: an improvement must beat best by more than |min_delta|', () => {
    const values = [1.0, 0.95, 0.8, 0.75, 0.6, 0.55, 0.58];
    // δ=0.1: e1 1.05<1.0? no w1; e2 0.9<1.0 best 0.8 w0; e3 0.85<0.8? no w1; e4 0.7<0.8 best 0.6 w0; e5 w1; e6 w2 → stop
    expect(stopsAt({ patience: 2, minDelta: 0.1 }, values)).toBe(6);
    // The sign is ignored, as Keras stores abs(min_delta).
    expect(stopsAt({ patience: 2, minDelta: -0.1 }, values)).toBe(6);
    // Without δ every step but the last improves.
    expect(stopsAt({ patience: 2 }, values)).toBeNull();
  });

  it('min_delta in max mode', () => {
    const values = [0.5, 0.505, 0.52, 0.525, 0.529];
    // δ=0.01: e1 0.495>0.5? no w1; e2 0.51>0.5 best 0.52 w0; e3 0.515>0.52? no w1; e4 0.519>0.52? no w2 → stop
    expect(stopsAt({ monitor: 'val_accuracy', patience: 2, minDelta: 0.01 }, values)).toBe(4);
    expect(stopsAt({ monitor: 'score', mode: 'max', patience: 2, minDelta: 0.01 }, values)).toBe(4);
    expect(stopsAt({ monitor: 'val_accuracy', patience: 2 }, values)).toBeNull();
  });

  it('a baseline that is never beaten stops after patience epochs', () => {
    // baseline 0.5: e0 0.9 best, w1 (not past baseline); e1 0.95 w2 → stop
    expect(stopsAt({ patience: 2, baseline: 0.5 }, [0.9, 0.95, 0.97])).toBe(1);
    // e0 best w1; e1 0.8 best w2, returns before the check; e2 0.85 w3 → stop
    expect(stopsAt({ patience: 2, baseline: 0.5 }, [0.9, 0.8, 0.85])).toBe(2);
    // Keras quirk kept: an improving epoch returns before the patience check even when wait is past patience.
    expect(stopsAt({ patience: 2, baseline: 0.5 }, [0.9, 0.8, 0.7, 0.6])).toBeNull();
  });

  it('a baseline beaten resets patience, and a plateau after it stops', () => {
    // e0 0.6 best w1; e1 0.45 beats baseline w0; e2 w1; e3 w2 → stop
    expect(stopsAt({ patience: 2, baseline: 0.5 }, [0.6, 0.45, 0.46, 0.47, 0.44])).toBe(3);
    // max mode: baseline 0.8; e0 0.7 w1; e1 0.85 w0; e2 w1 → stop (patience 1)
    expect(stopsAt({ monitor: 'acc', patience: 1, baseline: 0.8 }, [0.7, 0.85, 0.84])).toBe(2);
  });

  it('start_from skips the warm-up epochs', () => {
    // e0, e1 skipped; e2 0.4 best; e3 0.45 w1 → stop
    expect(stopsAt({ patience: 0, startFrom: 2 }, [0.1, 0.5, 0.4, 0.45])).toBe(3);
    expect(stopsAt({ patience: 0 }, [0.1, 0.5, 0.4, 0.45])).toBe(1);
    expect(stopsAt({ patience: 1, startFrom: 5 }, [0.1, 0.5, 0.4, 0.45])).toBeNull();
  });

  it('never counts NaN as an improvement', () => {
    // patience 1: e0 best 1.0; e1 NaN w1 → stop
    expect(stopsAt({ patience: 1 }, [1.0, NaN, 0.9])).toBe(1);
    // patience 2: e1 NaN w1; e2 0.9 w0; e3 NaN w1; e4 NaN w2 → stop
    expect(stopsAt({ patience: 2 }, [1.0, NaN, 0.9, NaN, NaN])).toBe(4);
    expect(stopsAt({ monitor: 'accuracy', patience: 1 }, [0.5, NaN])).toBe(1);
  });

  it('counts only records that hold a number under the monitored key as epochs', () => {
    // Epochs are steps 0, 2, 4. patience 1: step 2 (epoch 1) wait 1 → stop.
    const records: JsonObject[] = [{ step: 0, loss: 1 }, { step: 1, acc: 0.5 }, { step: 2, loss: 1.1 }, { step: 3 }, { step: 4, loss: 1.2 }];
    expect(evaluateStopRules({ expressions: [], plateau: { monitor: 'loss', patience: 1 } }, records)).toMatchObject({ index: 2, decision: { step: 2 } });
    expect(evaluateStopRules({ expressions: [], plateau: { monitor: 'loss', patience: 2 } }, records)).toMatchObject({ index: 4, decision: { step: 4 } });
    // Strings, booleans and null are not numbers: not epochs.
    const odd: JsonObject[] = [{ loss: 1 }, { loss: 'high' }, { loss: null }, { loss: true }, { loss: 2 }];
    expect(evaluateStopRules({ expressions: [], plateau: { monitor: 'loss', patience: 0 } }, odd)).toMatchObject({ index: 4 });
    expect(stopsAt({ patience: 0 }, [1.0, undefined, undefined, 1.5])).toBe(3);
  });

  it('follows dotted and metadata.-prefixed monitor names', () => {
    const records: JsonObject[] = [{ val: { loss: 1 } }, { val: { loss: 2 } }];
    expect(evaluateStopRules({ expressions: [], plateau: { monitor: 'metadata.val.loss' } }, records)).toMatchObject({ index: 1, decision: { step: 1 } });
  });

  it('explains the decision on one line', () => {
    const plateau: PlateauOptions = { monitor: 'val_loss', patience: 2 };
    const result = worded(evaluateStopRules({ expressions: [], plateau }, lossRecords([0.5, 0.41, 0.45, 0.43], 'val_loss')));
    expect(result).toEqual({
      index: 3,
      decision: {
        rule: '--monitor val_loss --patience 2',
        message: '--monitor val_loss --patience 2: val_loss = 0.43 at step 3, no improvement on 0.41 (step 1) for 2 records',
        step: 3,
        value: 0.43,
      },
    });
    const withBaseline = worded(evaluateStopRules({ expressions: [], plateau: { monitor: 'loss', patience: 1, baseline: 0.3, minDelta: 0.01 } }, lossRecords([0.5, 0.6])));
    expect(withBaseline?.decision.message).toBe('--monitor loss --patience 1 --min-delta 0.01 --baseline-value 0.3: loss = 0.6 at step 1, baseline 0.3 not beaten by more than 0.01 in 2 records; best 0.5 (step 0)');
    const noValue = worded(evaluateStopRules({ expressions: [], plateau: { monitor: 'loss' } }, [{ epoch: 0, loss: NaN }, { epoch: 1, loss: NaN }]));
    expect(noValue?.decision.message).toBe('--monitor loss --patience 0: loss = NaN at epoch 1, no usable value in 2 records');
  });

  it('writes the rule as flags', () => {
    expect(plateauRule({ monitor: 'val_loss', patience: 3 })).toBe('--monitor val_loss --patience 3');
    expect(plateauRule({ monitor: 'val loss', mode: 'max', startFrom: 2, minDelta: 0.5 })).toBe("--monitor 'val loss' --patience 0 --min-delta 0.5 --mode max --start-from 2");
  });

  it.each([
    [{ monitor: '' }, '--monitor needs a key name'],
    [{ monitor: 'loss', patience: -1 }, '--patience must be a whole number ≥ 0, not -1'],
    [{ monitor: 'loss', patience: 1.5 }, '--patience must be a whole number ≥ 0, not 1.5'],
    [{ monitor: 'loss', startFrom: -2 }, '--start-from must be a whole number ≥ 0, not -2'],
    [{ monitor: 'loss', minDelta: NaN }, '--min-delta must be a finite number, not NaN'],
    [{ monitor: 'loss', baseline: Infinity }, '--baseline-value must be a finite number, not Infinity'],
    [{ monitor: 'loss', mode: 'up' as 'min' }, '--mode must be min, max or auto, not up'],
  ])('refuses bad options %j', (plateau, message) => {
    expect(() => createStopper({ expressions: [], plateau })).toThrow(UsageError);
    expect(() => createStopper({ expressions: [], plateau })).toThrow(message);
  });
});

describe('auto mode', () => {
  it.each([
    ['val_loss', 'min'], ['loss', 'min'], ['mae', 'min'], ['val_mse', 'min'], ['error_rate', 'min'],
    ['accuracy', 'max'], ['val_accuracy', 'max'], ['acc', 'max'], ['val_acc', 'max'], ['VAL_ACC', 'max'],
    ['auc', 'max'], ['val_auc', 'max'], ['f1', 'max'], ['val_f1', 'max'], ['precision', 'max'], ['val_recall', 'max'],
    ['top_k_categorical_accuracy', 'max'], ['metadata.val.accuracy', 'max'], ['Recall', 'max'],
    // The vocabulary's reading of names: throughputs and scores are maximised, and a name with no
    // direction (a learning rate, an unknown name, a runtime) is minimised, as Keras does.
    ['eval_samples_per_second', 'max'], ['val_score', 'max'], ['eval/bleu', 'max'], ['valAccuracy', 'max'],
    ['learning_rate', 'min'], ['lr', 'min'], ['my_metric', 'min'], ['eval_runtime', 'min'], ['val_accuracy_loss', 'min'],
  ])('%s → %s', (monitor, mode) => {
    expect(resolveMode(monitor)).toBe(mode);
  });

  it('says why as data: where, the best value and where it was, a baseline not beaten', () => {
    const result = evaluateStopRules({ expressions: [], plateau: { monitor: 'loss', patience: 1, baseline: 0.3, minDelta: 0.01 } }, lossRecords([0.5, 0.6]));
    expect(result?.decision).toEqual({
      rule: '--monitor loss --patience 1 --min-delta 0.01 --baseline-value 0.3',
      step: 1,
      value: 0.6,
      at: { key: 'step', step: 1 },
      reason: { kind: 'plateau', monitor: 'loss', current: 0.6, records: 2, minDelta: 0.01, best: { value: 0.5, at: { key: 'step', step: 0 } }, baselineMissed: 0.3 },
    });
    expect(evaluateStopRules({ expressions: [compileExpression('x > 0')] }, [{ y: 1 }, { x: 1 }])?.decision).toMatchObject({ at: { record: 2 }, reason: { kind: 'expression', used: [{ name: 'x', value: 1 }] } });
  });

  it('is overridden by an explicit mode', () => {
    expect(resolveMode('accuracy', 'min')).toBe('min');
    expect(resolveMode('loss', 'max')).toBe('max');
  });
});

describe('expression rules', () => {
  const rules = (...texts: string[]): StopRules => ({ expressions: texts.map(compileExpression) });

  it('fire on the first record where the condition holds over the latest values', () => {
    const records: JsonObject[] = [{ step: 0, loss: 1 }, { step: 1, acc: 0.5 }, { step: 2, loss: 6 }, { step: 3, loss: 7 }];
    expect(worded(evaluateStopRules(rules('loss > 5'), records))).toEqual({
      index: 2,
      decision: { rule: "--stop-when 'loss > 5'", message: "--stop-when 'loss > 5': true at step 2 (loss = 6)", step: 2, value: 6 },
    });
  });

  it('keep the latest value of every key, merging nested objects', () => {
    const records: JsonObject[] = [{ step: 10, val: { loss: 2 } }, { step: 20, train: { loss: 1 } }, { step: 30, val: { acc: 0.4 } }];
    const result = worded(evaluateStopRules(rules('val.loss > 1 and val.acc < 0.5'), records));
    expect(result).toMatchObject({ index: 2, decision: { step: 30, message: "--stop-when 'val.loss > 1 and val.acc < 0.5': true at step 30 (val.loss = 2, val.acc = 0.4)" } });
    // The caller's records are not changed by the merge.
    expect(records[0]).toEqual({ step: 10, val: { loss: 2 } });
  });

  it('do not fire while a name is missing', () => {
    expect(evaluateStopRules(rules('val_loss > 5'), [{ loss: 9 }, { loss: 10 }])).toBeNull();
  });

  it('see running aggregates of the keys they aggregate', () => {
    // min(loss) is 0.8 by step 3, and 1.3 > 1.5 × 0.8 = 1.2.
    const result = worded(evaluateStopRules(rules('loss > 1.5 * min(loss)'), lossRecords([1.0, 0.8, 0.9, 1.3, 2.0])));
    expect(result).toMatchObject({ index: 3, decision: { message: "--stop-when 'loss > 1.5 * min(loss)': true at step 3 (loss = 1.3, min(loss) = 0.8)" } });
    // count includes the NaN record; mean and max skip it: at index 3, count 3, mean 0.9, max 1.
    const counted = evaluateStopRules(rules('count(loss) >= 3 and mean(loss) == 0.9 and first(loss) == 1 and max(loss) == 1'), lossRecords([1.0, undefined, 0.8, NaN, 0.7]));
    expect(counted).toMatchObject({ index: 3 });
  });

  it('are checked in order, before the plateau rule', () => {
    const records = lossRecords([1.0, 2.0]);
    const both = evaluateStopRules({ expressions: [compileExpression('loss > 10'), compileExpression('loss >= 2')], plateau: { monitor: 'loss' } }, records);
    expect(both?.decision.rule).toBe("--stop-when 'loss >= 2'");
    expect(evaluateStopRules({ expressions: [compileExpression('loss > 10')], plateau: { monitor: 'loss' } }, records)?.decision.rule).toBe('--monitor loss --patience 0');
  });

  it('report the step, else the epoch, else the record number', () => {
    expect(worded(evaluateStopRules(rules('x'), [{ x: 0 }, { epoch: 4, x: 1 }]))?.decision).toMatchObject({ step: 4, message: "--stop-when 'x': true at epoch 4 (x = 1)" });
    expect(worded(evaluateStopRules(rules('x'), [{ x: 0 }, { x: 1 }]))?.decision).toMatchObject({ step: 1, message: "--stop-when 'x': true at record 2 (x = 1)" });
  });

  it('quote the rule for a shell', () => {
    const result = worded(evaluateStopRules(rules("status == 'diverged'"), [{ status: 'diverged' }]));
    expect(result?.decision.rule).toBe("--stop-when 'status == '\\''diverged'\\'''");
    expect(result?.decision.message).toContain('(status = "diverged")');
  });

  it('keep answering after a decision, so a caller can go on watching', () => {
    const stopper = createStopper(rules('loss > 5'));
    expect(stopper.observe({ loss: 1 })).toBeNull();
    expect(stopper.observe({ loss: 6 })).toMatchObject({ value: 6 });
    expect(stopper.observe({ loss: 7 })).toMatchObject({ value: 7 });
    expect(stopper.observe({ loss: 2 })).toBeNull();
  });

  it('return null when no rule fires', () => {
    expect(evaluateStopRules({ expressions: [] }, lossRecords([1, 2, 3]))).toBeNull();
  });
});
