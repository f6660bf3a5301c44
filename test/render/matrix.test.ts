import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import stringWidth from 'string-width';
import { renderMatrixMarkdown as markdownOf, renderMatrixText as textOf, type MatrixRenderOptions } from '../../src/render/matrix.js';
import { analyseMatrix } from '../../src/analyse/matrix.js';
import type { ConfusionMatrix, Normalization } from '../../src/formats/confusion.js';

type Options = MatrixRenderOptions & { normalize: Normalization; topPairs?: number };
// The renderers draw an analysed matrix; these analyse it first, as `matrix` and `view` do.
const renderMatrixText = (m: ConfusionMatrix, opts: Options): string => textOf(analyseMatrix(m, opts.normalize, opts.topPairs), opts);
const renderMatrixMarkdown = (m: ConfusionMatrix, opts: Options): string => markdownOf(analyseMatrix(m, opts.normalize, opts.topPairs), opts);

const PLAIN: Options = { color: false, width: 80, normalize: 'none' };

const ANIMALS: ConfusionMatrix = {
  labels: ['cat', 'dog', 'bird'],
  matrix: [
    [50, 3, 2],
    [4, 40, 1],
    [0, 5, 30],
  ],
};

/** Deterministic pseudo-random matrices: a strong diagonal and sparse confusions. */
function synthetic(labels: string[], seed: number, confusionRate = 0.08): ConfusionMatrix {
  let state = seed;
  const next = (): number => {
    state = (state * 16807) % 2147483647;
    return state / 2147483647;
  };
  const matrix = labels.map((_, i) => labels.map((__, j) => (i === j ? 60 + Math.floor(next() * 40) : next() < confusionRate ? Math.floor(next() * 25) : 0)));
  return { labels, matrix };
}

const CIFAR = synthetic(['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'], 7, 0.5);
const THIRTY = synthetic(Array.from({ length: 30 }, (_, i) => `c${i}`), 11);
const HUNDRED = synthetic(Array.from({ length: 100 }, (_, i) => `n${String(i).padStart(2, '0')}_${['tench', 'goldfish', 'great_white_shark', 'tiger_shark', 'hammerhead'][i % 5]}`), 3);

function widest(text: string): number {
  return Math.max(...text.split('\n').map((line) => stringWidth(line)));
}

describe('renderMatrixText goldens (no colour)', () => {
  it('small labelled matrix, counts', async () => {
    await expect(renderMatrixText(ANIMALS, { ...PLAIN, title: 'val.cm' })).toMatchFileSnapshot('./golden/matrix/animals-counts.txt');
  });
  it.each(['true', 'pred', 'all'] as const)('small labelled matrix, normalize=%s', async (normalize) => {
    await expect(renderMatrixText(ANIMALS, { ...PLAIN, normalize })).toMatchFileSnapshot(`./golden/matrix/animals-${normalize}.txt`);
  });
  it('long labels: columns numbered', async () => {
    await expect(renderMatrixText(CIFAR, { ...PLAIN, title: 'cifar10' })).toMatchFileSnapshot('./golden/matrix/cifar10-numbered.txt');
  });
  it('30 classes at 80 columns: compact shade grid', async () => {
    await expect(renderMatrixText(THIRTY, PLAIN)).toMatchFileSnapshot('./golden/matrix/thirty-compact.txt');
  });
  it('100 classes at 100 columns: the busiest classes, said so', async () => {
    const text = renderMatrixText(HUNDRED, { ...PLAIN, width: 100 });
    await expect(text).toMatchFileSnapshot('./golden/matrix/hundred-100cols.txt');
    expect(widest(text)).toBeLessThanOrEqual(100);
    expect(text).toMatch(/Showing the \d+ of 100 classes with the most samples/);
    // The report still lists every class.
    expect(text).toContain('n99_hammerhead');
  });
  it('narrow terminal (40 columns)', async () => {
    await expect(renderMatrixText(CIFAR, { ...PLAIN, width: 40, normalize: 'true' })).toMatchFileSnapshot('./golden/matrix/cifar10-narrow.txt');
  });
  it('hostile and wide labels are escaped and measured by display width', async () => {
    const m: ConfusionMatrix = { labels: ['猫', '犬', '\x1b[31mred\u202e', 'a|b'], matrix: [[5, 1, 0, 0], [2, 3, 0, 0], [0, 0, 4, 1], [0, 0, 0, 2]] };
    const text = renderMatrixText(m, { ...PLAIN, width: 60, title: 'evil\x07' });
    await expect(text).toMatchFileSnapshot('./golden/matrix/escaped-labels.txt');
    expect(text).not.toMatch(/[\x00-\x09\x0b-\x1f\u202e]/);
    expect(widest(text)).toBeLessThanOrEqual(60);
  });
  it('a perfect classifier and an empty matrix', async () => {
    const perfect = renderMatrixText({ labels: ['yes', 'no'], matrix: [[7, 0], [0, 3]] }, PLAIN);
    const empty = renderMatrixText({ labels: [], matrix: [] }, PLAIN);
    await expect(`${perfect}\n${empty}`).toMatchFileSnapshot('./golden/matrix/perfect-and-empty.txt');
    expect(perfect).toContain('No confusions');
  });
});

