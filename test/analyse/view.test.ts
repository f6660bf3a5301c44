import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { confusionOf, outputView, rocOf, tableOf } from '../../src/analyse/view.js';
import type { UiOutput } from '../../src/formats/kubeflow-ui.js';

const output = (fields: Partial<UiOutput>): UiOutput => ({ index: 1, type: 'table', ...fields }) as UiOutput;

describe('Kubeflow output data', () => {
  it('reads a table with its header or named columns, and finds the numeric columns', () => {
    expect(tableOf(output({ header: ['name', 'acc'] }), 'a,0.9\nb,0.8\n\n')).toEqual({ names: ['name', 'acc'], rows: [['a', '0.9'], ['b', '0.8']], numeric: [false, true] });
    expect(tableOf(output({}), 'x,y\n1,\n').names).toEqual(['x', 'y']);
  });

  it('reads a Kubeflow table of a million rows without spreading them into a call (issue 15, item 14)', () => {
    const text = Array.from({ length: 1_000_000 }, (_, i) => `r${i},${i % 7}`).join('\n');
    const table = tableOf(output({ header: ['name', 'n'] }), text);
    expect(table.rows).toHaveLength(1_000_000);
    expect(table.names).toEqual(['name', 'n']);
  });

  it('analyses a confusion matrix and computes a ROC curve\'s AUC', () => {
    expect(confusionOf(output({ type: 'confusion_matrix', labels: ['a', 'b'] }), 'a,a,3\na,b,1\nb,a,0\nb,b,4\n').report.accuracy).toBe(7 / 8);
    expect(rocOf(output({ type: 'roc', schema: ['fpr', 'tpr', 'thresholds'] }), '0,0,2\n0,1,1\n1,1,0\n').auc).toBe(1);
  });

  it('decides what an output shows; bad data is an error naming the file, the output and the line', () => {
    const inline = { kind: 'inline', content: '' } as const;
    expect(outputView(output({ type: 'nope' }), inline, { kind: 'none' }, 'ui.json')).toEqual({ kind: 'unknown' });
    expect(outputView(output({}), { kind: 'remote', url: 'gs://b/t.csv' }, { kind: 'none' }, 'ui.json')).toEqual({ kind: 'remote', url: 'gs://b/t.csv' });
    expect(outputView(output({ type: 'markdown' }), inline, { kind: 'text', text: '# A' }, 'ui.json')).toEqual({ kind: 'markdown', text: '# A' });
    expect(outputView(output({ index: 2, format: 'tsv' }), inline, { kind: 'text', text: 'a' }, 'ui.json')).toEqual({ kind: 'error', message: 'ui.json: output 2 (table): format "tsv" is not supported; Kubeflow reads only csv' });
    expect(outputView(output({}), { kind: 'missing' }, { kind: 'error', error: new InputError('the output has no source') }, 'ui.json')).toEqual({ kind: 'error', message: 'ui.json: output 1 (table): the output has no source' });
    const bad = outputView(output({ type: 'confusion_matrix', labels: ['a', 'b'], source: 'cm.csv' }), { kind: 'local', path: '/x/cm.csv' }, { kind: 'text', text: 'a,a,1\na,b,x\nb,a,0\nb,b,1\n' }, 'ui.json');
    expect(bad).toMatchObject({ kind: 'error', message: expect.stringMatching(/^ui\.json: output 1 \(confusion_matrix\): cm\.csv:2: /) as unknown });
  });
});
