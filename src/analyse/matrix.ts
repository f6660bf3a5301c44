/**
 * Confusion matrices and what they say: the input's matrices found as records are read (any key
 * holding a 2-D array, or per-sample actual/predicted records; CSV read whole), and for each the
 * classification report, the most confused pairs and the cell values as shown. Pure: records and
 * CSV text in (the reading is formats/visual-input.ts), plain data out; computed once here for
 * every renderer and for JSON.
 */
import { classificationReport, mostConfusedPairs, type ClassificationReport, type ConfusedPair } from './classification.js';
import { InputError, UsageError } from '../core/errors.js';
import { flattenValues } from '../parsers/metadata.js';
import {
  confusionFromKubeflowCsv,
  confusionFromPairs,
  confusionFromValue,
  findConfusionMatrices,
  normalizeMatrix,
  pairsFromCsv,
  pairsFromObjects,
  parseCsv,
  parseNumberCell,
  type ConfusionMatrix,
  type Normalization,
  type PairColumns,
  type SamplePair,
} from '../formats/confusion.js';
import type { JsonValue, MetadataRecord } from '../core/types.js';
import { displayName, locateMessage, type InputContent } from '../formats/visual-input.js';

/** One matrix, analysed: what every renderer and the JSON output show. */
export interface MatrixAnalysis {
  matrix: ConfusionMatrix;
  /** How the cells are shown: counts (`none`), or shares of each actual row (`true`), predicted column (`pred`) or of all. */
  normalize: Normalization;
  /** The cells as shown (`matrix.matrix` itself for `none`). Metrics always use counts. */
  values: number[][];
  report: ClassificationReport;
  /** How many confused pairs were asked for, and the most confused ones (at most that many). */
  topPairs: number;
  mostConfused: ConfusedPair[];
}

/** Analyses a matrix once, for every output. */
export function analyseMatrix(matrix: ConfusionMatrix, normalize: Normalization, topPairs = 10): MatrixAnalysis {
  return { matrix, normalize, values: normalizeMatrix(matrix.matrix, normalize), report: classificationReport(matrix), topPairs, mostConfused: mostConfusedPairs(matrix, topPairs) };
}

/** Where the matrices are found: `matrix`'s flags. */
export interface MatrixReadOptions {
  /** Read only this metadata key (dotted paths reach nested keys). Default: any key holding a matrix. */
  key?: string;
  /** Every matrix of each input, in order. Default false: the latest of each input. */
  all?: boolean;
  /** Comma-separated labels: the order for CSV and samples; names for a metadata matrix's classes. */
  labels?: string;
  /** Per-sample inputs: the column with the true class. Default: actual, target, y_true or label. */
  actualCol?: string;
  /** Per-sample inputs: the column with the predicted class. Default: predicted, y_pred or prediction. */
  predictedCol?: string;
}

/** Where a matrix came from. */
export type MatrixForm = 'metadata' | 'kubeflow-csv' | 'samples-csv' | 'samples-jsonl';

export interface FoundMatrix {
  /** The input as given (`-` for stdin). */
  source: string;
  /** Line of the metadata record; undefined for files read whole. */
  line?: number;
  /** The metadata key; null for CSV and per-sample inputs. */
  key: string | null;
  form: MatrixForm;
  matrix: ConfusionMatrix;
}

/** What one input gave: the matrices kept (all, or the latest) and how many there were. */
export interface InputMatrices {
  source: string;
  found: FoundMatrix[];
  total: number;
}

/** A value that looks like an attempt at a matrix (an array of arrays) but is not one. */
export interface NearMiss {
  key: string;
  line: number;
  reason: string;
}

const MAX_NEAR_MISSES = 10;

/** `--labels a,b,c`. */
export function parseLabels(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const labels = text.split(',').map((label) => label.trim());
  if (labels.length === 0 || labels.some((label) => label === '')) throw new UsageError(`--labels: expected comma-separated labels, got '${text}'`);
  return labels;
}

function pairColumns(options: MatrixReadOptions): PairColumns {
  const columns: PairColumns = {};
  if (options.actualCol !== undefined) columns.actual = options.actualCol;
  if (options.predictedCol !== undefined) columns.predicted = options.predictedCol;
  return columns;
}

/** Renames the classes of a metadata matrix (shape 2 has labels 0..n-1). */
function relabel(found: FoundMatrix, labels: string[] | undefined, where: string): FoundMatrix {
  if (labels === undefined) return found;
  const n = found.matrix.labels.length;
  if (labels.length !== n) throw new InputError(`${where}: --labels has ${labels.length} labels but the matrix has ${n} classes`);
  return { ...found, matrix: { labels, matrix: found.matrix.matrix } };
}

/**
 * Folds one input's records into its confusion matrices as they are read (the latest, or every
 * one with `all`), then settles them with what the reader found (`finish`). A malformed matrix
 * asked for with `--key` is remembered and thrown by `finish`; a `--labels` count that does not
 * fit a matrix throws from `add`.
 */
export class MatrixBuilder {
  private readonly name: string;
  private readonly labels: string[] | undefined;
  private readonly wantSamples: boolean;
  private readonly found: FoundMatrix[] = [];
  private total = 0;
  private fatal: InputError | undefined;
  private readonly pairs: SamplePair[] = [];
  private pairError: string | undefined;
  private readonly nearMisses = new Map<string, NearMiss[]>();
  private readonly matrixKeys = new Set<string>();