describe('renderMatrixMarkdown goldens', () => {
  it('counts', async () => {
    await expect(renderMatrixMarkdown(ANIMALS, { ...PLAIN, title: 'val.cm' })).toMatchFileSnapshot('./golden/matrix/animals-counts.md');
  });
  it('normalised over actual classes, markdown-active labels escaped', async () => {
    const m: ConfusionMatrix = { labels: ['a|b', '*bold*', '<img>'], matrix: ANIMALS.matrix };
    const text = renderMatrixMarkdown(m, { ...PLAIN, normalize: 'true' });
    await expect(text).toMatchFileSnapshot('./golden/matrix/escaped-true.md');
    expect(text).toContain('a\\|b');
    expect(text).toContain('\\*bold\\*');
    // Every table row has the same number of unescaped pipes as its header.
    const table = text.split('\n').filter((line) => line.startsWith('| actual') || line.startsWith('| **'));
    const pipes = (line: string): number => line.replace(/\\\|/g, '').split('|').length;
    for (const line of table.slice(0, 4)) expect(pipes(line)).toBe(pipes(table[0] as string));
  });
  it('many classes: the matrix keeps the busiest, the report all', async () => {
    const text = renderMatrixMarkdown(THIRTY, { ...PLAIN, maxClasses: 12 });
    await expect(text).toMatchFileSnapshot('./golden/matrix/thirty-top12.md');
    expect(text).toContain('Showing the 12 classes');
    expect(text).toContain('| c29 |');
  });
});

describe('layout', () => {
  it('a 100-class matrix fits 100 columns, with and without colour', () => {
    for (const color of [false, true]) {
      for (const normalize of ['none', 'true'] as const) {
        expect(widest(renderMatrixText(HUNDRED, { color, width: 100, normalize }))).toBeLessThanOrEqual(100);
      }
    }
  });

  it('colour uses background shades and keeps the layout of the plain render', () => {
    const colored = renderMatrixText(ANIMALS, { ...PLAIN, color: true, colorLevel: 3 });
    const plain = renderMatrixText(ANIMALS, PLAIN);
    expect(colored).toContain('\x1b[48;2;');
    const strip = (text: string): string[] => text.replace(/\x1b\[[0-9;]*m/g, '').split('\n').map((line) => line.replace(/[░▒▓█]/g, ' ').trimEnd());
    expect(strip(colored)).toEqual(strip(plain));
    expect(renderMatrixText(THIRTY, { ...PLAIN, color: true, colorLevel: 2 })).toContain('\x1b[48;5;');
  });

  it('shades follow value ÷ max', () => {
    const text = renderMatrixText({ labels: ['a', 'b'], matrix: [[100, 60], [30, 1]] }, PLAIN);
    expect(text).toContain('█ 100 ▓  60');
    expect(text).toContain('▒  30 ░   1');
  });

  it('no line is wider than the width, for any matrix and width', () => {
    const matrixArb = fc.integer({ min: 1, max: 30 }).chain((n) =>
      fc.record({
        labels: fc.uniqueArray(fc.string({ minLength: 1, maxLength: 30, unit: fc.constantFrom('a', 'Z', '9', '猫', '\x1b', ' ', '|', 'é') }), { minLength: n, maxLength: n }),
        matrix: fc.array(fc.array(fc.oneof(fc.nat(5), fc.nat(100000), fc.double({ min: 0, max: 1000, noNaN: true })), { minLength: n, maxLength: n }), {
          minLength: n,
          maxLength: n,
        }),
      }),
    );
    fc.assert(
      fc.property(
        matrixArb,
        fc.integer({ min: 1, max: 200 }),
        fc.constantFrom('none', 'true', 'pred', 'all'),
        fc.boolean(),
        fc.integer({ min: 1, max: 40 }),
        (m, width, normalize, color, maxLabelWidth) => {
          const text = renderMatrixText(m, { color, width, normalize, maxLabelWidth, title: 'k' });
          expect(widest(text)).toBeLessThanOrEqual(width);
          expect(text.replace(/\x1b\[[0-9;]*m/g, '')).not.toContain('\x1b');
          renderMatrixMarkdown(m, { color, width, normalize });
        },
      ),
      { numRuns: 150 },
    );
  });

});
