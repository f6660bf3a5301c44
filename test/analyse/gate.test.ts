import { describe, expect, it } from 'vitest';
import { compileExpression } from '../../src/analyse/expr.js';
import { evaluateGate, maxDropDirection, parseMaxDrops } from '../../src/analyse/gate.js';
import { UsageError } from '../../src/core/errors.js';
import { execution as run } from '../helpers/executions.js';

describe('gate decision', () => {
  const good = run('good.log', [{ accuracy: 0.8 }, { accuracy: 0.95, loss: 0.2 }]);
  const bad = run('bad.log', [{ accuracy: 0.7 }]);

  it('passes when every execution meets every condition, and keeps the values read as data', () => {
    const report = evaluateGate([good, bad], { conditions: [compileExpression('accuracy >= 0.9')], missing: 'fail', maxDrops: [] });
    expect(report.passed).toBe(false);
    expect(report.executions.map((e) => e.checks[0]?.status)).toEqual(['pass', 'fail']);
    expect(report.executions[0]?.checks[0]?.used).toEqual([{ key: 'accuracy', aggregate: 'latest', value: 0.95, line: 2 }]);
    expect(report.executions[1]?.checks[0]?.finding).toEqual({ kind: 'condition', needs: '>= 0.9' });
  });

  it('applies the missing policy to keys an execution lacks', () => {
    const conditions = [compileExpression('loss < 1')];
    for (const missing of ['fail', 'pass', 'error'] as const) {
      const check = evaluateGate([bad], { conditions, missing, maxDrops: [] }).executions[0]?.checks[0];
      expect(check?.status).toBe(missing);
      expect(check?.finding).toEqual({ kind: 'missing', keys: ['loss'], noRecords: false, policy: missing });
    }
    expect(evaluateGate([bad], { conditions, missing: 'error', maxDrops: [] }).errored).toBe(true);
  });

  it('measures a drop against the baseline by the key\'s direction', () => {
    const maxDrops = parseMaxDrops(['accuracy=10%']);
    expect(maxDrops).toEqual([{ key: 'accuracy', amount: 0.1, relative: true, text: '10%' }]);
    const report = evaluateGate([bad, good], { conditions: [], missing: 'fail', maxDrops, baseline: good });
    const [dropped, same] = report.executions.map((e) => e.checks[0]);
    expect(dropped?.status).toBe('fail');
    expect(dropped?.finding).toMatchObject({ kind: 'drop', direction: 'max', baseline: 0.95 });
    expect((dropped?.finding as { worse: number }).worse).toBeCloseTo(0.25);
    expect(same?.status).toBe('pass');
  });

  it('refuses a drop of a key with no direction, until one is given', () => {
    const lrRuns = [run('base.log', [{ lr: 0.1 }]), run('pr.log', [{ lr: 0.2 }])];
    const maxDrops = parseMaxDrops(['lr=0.05']);
    expect(() => maxDropDirection('lr', {})).toThrow(UsageError);
    expect(() => evaluateGate([lrRuns[1]!], { conditions: [], missing: 'fail', maxDrops, baseline: lrRuns[0]! })).toThrow('--higher-is-better lr or --lower-is-better lr');
    const lower = evaluateGate([lrRuns[1]!], { conditions: [], missing: 'fail', maxDrops, baseline: lrRuns[0]!, directions: { lower: ['lr'] } });
    expect(lower.executions[0]?.checks[0]).toMatchObject({ status: 'fail', finding: { kind: 'drop', direction: 'min' } });
    const higher = evaluateGate([lrRuns[1]!], { conditions: [], missing: 'fail', maxDrops, baseline: lrRuns[0]!, directions: { higher: ['lr'] } });
    expect(higher.executions[0]?.checks[0]).toMatchObject({ status: 'pass', finding: { kind: 'drop', direction: 'max' } });
    expect(maxDropDirection('eval_samples_per_second', {})).toBe('max');
  });

  it('refuses a malformed --max-drop', () => {
    expect(() => parseMaxDrops(['accuracy'])).toThrow('expected KEY=AMOUNT');
    expect(() => parseMaxDrops(['accuracy=-1'])).toThrow('non-negative');
  });
});
