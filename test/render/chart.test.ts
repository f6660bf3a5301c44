import fc from 'fast-check';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { formatCompact, formatElapsed, formatX, markerOf, NON_POSITIVE_MARK, renderChart, type ChartOptions, type ChartSeries } from '../../src/render/chart.js';
import { smoothPoints, type Point } from '../../src/analyse/series.js';

const plain: Omit<ChartOptions, 'width'> = { color: false };

/** Deterministic noise, so golden files do not depend on Math.random. */
function noise(i: number): number {
  const s = Math.sin(i * 12.9898) * 43758.5453;
  return s - Math.floor(s) - 0.5;
}

const accuracy: Point[] = Array.from({ length: 200 }, (_, i) => ({ x: (i + 1) * 10, y: 0.93 - 0.8 * Math.exp(-i / 30) + 0.01 * noise(i) }));
const loss: Point[] = Array.from({ length: 300 }, (_, i) => ({ x: i, y: 2 * Math.exp(-i / 60) + 0.1 * noise(i) }));
const valLoss: Point[] = Array.from({ length: 30 }, (_, i) => ({ x: i * 10 + 9, y: 2.1 * Math.exp(-(i * 10) / 70) + 0.2 }));

/** A hyper-parameter sweep: run k decays to its own floor at its own rate; runs 3 and 6 stopped early. */
function sweep(n: number): ChartSeries[] {
  return Array.from({ length: n }, (_, k) => {
    const steps = k === 2 ? 120 : k === 5 ? 200 : 300;
    const floor = 0.1 + 0.09 * ((k * 5) % 8);
    const rate = 25 + 12 * ((k * 3) % 8);
    return { label: `run-${k + 1}`, points: Array.from({ length: steps / 5 + 1 }, (_, i) => ({ x: i * 5, y: floor + 2.2 * Math.exp(-(i * 5) / rate) + 0.02 * noise(i + 97 * k) })) };
  });
}

/** The y labels of a plain chart, top row first. */
function yLabelsOf(chart: string): string[] {
  return chart
    .split('\n')
    .map((l) => /^\s*(\S+) [┤┼]/.exec(l)?.[1])
    .filter((l): l is string => l !== undefined);
}

/** The plot rows (after the y axis) of a plain chart. */
function plotRows(chart: string): string[] {
  return chart
    .split('\n')
    .map((l) => /^\s*\S+ [┤┼](.*)$/.exec(l)?.[1])
    .filter((l): l is string => l !== undefined);
}

