import { describe, expect, it } from 'vitest';
import { confusionOf, rocOf, tableOf } from '../../src/analyse/view.js';
import type { UiOutput } from '../../src/formats/kubeflow-ui.js';

const output = (fields: Partial<UiOutput>): UiOutput => ({ index: 1, type: 'table', ...fields }) as UiOutput;

describe('Kubeflow output data', () => {
  it('reads a table with its header or named columns, and finds the numeric columns', () => {
    expect(tableOf(output({ header: ['name', 'acc'] }), 'a,0.9\nb,0.8\n\n')).toEqual({ names: ['name', 'acc'], rows: [['a', '0.9'], ['b', '0.8']], numeric: [false, true] });
    expect(tableOf(output({}), 'x,y\n1,\n').names).toEqual(['x', 'y']);
  });

  it('analyses a confusion matrix and computes a ROC curve\'s AUC', () => {
    expect(confusionOf(output({ type: 'confusion_matrix', labels: ['a', 'b'] }), 'a,a,3\na,b,1\nb,a,0\nb,b,4\n').report.accuracy).toBe(7 / 8);
    expect(rocOf(output({ type: 'roc', schema: ['fpr', 'tpr', 'thresholds'] }), '0,0,2\n0,1,1\n1,1,0\n').auc).toBe(1);
  });
});
