import { describe, expect, it } from 'vitest';
import { StatsBuilder } from '../../src/analyse/stats.js';
import { histogramText, renderStats } from '../../src/render/stats.js';

const record = (values: Record<string, unknown>, line: number) => ({ values: values as never, time: '', source: 's', line });

describe('stats rendering', () => {
  it('draws histogram bars from zero', () => {
    expect(histogramText([0, 1, 8])).toBe(' ▁█');
    expect(histogramText([])).toBe('');
  });

  it('falls back to two-line cards on a narrow terminal, a long latest value cut to 30 columns', () => {
    const builder = new StatsBuilder();
    builder.add(record({ loss: 0.5, note: '猫'.repeat(40) }, 1));
    const text = renderStats(builder.finish(), 'text', { color: false, width: 40 });
    expect(text).toContain('latest ' + '猫'.repeat(14) + '…');
    expect(text).not.toMatch(/│/);
  });
});