describe('renderChart golden files (no colour)', () => {
  it('draws a rising accuracy with step labels', async () => {
    await expect(renderChart([{ label: 'accuracy', points: accuracy }], { ...plain, width: 60, xLabel: 'step' })).toMatchFileSnapshot('golden/chart/accuracy.txt');
  });

  it('leaves a gap and marks the x-axis where the loss was NaN or infinite', async () => {
    const broken = loss.map((p) => (p.x > 200 && p.x < 215 ? { x: p.x, y: NaN } : p.x === 100 ? { x: p.x, y: Infinity } : p));
    await expect(renderChart([{ label: 'loss', points: broken }], { ...plain, width: 70, height: 8, xLabel: 'step' })).toMatchFileSnapshot('golden/chart/loss-nan.txt');
  });

  it('aligns two series by x, not by index, with distinct glyphs without colour', async () => {
    const out = renderChart(
      [
        { label: 'loss', points: loss },
        { label: 'val_loss', points: valLoss },
      ],
      { ...plain, width: 80, height: 12, xLabel: 'step', title: 'run 3' },
    );
    await expect(out).toMatchFileSnapshot('golden/chart/loss-val_loss.txt');
  });

  it('tells eight runs apart without colour: a letter at each line end and along it, shown in the legend', async () => {
    const out = renderChart(sweep(8), { ...plain, width: 80, height: 12, xLabel: 'step', title: 'loss' });
    await expect(out).toMatchFileSnapshot('golden/chart/eight-runs.txt');
  });

  it('draws only the smoothed line without colour, with the raw latest value in the legend', async () => {
    const out = renderChart([{ label: 'loss', points: smoothPoints(loss, 0.9), raw: loss }], { ...plain, width: 60, xLabel: 'step' });
    await expect(out).toMatchFileSnapshot('golden/chart/smoothed.txt');
    expect(out).toContain('(raw ');
  });

  it('labels an elapsed-time axis', async () => {
    const points = Array.from({ length: 50 }, (_, i) => ({ x: i * 13.7, y: Math.sqrt(i) }));
    const out = renderChart([{ label: 'samples/s', points }], { ...plain, width: 60, height: 6, xLabel: 'elapsed', xFormat: formatElapsed });
    await expect(out).toMatchFileSnapshot('golden/chart/elapsed.txt');
  });

  it('tells 0.9247 from 0.9262', async () => {
    const out = renderChart(
      [
        {
          label: 'accuracy',
          points: [
            { x: 190, y: 0.9247000813484192 },
            { x: 200, y: 0.9262000918388367 },
          ],
        },
      ],
      { ...plain, width: 50, xLabel: 'step' },
    );
    await expect(out).toMatchFileSnapshot('golden/chart/close-values.txt');
    const labels = yLabelsOf(out).map(Number);
    expect(labels[0]).toBeCloseTo(0.9262, 4);
    expect(labels[labels.length - 1]).toBeCloseTo(0.9247, 4);
  });

  it('draws a constant and a single point as a flat line on the middle row', async () => {
    const constant = renderChart([{ label: 'lr', points: [1, 2, 3].map((x) => ({ x, y: 0.001 })) }], { ...plain, width: 40, height: 5 });
    await expect(constant).toMatchFileSnapshot('golden/chart/constant.txt');
    const single = renderChart([{ label: 'acc', points: [{ x: 5, y: 0.5 }] }], { ...plain, width: 40, height: 5 });
    await expect(single).toMatchFileSnapshot('golden/chart/single-point.txt');
    expect(yLabelsOf(single)[2]).toBe('0.500');
    expect(plotRows(single)[2]).toMatch(/^─+$/);
  });

  it('gives one readable line for empty, all-NaN or too-narrow input', async () => {
    const messages = [
      renderChart([], { ...plain, width: 60 }),
      renderChart([{ label: 'loss', points: [] }], { ...plain, width: 60, title: 'loss' }),
      renderChart(
        [
          {
            label: 'loss',
            points: [
              { x: 1, y: NaN },
              { x: 2, y: NaN },
              { x: 3, y: Infinity },
            ],
          },
        ],
        { ...plain, width: 60 },
      ),
      renderChart([{ label: 'loss', points: loss }], { ...plain, width: 8 }),
    ];
    await expect(messages.join('\n')).toMatchFileSnapshot('golden/chart/messages.txt');
    for (const m of messages) expect(m).not.toContain('\n');
  });
});

