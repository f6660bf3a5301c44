import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InputError } from '../../src/core/errors.js';
import {
  confusionFromKubeflowCsv,
  confusionFromPairs,
  confusionFromValue,
  detectConfusionMatrix,
  findConfusionMatrices,
  MAX_LABELS,
  normalizeMatrix,
  pairsFromCsv,
  pairsFromObjects,
  parseCsv,
  parseCsvObjects,
  type ConfusionMatrix,
} from '../../src/formats/confusion.js';
import type { JsonObject, JsonValue, MetadataRecord } from '../../src/core/types.js';
import { inputError } from '../helpers/errors.js';

// One matrix, written every way it can arrive. Rows are actual, columns predicted:
//            predicted: cat dog bird
//   actual cat          3   0   0
//          dog          0   1   2
//          bird         2   1   3
const LABELS = ['cat', 'dog', 'bird'];
const MATRIX = [
  [3, 0, 0],
  [0, 1, 2],
  [2, 1, 3],
];
const EXPECTED: ConfusionMatrix = { labels: LABELS, matrix: MATRIX };

/** Valohai triples [x = predicted, y = actual, v], every cell, actual-major. */
function toTriples(m: ConfusionMatrix): JsonValue[][] {
  const out: JsonValue[][] = [];
  m.matrix.forEach((row, i) => row.forEach((v, j) => out.push([m.labels[j] as string, m.labels[i] as string, v])));
  return out;
}

function toHeaderForm(m: ConfusionMatrix): JsonValue[][] {
  return [m.labels, ...m.matrix];
}

