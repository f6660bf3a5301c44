/**
 * When an input holds no records: what its lines looked like and what would read them.
 */
import { describe, expect, it } from 'vitest';
import { diagnoseNoRecords } from '../../../src/parsers/dialects/diagnose.js';
import type { Dialect } from '../../../src/parsers/dialects/dialects.js';

const only = (...dialects: Dialect[]): Set<Dialect> => new Set<Dialect>(['json', ...dialects]);

describe('diagnoseNoRecords', () => {
  it('names the dialect a narrowed --dialect left out, and the option that reads it', () => {
    expect(diagnoseNoRecords(["{'loss': 0.69, 'epoch': 0.5}"], { dialects: only() })).toMatch(/Python dict repr .* --dialect json leaves out: --dialect json,python reads them$/);
    expect(diagnoseNoRecords(['8/8 - 0s - 42ms/step - accuracy: 0.5703 - loss: 0.6890'], { dialects: only('python') })).toMatch(/Keras model\.fit progress .* --dialect json,python,keras reads them$/);
    expect(diagnoseNoRecords(['[rank0]: {"loss": 0.5}'], { dialects: only() })).toMatch(/--dialect json,prefix reads them$/);
    expect(diagnoseNoRecords(['Epoch 0: 100%|█████| 50/50 [00:01<00:00, train_loss=0.52]{"epoch": 0}'], { dialects: only() })).toMatch(/--dialect json,bar reads them$/);
  });

  it('points at --loose for JSON after unknown text', () => {
    expect(diagnoseNoRecords(['step done: {"loss": 0.5}'], {})).toBe('lines such as "step done: {"loss": 0.5}" hold JSON after other text: --loose reads the first object on each line');
    expect(diagnoseNoRecords(['step done: {"loss": 0.5}'], { loose: true })).toBeUndefined();
  });

  it('says what a Python dict holds that is not a literal', () => {
    expect(diagnoseNoRecords(["{'loss': tensor(0.5)}"], {})).toMatch(/a Python dict holding a call \(tensor\(\.\.\.\)\); print plain numbers/);
  });

  it('says nothing for lines that look like no metadata, and quotes a long line short, escapes removed', () => {
    expect(diagnoseNoRecords(['hello', 'Namespace(lr=0.1)', '{name}'], {})).toBeUndefined();
    const hint = diagnoseNoRecords([`\x1b[32mnote:\x1b[0m {"a": "${'x'.repeat(200)}"}`], {});
    expect(hint).toMatch(/^lines such as "note: \{"a": "x+…" hold JSON/);
    expect(hint).not.toContain('\x1b');
  });
});
