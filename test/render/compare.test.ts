import { describe, expect, it } from 'vitest';
import { compareExecutions } from '../../src/analyse/compare.js';
import { renderComparison } from '../../src/render/compare.js';
import { execution as run } from '../helpers/executions.js';

describe('compare rendering', () => {
  const runs = [run('base', [{ accuracy: 0.9, loss: 0.3 }]), run('pr', [{ accuracy: 0.92, loss: 0.35 }]), run('other', [{ loss: 0.3 }])];

  it('writes each delta\'s change into JSON', () => {
    const rows = compareExecutions(runs, ['accuracy', 'loss'], {});
    const json = JSON.parse(renderComparison(rows, ['base', 'pr', 'other'], ['base', 'pr', 'other'], 'json', { color: false, width: 80 }));
    expect(json.keys[0].values[1].change).toBe('better');
    expect(json.keys[1].values[1].change).toBe('worse');
  });

  it('colours better green and worse red only when asked', () => {
    const rows = compareExecutions(runs, ['accuracy', 'loss'], {});
    const coloured = renderComparison(rows, ['base', 'pr', 'other'], ['base', 'pr', 'other'], 'text', { color: true, width: 100 });
    expect(coloured).toContain('\x1b[32m');
    expect(coloured).toContain('\x1b[31m');
    expect(renderComparison(rows, ['base', 'pr', 'other'], ['base', 'pr', 'other'], 'text', { color: false, width: 100 })).not.toContain('\x1b');
  });

  const hf = [
    run('main.log', [{ seed: 42, model: 'bert|base' }, { step: 500, learning_rate: 5e-5, eval_samples_per_second: 190 }, { step: 1000, learning_rate: 2e-5, eval_samples_per_second: 200 }]),
    run('pr.log', [{ seed: 45, model: 'bert|base' }, { step: 1000, learning_rate: 4e-5, eval_samples_per_second: 150 }, { step: 2000, learning_rate: 1e-5, eval_samples_per_second: 250 }]),
  ];
  const hfRows = compareExecutions(hf, ['step', 'learning_rate', 'eval_samples_per_second', 'seed', 'model'], {});
  const names = ['main.log', 'pr.log'];

  it('judges only metrics with a direction in markdown, and lists settings apart with differences marked', () => {
    expect(renderComparison(hfRows, names, names, 'markdown', { color: false, width: 100 })).toBe([
      '| key | direction | main.log (base) | pr.log |',
      '|---|---|---:|---:|',
      '| step |  | 1000 | 2000 (+1000) |',
      '| learning_rate |  | 2e-5 | 1e-5 (-1e-5) |',
      '| eval_samples_per_second | higher is better | 200 | 250 (+50, better) |',
      '',
      '| setting | main.log (base) | pr.log |',
      '|---|---:|---:|',
      '| seed | 42 | ≠ 45 |',
      '| model | bert\\|base | bert\\|base |',
      '',
    ].join('\n'));
  });

  it('colours only verdicts in text: step keys and neutral metrics stay plain, a differing setting is marked', () => {
    const text = renderComparison(hfRows, names, names, 'text', { color: false, width: 100 });
    expect(text).toContain('≠ 45');
    expect(text.split('\n').find((line) => line.startsWith('step'))).toMatch(/^step\s+1000\s+2000 \(\+1000\)$/);
    const coloured = renderComparison(hfRows, names, names, 'text', { color: true, width: 100 });
    const line = (key: string): string => coloured.split('\n').find((l) => l.startsWith(key)) ?? '';
    expect(line('step')).not.toMatch(/\x1b\[3[12]m/);
    expect(line('learning_rate')).not.toMatch(/\x1b\[3[12]m/);
    expect(line('eval_samples_per_second')).toContain('\x1b[32m');
  });

  it('gives every row its role in JSON and CSV; settings have no delta and say whether they differ', () => {
    const json = JSON.parse(renderComparison(hfRows, names, names, 'json', { color: false, width: 100 }));
    expect(json.keys.map((key: { key: string; role: string; direction: string }) => [key.key, key.role, key.direction])).toEqual([
      ['step', 'step', 'neutral'], ['learning_rate', 'metric', 'neutral'], ['eval_samples_per_second', 'metric', 'max'], ['seed', 'setting', 'neutral'], ['model', 'setting', 'neutral'],
    ]);
    expect(json.keys[0].values[1]).toEqual({ execution: 'pr.log', value: 2000, delta: 1000, change: null });
    expect(json.keys[3].values[1]).toEqual({ execution: 'pr.log', value: 45, delta: null, change: null, differs: true });
    const csv = renderComparison(hfRows, names, names, 'csv', { color: false, width: 100 }).split('\n');
    expect(csv[0]).toBe('key,direction,role,main.log,pr.log,pr.log delta');
    expect(csv[4]).toBe('seed,neutral,setting,42,45,');
  });
});
