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
});