function csvField(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

function toKubeflowCsv(m: ConfusionMatrix): string {
  const lines: string[] = [];
  m.matrix.forEach((row, i) => row.forEach((v, j) => lines.push(`${csvField(m.labels[i] as string)},${csvField(m.labels[j] as string)},${v}`)));
  return lines.join('\n') + '\n';
}

function toPairs(m: ConfusionMatrix): Array<{ actual: string; predicted: string }> {
  const pairs: Array<{ actual: string; predicted: string }> = [];
  m.matrix.forEach((row, i) => row.forEach((v, j) => {
    for (let k = 0; k < v; k++) pairs.push({ actual: m.labels[i] as string, predicted: m.labels[j] as string });
  }));
  return pairs;
}


describe('one matrix in every shape', () => {
  it('triples (x = predicted, y = actual)', () => {
    expect(confusionFromValue(toTriples(EXPECTED))).toEqual(EXPECTED);
  });

  it('header form', () => {
    expect(confusionFromValue(toHeaderForm(EXPECTED))).toEqual(EXPECTED);
  });

  it('bare 2-D array: same cells, labels 0..n-1', () => {
    expect(confusionFromValue(MATRIX)).toEqual({ labels: ['0', '1', '2'], matrix: MATRIX });
  });

  it('Kubeflow target,predicted,count CSV, with and without the labels list', () => {
    expect(confusionFromKubeflowCsv(toKubeflowCsv(EXPECTED))).toEqual(EXPECTED);
    // Rows in any order; the labels list fixes the order.
    const shuffled = toKubeflowCsv(EXPECTED).trim().split('\n').reverse().join('\r\n');
    expect(confusionFromKubeflowCsv(shuffled, LABELS)).toEqual(EXPECTED);
  });

  it('per-sample pairs: iterable, CSV with a header, JSON objects', () => {
    const pairs = toPairs(EXPECTED);
    expect(confusionFromPairs(pairs, LABELS)).toEqual(EXPECTED);
    const csv = 'id,actual,predicted\n' + pairs.map((p, i) => `${i},${p.actual},${p.predicted}`).join('\n');
    expect(confusionFromPairs(pairsFromCsv(csv), LABELS)).toEqual(EXPECTED);
    const objects = pairs.map((p) => ({ y_true: p.actual, y_pred: p.predicted, score: 0.5 }));
    expect(confusionFromPairs(pairsFromObjects(objects), LABELS)).toEqual(EXPECTED);
  });

  it('the Valohai docs example is a matrix', () => {
    expect(detectConfusionMatrix([[3, 0, 0], [0, 1, 2], [2, 1, 3]])).toEqual({ labels: ['0', '1', '2'], matrix: MATRIX });
  });
});

describe('triples', () => {
  it('labels in order of first appearance, x before y; missing pairs are 0', () => {
    const m = confusionFromValue([
      ['dog', 'cat', 2], // predicted dog, actual cat
      ['cat', 'cat', 5],
      ['bird', 'bird', 1],
    ]);
    expect(m.labels).toEqual(['dog', 'cat', 'bird']);
    expect(m.matrix).toEqual([
      [0, 0, 0],
      [2, 5, 0],
      [0, 0, 1],
    ]);
  });

  it('sums repeated pairs', () => {
    expect(confusionFromValue([['a', 'b', 1], ['a', 'b', 2], ['b', 'b', 4]])).toEqual({ labels: ['a', 'b'], matrix: [[0, 0], [3, 4]] });
  });

  it('numeric labels become strings', () => {
    expect(confusionFromValue([[0, 1, 5], [1, 0, 2]])).toEqual({ labels: ['0', '1'], matrix: [[0, 2], [5, 0]] });
  });

  it('accepts fractional values (an already normalised matrix)', () => {
    expect(confusionFromValue([['a', 'a', 0.75], ['b', 'a', 0.25]]).matrix).toEqual([[0.75, 0.25], [0, 0]]);
  });
});

describe('ambiguity rule', () => {
  it('a 3×3 all-numeric array is a matrix, not three triples', () => {
    expect(confusionFromValue([[1, 2, 3], [4, 5, 6], [7, 8, 9]]).labels).toEqual(['0', '1', '2']);
  });

  it('three 3-cell rows with a string label are triples', () => {
    const m = confusionFromValue([['a', 'a', 1], ['b', 'a', 2], [0, 'b', 3]]);
    expect(m.labels).toEqual(['a', 'b', '0']);
  });

  it('3-cell rows, row count other than 3, all numeric: triples', () => {
    expect(confusionFromValue([[0, 0, 1], [1, 1, 2], [0, 1, 3], [1, 0, 4]]).matrix).toEqual([[1, 4], [3, 2]]);
    expect(confusionFromValue([[1, 2, 3], [4, 5, 6]]).labels).toEqual(['1', '2', '4', '5']);
  });

  it('a first row of strings is the header form, even with three labels', () => {
    expect(confusionFromValue([['a', 'b', 'c'], [1, 0, 0], [0, 1, 0], [0, 0, 1]]).labels).toEqual(['a', 'b', 'c']);
  });
});

describe('errors name the reason', () => {
  const cases: Array<[string, JsonValue, RegExp]> = [
    ['not an array', { a: 1 }, /must be an array of rows, got an object/],
    ['a scalar', 3, /got number 3/],
    ['empty', [], /is empty/],
    ['a row that is not an array', [[1, 2], 3], /row 2 is number 3, expected an array/],
    ['ragged rows', [[1, 2, 3, 4], [1, 2, 3, 4], [1, 2, 3], [1, 2, 3, 4]], /^confusion matrix row 3 has 3 cells, expected 4/],
    ['not square', [[1, 2], [3, 4], [5, 6]], /row 1 has 2 cells, expected 3 \(a confusion matrix must be square\)/],
    ['negative count', [[1, -2], [3, 4]], /row 1 cell 2 is -2, counts cannot be negative/],
    ['NaN', [[1, NaN], [3, 4]], /row 1 cell 2 is NaN, expected a finite number/],
    ['Infinity', [[1, 2], [Infinity, 4]], /row 2 cell 1 is Infinity/],
    ['a string count', [[1, '2'], [3, 4]], /row 1 cell 2 is the string "2", expected a number/],
    ['null count', [[1, null], [3, 4]], /row 1 cell 2 is null/],
    ['header/rows mismatch', [['a', 'b', 'c'], [1, 2, 3], [4, 5, 6]], /header has 3 labels but there are 2 rows/],
    ['header/row length mismatch', [['a', 'b'], [1, 2], [3]], /row 3 has 1 cells, expected 2 \(2 labels\)/],
    ['duplicate header label', [['a', 'a'], [1, 2], [3, 4]], /header lists the label "a" twice/],
    ['triple with a null label', [['a', null, 1], ['b', 'a', 2]], /triple 1: actual label \(y\) is null, expected a string or a number/],
    ['triple with a string value', [['a', 'b', 1], ['b', 'a', '2']], /triple 2: count is the string "2"/],
    ['triples whose first count is a string read as a header', [['a', 'b', '1'], ['b', 'a', 2]], /header has 3 labels but there are 1 rows below it \(triples need a number in the third cell\)/],
    ['triple with a negative value', [['a', 'b', -1], ['b', 'a', 2]], /triple 1: count is -1, counts cannot be negative/],
    ['triple with a NaN label', [[NaN, 'a', 1], ['b', 'a', 2]], /triple 1: predicted label \(x\) is NaN/],
    ['empty row', [[]], /row 1 has 0 cells, expected 1/],
  ];
  it.each(cases)('%s', (_name, value, message) => {
    expect(inputError(() => confusionFromValue(value))).toMatch(message);
    expect(detectConfusionMatrix(value)).toBeNull();
  });

  it('refuses more than MAX_LABELS labels from a few triples', () => {
    const triples = Array.from({ length: MAX_LABELS / 2 + 1 }, (_, i) => [`p${i}`, `a${i}`, 1]);
    expect(inputError(() => confusionFromValue(triples))).toMatch(/more than 2048 labels/);
  });
});

describe('detectConfusionMatrix', () => {
  it('is null for values that are not matrix shapes', () => {
    for (const value of [null, true, 1, 'x', [], [1, 2, 3], ['a', 'b'], { data: [[1]] }, [[1, 2]], [[]]] as JsonValue[]) {
      expect(detectConfusionMatrix(value)).toBeNull();
    }
  });
  it('finds each shape', () => {
    expect(detectConfusionMatrix(toTriples(EXPECTED))).toEqual(EXPECTED);
    expect(detectConfusionMatrix(toHeaderForm(EXPECTED))).toEqual(EXPECTED);
    expect(detectConfusionMatrix([[5]])).toEqual({ labels: ['0'], matrix: [[5]] });
    // By the rule, one numeric 3-cell row is a triple: predicted "1", actual "2", count 3.
    expect(detectConfusionMatrix([[1, 2, 3]])).toEqual({ labels: ['1', '2'], matrix: [[0, 0], [3, 0]] });
  });
});

describe('findConfusionMatrices', () => {
  const values = {
    step: 10,
    data: MATRIX,
    hist: [1, 2, 3],
    val: { cm: toHeaderForm(EXPECTED), loss: 0.3, deep: { triples: toTriples(EXPECTED) } },
    bad: [[1, -1], [0, 1]],
  };
  it('scans top-level and nested keys, named with dots, in order', () => {
    const found = findConfusionMatrices(values);
    expect(found.map((f) => f.key)).toEqual(['data', 'val.cm', 'val.deep.triples']);
    expect(found[1]?.matrix).toEqual(EXPECTED);
  });
  it('with a key, reads only that key and reports why it is not a matrix', () => {
    expect(findConfusionMatrices(values, 'val.cm')).toEqual([{ key: 'val.cm', matrix: EXPECTED }]);
    expect(findConfusionMatrices(values, 'missing')).toEqual([]);
    expect(inputError(() => findConfusionMatrices(values, 'bad'))).toMatch(/row 1 cell 2 is -1/);
    expect(findConfusionMatrices({ 'a.b': MATRIX }, 'a.b')).toHaveLength(1);
  });
  it('never reads prototypes', () => {
    expect(findConfusionMatrices({}, '__proto__')).toEqual([]);
    expect(findConfusionMatrices({}, 'constructor')).toEqual([]);
  });
});

describe('parseCsv (RFC 4180)', () => {
  it('reads quotes, escaped quotes, commas and line breaks inside quotes', () => {
    expect(parseCsv('a,"b,c","say ""hi""","multi\nline"\n')).toEqual([['a', 'b,c', 'say "hi"', 'multi\nline']]);
  });
  it('handles CRLF, LF and CR, and no final line break', () => {
    expect(parseCsv('a,b\r\nc,d\re,f\ng,h')).toEqual([['a', 'b'], ['c', 'd'], ['e', 'f'], ['g', 'h']]);
  });
  it('keeps empty fields and blank lines; drops a BOM and the final line break', () => {
    expect(parseCsv('\ufeffa,,\n\n"",x\r\n')).toEqual([['a', '', ''], [''], ['', 'x']]);
    expect(parseCsv('')).toEqual([]);
  });
  it('is lenient about stray quotes but not about unclosed ones', () => {
    expect(parseCsv('a"b,"c"d\n')).toEqual([['a"b', 'cd']]);
    expect(inputError(() => parseCsv('a,b\nc,"d\ne'))).toMatch(/CSV line 2: quoted field is never closed/);
  });
  it('parseCsvObjects uses the header, or the names given', () => {
    expect(parseCsvObjects('x,y\n1,2\n\n3,4\n')).toEqual([{ x: '1', y: '2' }, { x: '3', y: '4' }]);
    expect(parseCsvObjects('1,2\n', ['x', 'y'])).toEqual([{ x: '1', y: '2' }]);
    expect(inputError(() => parseCsvObjects('x,y\n1,2\n"a\nb",2,3\n'))).toMatch(/CSV line 3 has 3 fields, the header has 2/);
  });
});

describe('Kubeflow CSV', () => {
  it('trims labels and counts, skips blank lines and a header row', () => {
    const m = confusionFromKubeflowCsv('target,predicted,count\n a , a , 5 \n a,b,1\n\nb,a,2\nb,b, 7\n');
    expect(m).toEqual({ labels: ['a', 'b'], matrix: [[5, 1], [2, 7]] });
  });
  it('checks rows against labels² as Kubeflow does', () => {
    expect(inputError(() => confusionFromKubeflowCsv('a,a,1\na,b,2\nb,a,3\n', ['a', 'b']))).toBe(
      'Data dimensions 3 do not match the number of labels passed 2',
    );
  });
  it('rejects labels missing from the list, bad counts and ragged rows, naming the line', () => {
    expect(inputError(() => confusionFromKubeflowCsv('a,a,1\na,c,2\nb,a,3\nb,b,4\n', ['a', 'b']))).toMatch(/CSV line 2: label "c" is not in the labels list/);
    expect(inputError(() => confusionFromKubeflowCsv('a,a,1\na,b,x\n'))).toMatch(/CSV line 2: count "x" is not a number/);
    expect(inputError(() => confusionFromKubeflowCsv('a,a,1\na,b,-1\n'))).toMatch(/CSV line 2: count -1 is negative/);
    expect(inputError(() => confusionFromKubeflowCsv('a,a,1\na,b,inf\n'))).toMatch(/CSV line 2: count inf is not finite/);
    expect(inputError(() => confusionFromKubeflowCsv('a,a,1\n\na,b\n'))).toMatch(/CSV line 3 has 2 fields, expected 3 \(target,predicted,count\)/);
    expect(inputError(() => confusionFromKubeflowCsv('a,a,1', ['a', 'a']))).toMatch(/lists the label "a" twice/);
  });
  it('sums repeated pairs', () => {
    expect(confusionFromKubeflowCsv('a,a,1\na,a,2\n').matrix).toEqual([[3]]);
  });
});

describe('per-sample pairs', () => {
  it('accepts the usual column names', () => {
    for (const [a, p] of [['actual', 'predicted'], ['target', 'prediction'], ['y_true', 'y_pred'], ['label', 'prediction'], ['Actual', 'Predicted']]) {
      expect(pairsFromCsv(`${a},${p}\ncat,dog\n`)).toEqual([{ actual: 'cat', predicted: 'dog' }]);
    }
  });
  it('takes configured column names', () => {
    expect(pairsFromCsv('truth,guess,actual\nx,y,z\n', { actual: 'truth', predicted: 'guess' })).toEqual([{ actual: 'x', predicted: 'y' }]);
    expect(inputError(() => pairsFromCsv('truth,guess\nx,y\n', { actual: 'truth' }))).toMatch(/no a predicted column \(predicted, y_pred, prediction\) among "truth", "guess"/);
    expect(inputError(() => pairsFromCsv('a,b\nx,y\n', { actual: 'gt', predicted: 'b' }))).toMatch(/no actual column "gt"/);
    expect(inputError(() => pairsFromCsv(''))).toMatch(/no header row/);
    expect(inputError(() => pairsFromCsv('actual,predicted\nx\n'))).toMatch(/CSV line 2 has 1 fields, the header has 2/);
  });
  it('JSON objects: skips other metadata, stringifies numbers and booleans, rejects half samples', () => {
    const objects: JsonObject[] = [{ epoch: 1, loss: 0.5 }, { actual: 1, predicted: 0 }, { actual: true, predicted: false }];
    expect(pairsFromObjects(objects)).toEqual([{ actual: '1', predicted: '0' }, { actual: 'true', predicted: 'false' }]);
    expect(inputError(() => pairsFromObjects([{ actual: 'a' }]))).toMatch(/^object 1: no a predicted column/);
    expect(inputError(() => pairsFromObjects([{ actual: 'a', predicted: null }]))).toMatch(/object 1: predicted is null, expected a class label/);
  });
  it('metadata records: errors name source:line', () => {
    const record: MetadataRecord = { values: { actual: 'a', predicted: [1] }, time: '2024-01-01T00:00:00.000Z', source: 'logs/run.log', line: 7 };
    expect(inputError(() => pairsFromObjects([record]))).toMatch(/^logs\/run\.log:7: predicted is an array/);
  });
  it('labels fix the order; labels not listed are appended, never dropped', () => {
    const m = confusionFromPairs([{ actual: 'b', predicted: 'c' }, { actual: 'a', predicted: 'a' }], ['a', 'b']);
    expect(m).toEqual({ labels: ['a', 'b', 'c'], matrix: [[1, 0, 0], [0, 0, 1], [0, 0, 0]] });
    expect(confusionFromPairs([])).toEqual({ labels: [], matrix: [] });
  });
});

describe('normalizeMatrix (scikit-learn semantics)', () => {
  // sklearn.metrics.confusion_matrix(y_true, y_pred, normalize=…) on the samples of MATRIX.
  it('true: rows sum to 1', () => {
    const m = normalizeMatrix(MATRIX, 'true');
    expect(m[0]).toEqual([1, 0, 0]);
    expect(m[1]?.map((v) => +v.toFixed(12))).toEqual([0, 0.333333333333, 0.666666666667]);
    expect(m[2]).toEqual([2 / 6, 1 / 6, 3 / 6]);
  });
  it('pred: columns sum to 1', () => {
    expect(normalizeMatrix(MATRIX, 'pred')).toEqual([[0.6, 0, 0], [0, 0.5, 0.4], [0.4, 0.5, 0.6]]);
  });
  it('all: the matrix sums to 1', () => {
    expect(normalizeMatrix(MATRIX, 'all')).toEqual([[0.25, 0, 0], [0, 1 / 12, 2 / 12], [2 / 12, 1 / 12, 0.25]]);
  });
  it('none: an equal copy', () => {
    const copy = normalizeMatrix(MATRIX, 'none');
    expect(copy).toEqual(MATRIX);
    expect(copy).not.toBe(MATRIX);
  });
  it('zero rows, columns and matrices stay 0', () => {
    const m = [[0, 0], [2, 0]];
    expect(normalizeMatrix(m, 'true')).toEqual([[0, 0], [1, 0]]);
    expect(normalizeMatrix(m, 'pred')).toEqual([[0, 0], [1, 0]]);
    expect(normalizeMatrix([[0, 0], [0, 0]], 'all')).toEqual([[0, 0], [0, 0]]);
  });
});

describe('properties', () => {
  // Values shaped like matrices but with arbitrary cells, to reach every branch of the shape rules.
  const cell = fc.oneof(
    fc.nat(20),
    fc.double({ noNaN: false }),
    fc.constantFrom('a', 'b', 'c', '0', ''),
    fc.constant(null),
    fc.boolean(),
    fc.constant(-1),
  );
  const nearMatrix = fc.array(fc.oneof(fc.array(cell, { maxLength: 5 }), cell), { maxLength: 5 });

  it('confusionFromValue throws only InputError, and detect agrees with it (arbitrary JSON)', () => {
    const check = (value: JsonValue): void => {
      let parsed: ConfusionMatrix | undefined;
      try {
        parsed = confusionFromValue(value);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
      }
      const detected = detectConfusionMatrix(value);
      expect(detected === null).toBe(parsed === undefined);
      if (parsed) {
        expect(parsed.matrix).toHaveLength(parsed.labels.length);
        for (const row of parsed.matrix) {
          expect(row).toHaveLength(parsed.labels.length);
          for (const v of row) expect(Number.isFinite(v) && v >= 0).toBe(true);
        }
      }
    };
    fc.assert(fc.property(fc.jsonValue() as fc.Arbitrary<JsonValue>, check), { numRuns: 10_000 });
    fc.assert(fc.property(nearMatrix as fc.Arbitrary<JsonValue>, check), { numRuns: 10_000 });
  });

  const labelArb = fc.string({ minLength: 1, maxLength: 6 }).filter((s) => s.trim() === s && s !== '');
  const matrixArb = fc.uniqueArray(labelArb, { minLength: 1, maxLength: 6 }).chain((labels) =>
    fc.record({
      labels: fc.constant(labels),
      matrix: fc.array(fc.array(fc.nat(6), { minLength: labels.length, maxLength: labels.length }), {
        minLength: labels.length,
        maxLength: labels.length,
      }),
    }),
  );

  it('a valid matrix round-trips through triples, header form, Kubeflow CSV and samples', () => {
    fc.assert(
      fc.property(matrixArb, (m) => {
        expect(confusionFromValue(toTriples(m))).toEqual(m);
        expect(confusionFromValue(toHeaderForm(m))).toEqual(m);
        expect(confusionFromKubeflowCsv(toKubeflowCsv(m), m.labels)).toEqual(m);
        expect(confusionFromPairs(toPairs(m), m.labels)).toEqual(m);
      }),
      { numRuns: 10_000 },
    );
  });

  it('fractional counts round-trip through triples and header form', () => {
    const fractional = fc.integer({ min: 1, max: 5 }).chain((n) =>
      fc.array(fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: n, maxLength: n }), { minLength: n, maxLength: n }),
    );
    fc.assert(
      fc.property(fractional, (matrix) => {
        const m = { labels: matrix.map((_, i) => `c${i}`), matrix: matrix.map((row) => row.map((v) => (Object.is(v, -0) ? 0 : v))) };
        expect(confusionFromValue(toTriples(m))).toEqual(m);
        expect(confusionFromValue(toHeaderForm(m))).toEqual(m);
      }),
      { numRuns: 500 },
    );
  });

  it('parseCsv inverts a quoting writer', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string(), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 5 }), (rows) => {
        const text = rows.map((row) => row.map(csvField).join(',')).join('\r\n');
        expect(parseCsv(text)).toEqual(rows);
      }),
      { numRuns: 500 },
    );
  });
});
