import { describe, expect, it } from 'vitest';
import { compareExecutions, renderComparison } from '../../src/commands/compare.js';
import { summarizeRecords } from '../../src/analyse/summary.js';
import { runCli } from '../helpers/run-cli.js';

const run = (name: string, values: Array<Record<string, number>>) => summarizeRecords(name, values.map((v, i) => ({ values: v, time: '', source: name, line: i + 1 })));

describe('compare', () => {
  const runs = [run('base', [{ accuracy: 0.9, loss: 0.3 }]), run('pr', [{ accuracy: 0.92, loss: 0.35 }]), run('other', [{ loss: 0.3 }])];

  it('computes deltas against the first execution and judges them by direction', () => {
    const rows = compareExecutions(runs, ['accuracy', 'loss'], {});
    expect(rows[0]?.deltas[1]).toBeCloseTo(0.02);
    expect(rows[0]?.deltas[2]).toBeUndefined();
    expect(rows[1]?.deltas[2]).toBe(0);
    const json = JSON.parse(renderComparison(rows, ['base', 'pr', 'other'], ['base', 'pr', 'other'], 'json', { color: false, width: 80 }));
    expect(json.keys[0].values[1].change).toBe('better');
    expect(json.keys[1].values[1].change).toBe('worse');
    const flipped = compareExecutions(runs, ['loss'], { higher: ['loss'] });
    expect(flipped[0]?.direction).toBe('max');
  });

  it('colours better green and worse red only when asked', () => {
    const rows = compareExecutions(runs, ['accuracy', 'loss'], {});
    const coloured = renderComparison(rows, ['base', 'pr', 'other'], ['base', 'pr', 'other'], 'text', { color: true, width: 100 });
    expect(coloured).toContain('\x1b[32m');
    expect(coloured).toContain('\x1b[31m');
    expect(renderComparison(rows, ['base', 'pr', 'other'], ['base', 'pr', 'other'], 'text', { color: false, width: 100 })).not.toContain('\x1b');
  });

  it('needs two executions', async () => {
    const result = await runCli(['compare', 'fixtures/runs/run-1.log']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('at least two executions');
  });

  it('gives identical results with worker threads and in-process', async () => {
    const files = Array.from({ length: 8 }, (_, i) => `fixtures/runs/run-${i + 1}.log`);
    const one = await runCli(['sort', '--by', 'accuracy', '--format', 'json', '--keys', 'all', '--jobs', '1', ...files]);
    const two = await runCli(['sort', '--by', 'accuracy', '--format', 'json', '--keys', 'all', '--jobs', '2', ...files]);
    expect(one.status).toBe(0);
    expect(two.stdout).toBe(one.stdout);
  });
});