describe('renderChart behaviour', () => {
  it('labels rows precisely enough to tell 0.91 from 0.92', () => {
    const out = renderChart(
      [
        {
          label: 'acc',
          points: [
            { x: 1, y: 0.91 },
            { x: 2, y: 0.92 },
          ],
        },
      ],
      { ...plain, width: 50 },
    );
    const labels = yLabelsOf(out);
    expect(Number(labels[0])).toBeCloseTo(0.92, 6);
    expect(Number(labels[labels.length - 1])).toBeCloseTo(0.91, 6);
    expect(new Set(labels).size).toBe(labels.length);
  });

  it('property: adjacent y labels always differ', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e9, max: 1e9, noNaN: true }), fc.double({ min: 1e-8, max: 1e9, noNaN: true }), fc.integer({ min: 2, max: 30 }), (lo, span, height) => {
        const hi = lo + Math.max(span, Math.abs(lo) * 1e-8);
        fc.pre(hi > lo && Number.isFinite(hi));
        const labels = yLabelsOf(renderChart([{ label: 'v', points: [{ x: 0, y: lo }, { x: 1, y: hi }] }], { ...plain, width: 120, height }));
        expect(labels).toHaveLength(height);
        labels.forEach((l, i) => i > 0 && expect(l).not.toBe(labels[i - 1]));
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps a one-point spike and dip when 10,000 points are squeezed into the width', () => {
    const points = Array.from({ length: 10_000 }, (_, i) => ({ x: i, y: i === 4321 ? 1 : i === 7777 ? -1 : 0 }));
    const rows = plotRows(renderChart([{ label: 'v', points }], { ...plain, width: 60, height: 5 }));
    expect(rows[0]).toMatch(/[╭╮│]/);
    expect(rows[rows.length - 1]).toMatch(/[╰╯│]/);
  });

  it('places a series that starts late in the right part of the chart', () => {
    const early = Array.from({ length: 100 }, (_, x) => ({ x, y: x }));
    const late = Array.from({ length: 50 }, (_, i) => ({ x: 50 + i, y: 100 - i }));
    const rows = plotRows(
      renderChart(
        [
          { label: 'a', points: early },
          { label: 'b', points: late },
        ],
        { ...plain, width: 64, height: 8 },
      ),
    );
    // Without colour the second series is drawn in heavy glyphs.
    const columns = rows.flatMap((r) => Array.from(r).flatMap((ch, c) => (/[━┃┏┓┗┛]/.test(ch) ? [c] : [])));
    expect(columns.length).toBeGreaterThan(0);
    expect(Math.min(...columns)).toBeGreaterThanOrEqual(Math.floor((64 - 6) / 2) - 2);
  });

  it('colours series only when asked', () => {
    const series: ChartSeries[] = [{ label: 'loss', points: smoothPoints(loss, 0.6), raw: loss }];
    expect(renderChart(series, { color: true, width: 60 })).toContain('\x1b[');
    expect(renderChart(series, { color: false, width: 60 })).not.toContain('\x1b');
  });

  it('escapes labels, titles and x names from input', () => {
    const out = renderChart([{ label: 'evil\x1b[2J\u202e', points: loss }], { ...plain, width: 80, title: 'run\r\n1', xLabel: 'st\x07ep' });
    expect(out).not.toMatch(/[\x00-\x09\x0b-\x1f\u202e]/);
    expect(out).toContain('evil\\x1b[2J\\u202e');
    expect(out).toContain('run\\r\\n1');
  });

  it('counts non-finite values in the legend, preferring totals given by the caller', () => {
    const points = [
      { x: 0, y: 1 },
      { x: 1, y: NaN },
      { x: 2, y: NaN },
      { x: 3, y: -Infinity },
      { x: 4, y: 2 },
    ];
    expect(renderChart([{ label: 'loss', points }], { ...plain, width: 60 }).split('\n')[0]).toBe('── loss 2  × 2 NaN, ↓ 1 -Inf');
    expect(renderChart([{ label: 'loss', points, nonFinite: { nan: 40, posInf: 0, negInf: 0 } }], { ...plain, width: 60 }).split('\n')[0]).toBe('── loss 2  × 40 NaN');
  });

  it('leaves the latest values out of the legend with legendValue: false, and keeps everything else', () => {
    const points = [{ x: 0, y: 1 }, { x: 1, y: NaN }, { x: 2, y: 2 }];
    const raw = [{ x: 0, y: 1 }, { x: 1, y: NaN }, { x: 2, y: 3 }];
    expect(renderChart([{ label: 'loss', points, raw }], { ...plain, width: 60 }).split('\n')[0]).toBe('── loss 2 (raw 3)  × 1 NaN');
    const without = renderChart([{ label: 'loss', points, raw }, { label: 'val', points: [{ x: 0, y: 5 }] }], { ...plain, width: 60, legendValue: false });
    expect(without.split('\n')[0]).toBe('── loss  × 1 NaN   ━━ val');
    // Only the legend changes: the plot, axis and labels are the same as with values.
    const withValues = renderChart([{ label: 'loss', points, raw }, { label: 'val', points: [{ x: 0, y: 5 }] }], { ...plain, width: 60 });
    expect(without.split('\n').slice(1)).toEqual(withValues.split('\n').slice(1));
  });

  it('keeps x labels apart, each over its tick, at widths 40 to 80', () => {
    const ranges: [number, number, ((x: number) => string) | undefined][] = [
      [0, 299, undefined],
      [10, 2000, undefined],
      [0, 1e9, undefined],
      [3, 98_765, formatElapsed],
    ];
    for (const [lo, hi, xFormat] of ranges) {
      for (const xLabel of ['step', 'elapsed']) {
        for (let width = 40; width <= 80; width++) {
          const points = Array.from({ length: 50 }, (_, i) => ({ x: lo + ((hi - lo) * i) / 49, y: i }));
          const lines = renderChart([{ label: 'v', points }], { ...plain, width, height: 3, xLabel, ...(xFormat ? { xFormat } : {}) }).split('\n');
          const axis = lines[lines.length - 2] as string;
          const ticks = Array.from(axis).flatMap((ch, i) => (ch === '┬' ? [i] : []));
          const labels = [...(lines[lines.length - 1] as string).matchAll(/\S+/g)].slice(1).map((m) => ({ from: m.index, to: m.index + m[0].length - 1 }));
          const where = `${lo}..${hi} ${xLabel} width ${width}`;
          expect(labels.length, where).toBe(ticks.length);
          labels.forEach((l, i) => {
            expect(ticks.filter((t) => t >= l.from && t <= l.to), where).toHaveLength(1);
            const next = labels[i + 1];
            if (next) expect(next.from - l.to - 1, where).toBeGreaterThanOrEqual(2);
          });
        }
      }
    }
  });

  it('labels the middle of a fractional x range (epochs 0 to 1)', () => {
    const points = Array.from({ length: 21 }, (_, i) => ({ x: i / 20, y: i }));
    const xLabels = (renderChart([{ label: 'v', points }], { ...plain, width: 60, height: 3, xLabel: 'epoch' }).split('\n').pop() as string).trim().split(/\s+/);
    expect(xLabels).toEqual(['epoch', '0', '0.5', '1']);
  });

  it('property: random series with NaN and infinities never throw and never exceed the width', () => {
    const y = fc.oneof({ arbitrary: fc.double(), weight: 6 }, { arbitrary: fc.double({ min: -10, max: 10, noNaN: true }), weight: 6 }, { arbitrary: fc.constantFrom(NaN, Infinity, -Infinity, 0, -0), weight: 2 });
    const x = fc.oneof(fc.integer({ min: -1000, max: 100_000 }), fc.double());
    const points = fc.array(fc.record({ x, y }), { maxLength: 60 });
    const series = fc.record({ label: fc.string({ unit: 'binary', maxLength: 20 }), points, raw: fc.option(points, { nil: undefined }) });
    const options = fc.record({
      width: fc.integer({ min: -2, max: 200 }),
      height: fc.option(fc.integer({ min: -1, max: 30 }), { nil: undefined }),
      color: fc.boolean(),
      title: fc.option(fc.string({ unit: 'binary', maxLength: 30 }), { nil: undefined }),
      xLabel: fc.option(fc.string({ maxLength: 12 }), { nil: undefined }),
      legendValue: fc.option(fc.boolean(), { nil: undefined }),
      logY: fc.option(fc.boolean(), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(series, { maxLength: 8 }), options, (s, o) => {
        const out = renderChart(s, o);
        for (const line of out.split('\n')) expect(stringWidth(line)).toBeLessThanOrEqual(Math.max(0, o.width));
        if (!o.color) expect(out).not.toContain('\x1b');
      }),
      { numRuns: 3000 },
    );
  });
});