  constructor(private readonly input: string, private readonly options: MatrixReadOptions) {
    this.name = displayName(input);
    this.labels = parseLabels(options.labels);
    this.wantSamples = options.actualCol !== undefined || options.predictedCol !== undefined;
  }

  /** A record sink: bound, so it can be handed to a reader as is. */
  readonly add = (record: MetadataRecord): void => {
    if (this.fatal) return;
    const { options } = this;
    const where = `${this.name}:${record.line}`;
    if (!this.wantSamples) {
      let matrices;
      try {
        matrices = findConfusionMatrices(record.values, options.key);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        this.fatal = new InputError(`${where}: ${options.key ?? ''}: ${error.message}`);
        return;
      }
      for (const { key, matrix } of matrices) {
        this.total++;
        this.matrixKeys.add(key);
        const item = relabel({ source: this.input, line: record.line, key, form: 'metadata', matrix }, this.labels, where);
        if (options.all) this.found.push(item);
        else this.found[0] = item;
      }
      if (options.key === undefined) noteNearMisses(record, matrices.map((m) => m.key), this.nearMisses);
    }
    if (this.pairError === undefined) {
      try {
        this.pairs.push(...pairsFromObjects([record], pairColumns(options)));
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        this.pairError = error.message;
      }
    }
  };

  /**
   * The input's matrices, once read, and the near misses worth a warning (values under a key
   * that held a matrix elsewhere in the input). Throws InputError when there is no matrix.
   */
  finish(content: InputContent): { result: InputMatrices; nearMisses: NearMiss[] } {
    const { input, name, options } = this;
    if (this.fatal) throw this.fatal;
    if (content.kind === 'csv') {
      const matrix = matrixFromCsv(content.text, name, this.labels, options);
      return { result: { source: input, found: [{ source: input, key: null, form: matrix.form, matrix: matrix.matrix }], total: 1 }, nearMisses: [] };
    }
    if (this.found.length > 0) {
      const misses = [...this.nearMisses].filter(([key]) => this.matrixKeys.has(key)).flatMap(([, list]) => list);
      return { result: { source: input, found: this.found, total: this.total }, nearMisses: misses };
    }
    if (this.pairError !== undefined) throw new InputError(this.pairError.startsWith('-:') ? `stdin:${this.pairError.slice(2)}` : this.pairError);
    if (this.pairs.length > 0) {
      return { result: { source: input, found: [{ source: input, key: null, form: 'samples-jsonl', matrix: confusionFromPairs(this.pairs, this.labels) }], total: 1 }, nearMisses: [] };
    }
    throw new InputError(noMatrixMessage(name, options, this.nearMisses, this.wantSamples));
  }
}

function noMatrixMessage(name: string, options: MatrixReadOptions, nearMisses: Map<string, NearMiss[]>, wantSamples: boolean): string {
  if (wantSamples) return `${name}: no records with the columns ${options.actualCol ?? 'actual'} and ${options.predictedCol ?? 'predicted'}`;
  if (options.key !== undefined) return `${name}: no record has the key ${options.key}`;
  const first = [...nearMisses.entries()][0];
  if (first) {
    const [key, misses] = first;
    const miss = misses[0] as NearMiss;
    return `${name}:${miss.line}: ${key} is not a confusion matrix: ${miss.reason}`;
  }
  return `${name}: no confusion matrix found (looked for 2-D arrays under any key, and records with actual/predicted columns)`;
}

/**
 * Remembers values that look like an attempt at a matrix (an array of arrays) but are not one,
 * with the reason, so a typo in a matrix is reported rather than silently ignored.
 */
function noteNearMisses(record: MetadataRecord, matched: readonly string[], nearMisses: Map<string, NearMiss[]>): void {
  for (const [key, value] of flattenValues(record.values)) {
    if (!isArrayOfArrays(value) || matched.includes(key)) continue;
    let misses = nearMisses.get(key);
    if (!misses) {
      if (nearMisses.size >= MAX_NEAR_MISSES) continue;
      misses = [];
      nearMisses.set(key, misses);
    }
    if (misses.length >= MAX_NEAR_MISSES) continue;
    try {
      confusionFromValue(value);
    } catch (error) {
      if (error instanceof InputError) misses.push({ key, line: record.line, reason: error.message });
    }
  }
}

function isArrayOfArrays(value: JsonValue): value is JsonValue[][] {
  return Array.isArray(value) && value.length > 1 && value.every((row) => Array.isArray(row));
}

/**
 * A CSV input: Kubeflow's `target,predicted,count` when its rows have three fields and the
 * third is a number (or the header names it `count`); otherwise per-sample rows under a header.
 */
function matrixFromCsv(text: string, name: string, labels: string[] | undefined, options: MatrixReadOptions): { form: MatrixForm; matrix: ConfusionMatrix } {
  try {
    const rows = parseCsv(text).filter((row) => !(row.length === 1 && (row[0] as string).trim() === ''));
    const first = rows[0];
    if (!first) throw new InputError('empty CSV file');
    const third = first[2];
    const kubeflow = options.actualCol === undefined && options.predictedCol === undefined && first.length === 3 && third !== undefined && (parseNumberCell(third) !== undefined || third.trim().toLowerCase() === 'count');
    if (kubeflow) return { form: 'kubeflow-csv', matrix: confusionFromKubeflowCsv(text, labels) };
    return { form: 'samples-csv', matrix: confusionFromPairs(pairsFromCsv(text, pairColumns(options)), labels) };
  } catch (error) {
    if (error instanceof InputError) throw new InputError(locateMessage(name, error.message));
    throw error;
  }
}
