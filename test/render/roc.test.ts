import { describe, expect, it } from 'vitest';
import { RocCurveBuilder } from '../../src/analyse/roc-input.js';
import { renderRoc, renderRocJson } from '../../src/render/roc.js';

const keys = { fprKey: 'fpr', tprKey: 'tpr', thresholdsKey: 'thresholds' };

describe('roc rendering', () => {
  const builder = new RocCurveBuilder('runs/a.log', keys);
  builder.add({ values: { fpr: [0, 0, 1], tpr: [0, 1, 1], thresholds: [null, 0.5, 0.1] }, time: '', source: 'runs/a.log', line: 3 });
  const results = [builder.finish({ kind: 'log', lines: 3 })];

  it('writes JSON with +Infinity thresholds as null', () => {
    expect(JSON.parse(renderRocJson(results, false))).toEqual([{ name: 'runs/a.log', source: 'runs/a.log', line: 3, form: 'metadata', auc: 1, fpr: [0, 0, 1], tpr: [0, 1, 1], thresholds: [null, 0.5, 0.1] }]);
  });

  it('draws the chart with the chance line and an AUC table', () => {
    const text = renderRoc(results, { format: 'text' }, { color: false, width: 60 });
    expect(text).toContain('chance (AUC 0.5)');
    expect(text).toMatch(/runs\/a\.log\s+1\.0000\s+3/);
    expect(renderRoc(results, { format: 'markdown' }, { color: false, width: 60 })).toContain('| runs/a.log | 1.0000 | 3 |');
  });
});