describe('renderChart without colour tells every series apart', () => {
  /** Each line style's glyphs, by its horizontal: a series without a marker shows one only its style draws. */
  const STYLES: Record<string, string> = { '─': '─╰╭╮╯│', '━': '━┗┏┓┛┃', '═': '═╚╔╗╝║', '┄': '┄╰╭╮╯┆' };

  /** Each series' legend key (`──`, `─a`), by its label. */
  function legendKeys(chart: string, labels: readonly string[]): string[] {
    const legend = chart.split('\n').filter((line) => !/^\s*\S* [┤┼└]|^\s*step/.test(line)).join('   ');
    return labels.map((label) => {
      const found = new RegExp(`(?:^|   )(\\S+) ${label}(?= |$)`).exec(legend);
      if (!found) throw new Error(`no legend entry for ${label} in\n${chart}`);
      return found[1] as string;
    });
  }

  /** Whether the key shows in the plot: its letters as a word of their own, or (no letters) a glyph no other key's style draws. */
  function shows(key: string, keys: readonly string[], plot: string): boolean {
    const letters = key.slice(1);
    if (/^[a-z]+$/.test(letters)) return new RegExp(`(?<![a-z])${letters}(?![a-z])`).test(plot);
    const others = keys.filter((k) => k !== key).map((k) => STYLES[k[0] as string] as string).join('');
    return [...(STYLES[key[0] as string] as string)].some((ch) => !others.includes(ch) && plot.includes(ch));
  }

  it('names markers a … z, then aa, ab, …', () => {
    expect([0, 1, 25, 26, 27, 51, 52, 701, 702].map(markerOf)).toEqual(['a', 'b', 'z', 'aa', 'ab', 'az', 'ba', 'zz', 'aaa']);
  });

  it('property: for 1 to 12 series, each legend key is unique and shows in the plot', () => {
    const y = fc.double({ min: -5, max: 5, noNaN: true });
    const curve = fc.array(fc.record({ x: fc.integer({ min: 0, max: 500 }), y }), { minLength: 1, maxLength: 40 });
    // Some series repeat an earlier one exactly, so lines hide under others.
    const seriesList = fc.integer({ min: 1, max: 12 }).chain((n) => fc.tuple(fc.array(curve, { minLength: n, maxLength: n }), fc.array(fc.nat(), { minLength: n, maxLength: n }), fc.double({ min: 0, max: 1, noNaN: true })));
    fc.assert(
      fc.property(seriesList, fc.integer({ min: 40, max: 160 }), fc.integer({ min: 4, max: 20 }), ([curves, picks, repeat], width, height) => {
        const series: ChartSeries[] = curves.map((points, i) => ({ label: `s${i + 1}`, points: i > 0 && (picks[i] as number) % 100 < repeat * 30 ? (curves[(picks[i] as number) % i] as Point[]) : points }));
        const out = renderChart(series, { ...plain, width, height });
        const keys = legendKeys(out, series.map((s) => s.label));
        expect(new Set(keys).size).toBe(keys.length);
        const plot = plotRows(out).join('\n');
        if (series.length === 1) expect(plot.trim()).not.toBe('');
        else for (const key of keys) expect(shows(key, keys, plot), `${key} in\n${out}`).toBe(true);
        if (series.length > 4) expect(keys.every((key) => /^.[a-z]+$/.test(key))).toBe(true);
      }),
      { numRuns: 1500 },
    );
  });

  it('marks every series when a line is hidden under another, even with two; never with one', () => {
    const twins = renderChart([{ label: 'loss', points: loss }, { label: 'again', points: loss }], { ...plain, width: 60, height: 8 });
    expect(legendKeys(twins, ['loss', 'again'])).toEqual(['─a', '━b']);
    const plot = plotRows(twins).join('\n');
    expect(plot).toMatch(/(?<![a-z])a(?![a-z])/);
    expect(plot).toMatch(/(?<![a-z])b(?![a-z])/);
    expect(plotRows(renderChart([{ label: 'loss', points: loss }], { ...plain, width: 60, height: 8 })).join('')).not.toMatch(/[a-z]/);
  });

  it('keeps the four line styles alone up to four visible series, and colour as it was', () => {
    const four = renderChart(sweep(4), { ...plain, width: 80, height: 12 });
    expect(legendKeys(four, ['run-1', 'run-2', 'run-3', 'run-4'])).toEqual(['──', '━━', '══', '┄┄']);
    expect(plotRows(four).join('')).not.toMatch(/[a-z]/);
    const colour = renderChart(sweep(8), { color: true, width: 80, height: 12 }).replace(/\x1b\[[0-9;]*m/g, '');
    expect(plotRows(colour).join('')).not.toMatch(/[a-z]/);
    expect(legendKeys(colour, ['run-1', 'run-8'])).toEqual(['──', '──']);
  });
});

/** A learning rate: linear warm-up from 1e-7 to 3e-4 over 50 steps, then exponential decay back to 1e-7 at step 499. */
const lr: Point[] = Array.from({ length: 500 }, (_, x) => ({ x, y: x <= 50 ? 1e-7 + ((3e-4 - 1e-7) * x) / 50 : 3e-4 * (1e-7 / 3e-4) ** ((x - 50) / 449) }));

/** The y labels of a plain chart with their rows (from the top), skipping unlabelled rows. */
function labelledRows(chart: string): { row: number; label: string }[] {
  return chart
    .split('\n')
    .filter((l) => /^\s*\S* [┤┼]/.test(l))
    .flatMap((l, row) => {
      const label = /^\s*(\S+) [┤┼]/.exec(l)?.[1];
      return label === undefined ? [] : [{ row, label }];
    });
}

describe('renderChart with logY', () => {
  it('draws a learning-rate warm-up and decay with decade labels', async () => {
    const out = renderChart([{ label: 'lr', points: lr }], { ...plain, width: 60, height: 10, xLabel: 'step', logY: true });
    await expect(out).toMatchFileSnapshot('golden/chart/lr-log.txt');
  });

  it('labels decades, in order, on distinct rows', () => {
    const labels = labelledRows(renderChart([{ label: 'lr', points: lr }], { ...plain, width: 60, height: 10, logY: true }));
    expect(labels.map((l) => l.label)).toEqual(['1e-4', '1e-5', '1e-6', '1e-7']);
    expect(labels[labels.length - 1]?.row).toBe(9);
  });

  it('puts 2 and 5 between decades on a short range, and plain numbers where they are as short', () => {
    const points = Array.from({ length: 50 }, (_, i) => ({ x: i, y: 10 + i * 20 }));
    const labels = labelledRows(renderChart([{ label: 'tokens/s', points }], { ...plain, width: 50, height: 8, logY: true })).map((l) => l.label);
    expect(labels).toEqual(['1000', '500', '200', '100', '50', '20', '10']);
  });

  it('thins decades on a range too long for a label on each', () => {
    const points = Array.from({ length: 50 }, (_, i) => ({ x: i, y: 10 ** (i - 25) }));
    const labels = labelledRows(renderChart([{ label: 'v', points }], { ...plain, width: 50, height: 6, logY: true })).map((l) => l.label);
    expect(labels).toEqual(['1e20', '1e10', '1e0', '1e-10', '1e-20']);
  });

  it('labels every row with its value when the range is too short for two ticks, or constant', () => {
    const close = Array.from({ length: 50 }, (_, i) => ({ x: i, y: 0.91 + i / 2500 }));
    expect(yLabelsOf(renderChart([{ label: 'acc', points: close }], { ...plain, width: 50, height: 6, logY: true }))).toEqual(['0.93', '0.926', '0.922', '0.918', '0.914', '0.91']);
    const constant = renderChart([{ label: 'lr', points: [1, 2, 3].map((x) => ({ x, y: 0.001 })) }], { ...plain, width: 40, height: 5, logY: true });
    expect(yLabelsOf(constant)[2]).toBe('0.001');
    expect(plotRows(constant)[2]).toMatch(/^─+$/);
    // Values a hair apart, finer than log10 resolves near 1e-300, draw as a constant too.
    const hair = renderChart([{ label: 'v', points: [1e-300, 1e-300 * (1 + 1e-12)].map((y, x) => ({ x, y })) }], { ...plain, width: 40, height: 5, logY: true });
    expect(plotRows(hair)[2]).toMatch(/^─+$/);
    expect(new Set(yLabelsOf(hair)).size).toBe(5);
  });

  it('leaves out values ≤ 0, counts and marks them, and still draws the positives', () => {
    const points = [
      { x: 0, y: 0 },
      { x: 1, y: 1e-3 },
      { x: 2, y: -5 },
      { x: 3, y: 1e-2 },
      { x: 4, y: 0 },
      { x: 5, y: 1e-1 },
      { x: 6, y: NaN },
      { x: 7, y: 1 },
    ];
    const out = renderChart([{ label: 'loss', points }], { ...plain, width: 60, height: 4, logY: true });
    const lines = out.split('\n');
    expect(lines[0]).toBe(`── loss 1  × 1 NaN, ${NON_POSITIVE_MARK} 3 ≤ 0 not drawn · log y`);
    // One decade a row: the positives climb from the bottom row to the top one.
    expect(yLabelsOf(out)).toEqual(['1', '0.1', '0.01', '0.001']);
    const rows = plotRows(out);
    rows.forEach((r) => expect(r).toMatch(/[─╭╮╯╰│]/));
    const axis = lines[lines.length - 2] as string;
    expect(axis.split(NON_POSITIVE_MARK)).toHaveLength(4);
    expect(axis).toContain('×');
    // Where the legend leaves no room for the note, it gets a line of its own.
    expect(renderChart([{ label: 'loss', points }], { ...plain, width: 40, height: 4, logY: true }).split('\n')[1]).toBe('log y');
  });

  it('treats smoothed points and raw the same: raw widens the range in colour, and its values ≤ 0 are counted', () => {
    const raw = Array.from({ length: 100 }, (_, x) => ({ x, y: x % 10 === 3 ? 0 : x === 50 ? 1 : 1e-3 * (1 + (x % 7)) }));
    const smoothed = smoothPoints(
      raw.map((p) => ({ x: p.x, y: Math.max(p.y, 1e-3) })),
      0.9,
    );
    const series: ChartSeries[] = [{ label: 'loss', points: smoothed, raw }];
    const colour = renderChart(series, { color: true, width: 60, height: 8, logY: true }).replace(/\x1b\[[0-9;]*m/g, '');
    expect(colour.split('\n')[0]).toContain(`${NON_POSITIVE_MARK} 10 ≤ 0 not drawn`);
    expect(colour.split('\n')[0]).toContain('(raw ');
    // The raw spike to 1 is drawn (faint) on the top row, labelled 1, and nowhere else on it;
    // without colour only the smoothed line sets the range.
    expect(labelledRows(colour)[0]).toEqual({ row: 0, label: '1' });
    expect((plotRows(colour)[0] as string).trim()).toMatch(/^[╭╮]+$/);
    expect(Number(labelledRows(renderChart(series, { ...plain, width: 60, height: 8, logY: true }))[0]?.label)).toBeLessThan(1);
  });

  it('keeps a one-point spike and dip when 10,000 points are squeezed into the width', () => {
    const points = Array.from({ length: 10_000 }, (_, i) => ({ x: i, y: i === 4321 ? 1 : i === 7777 ? 1e-6 : 1e-3 * (1 + (i % 3)) }));
    const out = renderChart([{ label: 'v', points }], { ...plain, width: 60, height: 7, logY: true });
    expect(yLabelsOf(out)).toEqual(['1e0', '1e-1', '1e-2', '1e-3', '1e-4', '1e-5', '1e-6']);
    const rows = plotRows(out);
    expect(rows[0]).toMatch(/[╭╮]/);
    expect(rows[rows.length - 1]).toMatch(/[╰╯]/);
  });

  it('says log in the title, cutting the title rather than the note', () => {
    const out = renderChart([{ label: 'lr', points: lr }], { ...plain, width: 40, logY: true, title: 'learning rate of the second optimizer group' });
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^learning rate.*… · log y$/);
    expect(stringWidth(lines[0] as string)).toBe(40);
    expect(lines[1]).toBe('── lr 1e-7');
  });

  it('falls back to a linear scale, and says so, when no value is > 0', () => {
    const points = [1, 2, 3].map((x) => ({ x, y: -x }));
    const out = renderChart([{ label: 'z', points }], { ...plain, width: 50, height: 5, logY: true, title: 'neg' });
    expect(out.split('\n').slice(0, 2)).toEqual(['neg · linear y: no value > 0 for log', '── z -3']);
    expect(out.split('\n').slice(1)).toEqual(renderChart([{ label: 'z', points }], { ...plain, width: 50, height: 5, title: 'neg' }).split('\n').slice(1));
  });

  it('changes nothing with logY false', () => {
    const series: ChartSeries[] = [{ label: 'loss', points: loss.map((p) => (p.x === 7 ? { x: 7, y: -1 } : p)) }];
    expect(renderChart(series, { ...plain, width: 60, logY: false })).toBe(renderChart(series, { ...plain, width: 60 }));
    expect(renderChart(series, { ...plain, width: 60, logY: false })).not.toContain(NON_POSITIVE_MARK);
  });

  it('property: log labels are positive, distinct and fall from the top row down, even for values a hair apart', () => {
    const positive = fc.double({ min: 1e-300, max: 1e300, noNaN: true });
    // Ratios 1 + 1e-6 down to 1 + 1e-17 (equal): finer than log10 resolves near 1e±300.
    const close = fc.tuple(positive, fc.integer({ min: 1, max: 9 }), fc.integer({ min: 6, max: 17 })).map(([y, m, e]) => [y, y * (1 + m * 10 ** -e)]);
    fc.assert(
      fc.property(fc.oneof(fc.array(positive, { minLength: 1, maxLength: 20 }), close), fc.integer({ min: 2, max: 30 }), (ys, height) => {
        const labels = labelledRows(renderChart([{ label: 'v', points: ys.map((y, x) => ({ x, y })) }], { ...plain, width: 120, height, logY: true })).map((l) => Number(l.label));
        expect(labels.length).toBeGreaterThanOrEqual(Math.min(2, height));
        labels.forEach((v, i) => {
          expect(v).toBeGreaterThan(0);
          if (i > 0) expect(v).toBeLessThan(labels[i - 1] as number);
        });
      }),
      { numRuns: 1000 },
    );
  });
});

describe('formatting helpers', () => {
  it('formats elapsed seconds compactly', () => {
    expect([0, 4.5, 42, 65, 3720, 93_600, -65].map(formatElapsed)).toEqual(['0s', '4.5s', '42s', '1m05s', '1h02m', '1d02h', '-1m05s']);
  });

  it('formats legend values with four significant digits, non-finite ones as every value is', () => {
    expect([0.9262000918388367, 12.3456, 12345.6, 0.0000123456, 2e9, 0, NaN, Infinity, -Infinity].map(formatCompact)).toEqual([
      '0.9262',
      '12.35',
      '12346',
      '1.235e-5',
      '2e9',
      '0',
      'NaN',
      'Infinity',
      '-Infinity',
    ]);
  });

  it('formats x labels: integers as they are', () => {
    expect([200, 2.5, 1234.56].map(formatX)).toEqual(['200', '2.5', '1235']);
  });
});
