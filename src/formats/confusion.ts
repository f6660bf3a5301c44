/**
 * Confusion matrices from every shape they arrive in, normalised to one form:
 * `{labels, matrix}` with rows = actual class and columns = predicted class, as
 * scikit-learn's `confusion_matrix` returns it.
 *
 * Shapes read here (README "Confusion matrices" documents them for users):
 * - Valohai metadata values (docs: metadata/index.rst):
 *   1. triples `[[x, y, v], …]`: x = predicted label, y = actual label (ConfusionMatrixDisplay
 *      puts predicted on the horizontal axis); missing pairs are 0, repeated pairs are summed;
 *   2. a square numeric array, rows actual, labels "0".."n-1";
 *   3. the same with a first row of string labels.
 * - Kubeflow's v1 `confusion_matrix` viewer CSV: headerless `target,predicted,count`.
 * - One record per sample (DVC's `confusion` template): CSV with a header, or JSON objects.
 *
 * Everything here is pure. Errors are `InputError`s whose message is the reason only
 * (`confusion matrix row 2 has 3 cells, expected 4`); callers prefix `file:line`.
 */
import { InputError } from '../core/errors.js';
import type { JsonObject, JsonValue, MetadataRecord } from '../core/types.js';

/** A confusion matrix: `matrix[i][j]` counts samples of actual class `labels[i]` predicted as `labels[j]`. */
export interface ConfusionMatrix {
  labels: string[];
  matrix: number[][];
}

/** How a matrix is scaled for display, with scikit-learn's `normalize=` meaning. */
export type Normalization = 'none' | 'true' | 'pred' | 'all';

/**
 * More labels than this is refused: sparse inputs (triples, CSV, samples) would otherwise let a
 * few lines of input allocate labels² cells. 2048² cells is 32 MiB of doubles.
 */
export const MAX_LABELS = 2048;

// ---------------------------------------------------------------------------------------------
// Metadata values: the three Valohai shapes

/**
 * Recognises a confusion matrix in any metadata value by its shape. Returns null for anything
 * that is not one of the three shapes or is one with bad data; exactly the values for which
 * `confusionFromValue` would throw.
 */
export function detectConfusionMatrix(value: JsonValue): ConfusionMatrix | null {
  // Cheap rejections first: this runs on every value of every record when scanning a log.
  if (!Array.isArray(value) || value.length === 0 || !Array.isArray(value[0])) return null;
  try {
    return confusionFromValue(value);
  } catch (error) {
    if (error instanceof InputError) return null;
    throw error;
  }
}

/**
 * Reads a metadata value in one of Valohai's three confusion-matrix shapes.
 *
 * Ambiguity rule: an array whose first row is all strings is the header form. Otherwise an
 * array of 3-cell rows is read as triples when a label cell (x or y) is a string or when the
 * row count is not 3; a square all-numeric array, 3×3 included, is a matrix.
 *
 * @throws InputError naming the first problem (ragged rows, a negative or non-finite count,
 *   a header whose label count does not match the rows, a duplicate label).
 */
export function confusionFromValue(value: JsonValue): ConfusionMatrix {
  if (!Array.isArray(value)) throw new InputError(`confusion matrix must be an array of rows, got ${describe(value)}`);
  if (value.length === 0) throw new InputError('confusion matrix is empty');
  const rows: JsonValue[][] = [];
  for (let i = 0; i < value.length; i++) {
    const row = value[i] as JsonValue;
    if (!Array.isArray(row)) throw new InputError(`confusion matrix row ${i + 1} is ${describe(row)}, expected an array`);
    rows.push(row);
  }
  const first = rows[0] as JsonValue[];
  if (first.length > 0 && first.every((cell) => typeof cell === 'string')) return fromHeaderForm(rows);
  if (looksLikeTriples(rows)) return fromTriples(rows);
  return fromSquare(rows, undefined, 0);
}

function looksLikeTriples(rows: JsonValue[][]): boolean {
  if (!rows.every((row) => row.length === 3)) return false;
  if (rows.length !== 3) return true;
  return rows.some((row) => typeof row[0] === 'string' || typeof row[1] === 'string');
}

function fromTriples(rows: JsonValue[][]): ConfusionMatrix {
  const index = new Map<string, number>();
  const labels: string[] = [];
  const intern = (label: string): number => {
    let at = index.get(label);
    if (at === undefined) {
      at = labels.length;
      if (at >= MAX_LABELS) throw new InputError(`confusion matrix has more than ${MAX_LABELS} labels`);
      index.set(label, at);
      labels.push(label);
    }
    return at;
  };
  // Validated and interned in one pass, x before y, so "first appearance" reads each triple left to right.
  const cells: Array<[actual: number, predicted: number, count: number]> = rows.map((row, i) => {
    const where = `confusion matrix triple ${i + 1}`;
    const predicted = intern(tripleLabel(row[0] as JsonValue, `${where}: predicted label (x)`));
    const actual = intern(tripleLabel(row[1] as JsonValue, `${where}: actual label (y)`));
    return [actual, predicted, checkCount(row[2] as JsonValue, `${where}: count`)];
  });
  const matrix = zeros(labels.length);
  for (const [actual, predicted, count] of cells) {
    const row = matrix[actual] as number[];
    row[predicted] = (row[predicted] as number) + count;
  }
  return { labels, matrix };
}

function tripleLabel(cell: JsonValue, where: string): string {
  if (typeof cell === 'string') return cell;
  if (typeof cell === 'number' && Number.isFinite(cell)) return String(cell);
  throw new InputError(`${where} is ${describe(cell)}, expected a string or a number`);
}

function fromHeaderForm(rows: JsonValue[][]): ConfusionMatrix {
  const labels = (rows[0] as JsonValue[]).map((cell) => cell as string);
  checkDistinct(labels, 'confusion matrix header');
  const body = rows.slice(1);
  if (body.length !== labels.length) {
    const hint = rows.every((row) => row.length === 3) ? ' (triples need a number in the third cell)' : '';
    throw new InputError(`confusion matrix header has ${labels.length} labels but there are ${body.length} rows below it${hint}`);
  }
  return fromSquare(body, labels, 1);
}

/** Rows of numbers, square. `offset` is how many rows came before (a header) for messages. */
function fromSquare(rows: JsonValue[][], labels: string[] | undefined, offset: number): ConfusionMatrix {
  const n = rows.length;
  if (n > MAX_LABELS) throw new InputError(`confusion matrix has more than ${MAX_LABELS} labels`);
  const matrix: number[][] = [];
  rows.forEach((row, i) => {
    const name = `confusion matrix row ${i + 1 + offset}`;
    if (row.length !== n) {
      const why = labels ? `${n} labels` : 'a confusion matrix must be square';
      throw new InputError(`${name} has ${row.length} cells, expected ${n} (${why})`);
    }
    matrix.push(row.map((cell, j) => checkCount(cell, `${name} cell ${j + 1}`)));
  });
  return { labels: labels ?? rows.map((_, i) => String(i)), matrix };
}

function checkCount(cell: JsonValue, where: string): number {
  if (typeof cell !== 'number') throw new InputError(`${where} is ${describe(cell)}, expected a number`);
  if (!Number.isFinite(cell)) throw new InputError(`${where} is ${String(cell)}, expected a finite number`);
  if (cell < 0) throw new InputError(`${where} is ${cell}, counts cannot be negative`);
  return cell;
}

function checkDistinct(labels: readonly string[], where: string): void {
  if (labels.length > MAX_LABELS) throw new InputError(`confusion matrix has more than ${MAX_LABELS} labels`);
  const seen = new Set<string>();
  for (const label of labels) {
    if (seen.has(label)) throw new InputError(`${where} lists the label ${JSON.stringify(label)} twice`);
    seen.add(label);
  }
}

function describe(value: JsonValue | undefined): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return `${typeof value} ${String(value)}`;
}

function zeros(n: number): number[][] {
  const matrix: number[][] = [];
  for (let i = 0; i < n; i++) matrix.push(new Array<number>(n).fill(0));
  return matrix;
}

// ---------------------------------------------------------------------------------------------
// Scanning records

/** How deep `findConfusionMatrices` looks into nested objects; metadata is rarely deeper than 3. */
const MAX_SCAN_DEPTH = 16;

/**
 * Finds confusion matrices among a record's values: top-level keys and keys of nested objects,
 * named with dotted paths (`val.cm`) as everywhere else in vizmeta. Arrays are not searched
 * inside; a matrix is itself an array.
 *
 * With `key`, only that key is read (an exact own key first, then a dotted path). Then a value
 * that is present but malformed throws the precise reason instead of being skipped, because the
 * user asked for it by name.
 */
export function findConfusionMatrices(values: JsonObject, key?: string): Array<{ key: string; matrix: ConfusionMatrix }> {
  if (key !== undefined) {
    const value = lookup(values, key);
    if (value === undefined) return [];
    return [{ key, matrix: confusionFromValue(value) }];
  }
  const found: Array<{ key: string; matrix: ConfusionMatrix }> = [];
  scan(values, '', 0, found);
  return found;
}

function scan(object: JsonObject, prefix: string, depth: number, found: Array<{ key: string; matrix: ConfusionMatrix }>): void {
  for (const name of Object.keys(object)) {
    const value = object[name] as JsonValue;
    const path = prefix === '' ? name : `${prefix}.${name}`;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      if (depth < MAX_SCAN_DEPTH) scan(value, path, depth + 1, found);
      continue;
    }
    const matrix = detectConfusionMatrix(value);
    if (matrix) found.push({ key: path, matrix });
  }
}

// Exact own key first, then the longest dotted prefix at each level, so keys containing dots resolve.
function lookup(values: JsonObject, path: string): JsonValue | undefined {
  let current: JsonValue = values;
  let rest = path;
  for (;;) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    const object: JsonObject = current;
    if (Object.hasOwn(object, rest)) return object[rest];
    let next: string | undefined;
    for (let dot = rest.lastIndexOf('.'); dot > 0; dot = rest.lastIndexOf('.', dot - 1)) {
      if (Object.hasOwn(object, rest.slice(0, dot))) {
        next = rest.slice(0, dot);
        break;
      }
    }
    if (next === undefined) return undefined;
    current = object[next] as JsonValue;
    rest = rest.slice(next.length + 1);
  }
}

// ---------------------------------------------------------------------------------------------
// CSV

/** One CSV record and where it starts. */
export interface CsvRecord {
  cells: string[];
  /** 1-based line of the text where the record starts (records may span lines inside quotes). */
  line: number;
}

/**
 * Parses CSV as RFC 4180 describes it: comma-separated fields, `"quoted"` fields that may hold
 * commas, line breaks and `""` for a quote, records ending in CRLF, LF or CR. A final line break
 * does not start an empty record; a blank line in the middle is a record of one empty field.
 * A leading byte-order mark is dropped. Lenient where the RFC is silent: a quote inside an
 * unquoted field is kept as text, and text after a closing quote is appended.
 *
 * @throws InputError for a quoted field that is never closed.
 */
export function parseCsv(text: string): string[][] {
  return parseCsvRecords(text).map((record) => record.cells);
}

/** `parseCsv` with the line each record starts on, for messages. */
export function parseCsvRecords(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const end = text.length;
  while (pos < end) {
    const startLine = line;
    const cells: string[] = [];
    let field = '';
    let done = false;
    while (!done) {
      if (text[pos] === '"') {
        // Quoted field.
        const quoteLine = line;
        pos++;
        for (;;) {
          if (pos >= end) throw new InputError(`CSV line ${quoteLine}: quoted field is never closed`);
          const next = text.indexOf('"', pos);
          if (next === -1) throw new InputError(`CSV line ${quoteLine}: quoted field is never closed`);
          const chunk = text.slice(pos, next);
          line += countLineBreaks(chunk);
          field += chunk;
          pos = next + 1;
          if (text[pos] === '"') {
            field += '"';
            pos++;
            continue;
          }
          break;
        }
      }
      // Unquoted text (or what follows a closing quote) up to the next delimiter.
      while (pos < end) {
        const ch = text[pos];
        if (ch === ',' || ch === '\n' || ch === '\r') break;
        field += ch;
        pos++;
      }
      cells.push(field);
      field = '';
      const ch = text[pos];
      if (ch === ',') {
        pos++;
        continue;
      }
      if (ch === '\r') pos += text[pos + 1] === '\n' ? 2 : 1;
      else if (ch === '\n') pos++;
      if (ch === '\r' || ch === '\n') line++;
      done = true;
    }
    records.push({ cells, line: startLine });
  }
  return records;
}

function countLineBreaks(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x0a) count++;
    else if (ch === 0x0d && text.charCodeAt(i + 1) !== 0x0a) count++;
  }
  return count;
}

function isBlank(record: CsvRecord): boolean {
  return record.cells.length === 1 && (record.cells[0] as string).trim() === '';
}

/**
 * Parses CSV into one object per row. The first row is the header unless `header` is given
 * (Kubeflow's `schema` names the columns of headerless files). Blank lines are skipped; cells
 * are kept as written (not trimmed).
 *
 * @throws InputError when a row has a different number of fields than the header.
 */
export function parseCsvObjects(text: string, header?: readonly string[]): Array<Record<string, string>> {
  const records = parseCsvRecords(text).filter((record) => !isBlank(record));
  let names: readonly string[];
  let body: CsvRecord[];
  if (header) {
    names = header;
    body = records;
  } else {
    if (records.length === 0) return [];
    names = (records[0] as CsvRecord).cells.map((name) => name.trim());
    body = records.slice(1);
  }
  return body.map((record) => {
    if (record.cells.length !== names.length) {
      throw new InputError(`CSV line ${record.line} has ${record.cells.length} fields, the header has ${names.length}`);
    }
    const row: Record<string, string> = Object.create(null) as Record<string, string>;
    names.forEach((name, i) => {
      row[name] = record.cells[i] as string;
    });
    return row;
  });
}

/** Strict number syntax for CSV cells: `Number()` alone would take `""` and `0x10`. */
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Reads a CSV cell as a number; `inf`, `Infinity` and `nan` as pandas and Python write them. */
export function parseNumberCell(text: string): number | undefined {
  const t = text.trim();
  if (NUMBER.test(t)) return Number(t);
  const lower = t.toLowerCase();
  if (lower === 'inf' || lower === '+inf' || lower === 'infinity' || lower === '+infinity') return Infinity;
  if (lower === '-inf' || lower === '-infinity') return -Infinity;
  if (lower === 'nan') return NaN;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Kubeflow

/**
 * Reads Kubeflow's v1 `confusion_matrix` viewer data: CSV rows `target,predicted,count`, no
 * header (a first row whose count is not a number is taken as a header and skipped). Labels
 * and counts are trimmed, as the Kubeflow UI does.
 *
 * With `labels` (the output's `labels` field) the matrix uses that order, and as in Kubeflow the
 * row count must be labels²; a label in the data that is not in the list is an error. Without,
 * labels are ordered by first appearance (target, then predicted, row by row).
 * Kubeflow keeps the last of repeated pairs; vizmeta sums them, as for Valohai triples.
 */
export function confusionFromKubeflowCsv(text: string, labels?: string[]): ConfusionMatrix {
  let records = parseCsvRecords(text).filter((record) => !isBlank(record));
  const head = records[0];
  if (head && head.cells.length === 3 && parseNumberCell(head.cells[2] as string) === undefined) records = records.slice(1);
  if (labels) {
    const wanted = labels.map((label) => label.trim());
    checkDistinct(wanted, 'the labels list');
    if (records.length !== wanted.length ** 2) {
      throw new InputError(`Data dimensions ${records.length} do not match the number of labels passed ${wanted.length}`);
    }
  }
  const builder = new MatrixBuilder(labels?.map((label) => label.trim()), labels !== undefined);
  for (const record of records) {
    const where = `CSV line ${record.line}`;
    if (record.cells.length !== 3) {
      throw new InputError(`${where} has ${record.cells.length} fields, expected 3 (target,predicted,count)`);
    }
    const [target, predicted, countText] = record.cells as [string, string, string];
    const count = parseNumberCell(countText);
    if (count === undefined) throw new InputError(`${where}: count ${JSON.stringify(countText)} is not a number`);
    if (!Number.isFinite(count)) throw new InputError(`${where}: count ${countText.trim()} is not finite`);
    if (count < 0) throw new InputError(`${where}: count ${count} is negative`);
    builder.add(target.trim(), predicted.trim(), count, where);
  }
  return builder.result();
}

/**
 * Accumulates counts into a matrix. With `closed`, only the given labels are allowed; otherwise
 * unseen labels are appended in order of first appearance.
 */
class MatrixBuilder {
  private readonly index = new Map<string, number>();
  private readonly labels: string[] = [];
  private readonly counts: Array<Map<number, number>> = [];

  constructor(initial: readonly string[] | undefined, private readonly closed: boolean) {
    if (initial) {
      checkDistinct(initial, 'the labels list');
      for (const label of initial) this.register(label);
    }
  }

  /** `where` names the input position for the error about a label outside a closed list. */
  add(actual: string, predicted: string, count: number, where: string): void {
    const i = this.indexOf(actual, where);
    const j = this.indexOf(predicted, where);
    const row = this.counts[i] as Map<number, number>;
    row.set(j, (row.get(j) ?? 0) + count);
  }

  private indexOf(label: string, where: string): number {
    const at = this.index.get(label);
    if (at !== undefined) return at;
    if (this.closed) throw new InputError(`${where}: label ${JSON.stringify(label)} is not in the labels list`);
    return this.register(label);
  }

  private register(label: string): number {
    const at = this.labels.length;
    if (at >= MAX_LABELS) throw new InputError(`confusion matrix has more than ${MAX_LABELS} labels`);
    this.index.set(label, at);
    this.labels.push(label);
    this.counts.push(new Map());
    return at;
  }

  result(): ConfusionMatrix {
    // Counts are kept sparse until the end so the label count is known before n² cells exist.
    const matrix = zeros(this.labels.length);
    this.counts.forEach((row, i) => {
      for (const [j, count] of row) (matrix[i] as number[])[j] = count;
    });
    return { labels: [...this.labels], matrix };
  }
}

// ---------------------------------------------------------------------------------------------
// One record per sample

/** One classified sample. */
export interface SamplePair {
  actual: string;
  predicted: string;
}

/**
 * Counts samples into a matrix, like scikit-learn's `confusion_matrix(y_true, y_pred)`.
 * `labels` fixes the order; unlike scikit-learn, labels found in the data but not in the list
 * are appended (in order of first appearance) rather than silently dropped. Without `labels`,
 * the order is first appearance (actual, then predicted, sample by sample).
 */
export function confusionFromPairs(pairs: Iterable<SamplePair>, labels?: string[]): ConfusionMatrix {
  const builder = new MatrixBuilder(labels, false);
  for (const pair of pairs) builder.add(pair.actual, pair.predicted, 1, 'sample');
  return builder.result();
}

/** Which columns hold the actual and predicted class of a sample. */
export interface PairColumns {
  /** Column with the true class. Default: the first of `actual`, `target`, `y_true`, `label` present. */
  actual?: string;
  /** Column with the predicted class. Default: the first of `predicted`, `y_pred`, `prediction` present. */
  predicted?: string;
}

/** Column names tried, in order, when none is given. */
export const ACTUAL_COLUMNS: readonly string[] = ['actual', 'target', 'y_true', 'label'];
export const PREDICTED_COLUMNS: readonly string[] = ['predicted', 'y_pred', 'prediction'];

function pickColumn(names: readonly string[], given: string | undefined, candidates: readonly string[]): string | undefined {
  if (given !== undefined) return names.includes(given) ? given : undefined;
  for (const candidate of candidates) if (names.includes(candidate)) return candidate;
  for (const candidate of candidates) {
    const match = names.find((name) => name.toLowerCase() === candidate);
    if (match !== undefined) return match;
  }
  return undefined;
}

function columnsError(names: readonly string[], columns: PairColumns): InputError {
  const missing: string[] = [];
  if (pickColumn(names, columns.actual, ACTUAL_COLUMNS) === undefined) {
    missing.push(columns.actual !== undefined ? `actual column ${JSON.stringify(columns.actual)}` : `an actual column (${ACTUAL_COLUMNS.join(', ')})`);
  }
  if (pickColumn(names, columns.predicted, PREDICTED_COLUMNS) === undefined) {
    missing.push(columns.predicted !== undefined ? `predicted column ${JSON.stringify(columns.predicted)}` : `a predicted column (${PREDICTED_COLUMNS.join(', ')})`);
  }
  return new InputError(`no ${missing.join(' and no ')} among ${names.map((name) => JSON.stringify(name)).join(', ')}`);
}

/**
 * Reads per-sample CSV (with a header row) into pairs. Cells are trimmed.
 * @throws InputError when the columns are missing or a row is ragged.
 */
export function pairsFromCsv(text: string, columns: PairColumns = {}): SamplePair[] {
  const records = parseCsvRecords(text).filter((record) => !isBlank(record));
  const head = records[0];
  if (!head) throw new InputError('CSV has no header row');
  const names = head.cells.map((name) => name.trim());
  const actualCol = pickColumn(names, columns.actual, ACTUAL_COLUMNS);
  const predictedCol = pickColumn(names, columns.predicted, PREDICTED_COLUMNS);
  if (actualCol === undefined || predictedCol === undefined) throw columnsError(names, columns);
  const a = names.indexOf(actualCol);
  const p = names.indexOf(predictedCol);
  return records.slice(1).map((record) => {
    if (record.cells.length !== names.length) {
      throw new InputError(`CSV line ${record.line} has ${record.cells.length} fields, the header has ${names.length}`);
    }
    return { actual: (record.cells[a] as string).trim(), predicted: (record.cells[p] as string).trim() };
  });
}

/**
 * Reads per-sample JSON objects (one JSON line per sample) into pairs. Objects with neither
 * column are skipped, since a log mixes samples with other metadata; an object with only one,
 * or a class that is not a string, number or boolean, is an error. Errors name `source:line`
 * for records, `object N` (1-based) for plain objects.
 */
export function pairsFromObjects(objects: Iterable<JsonObject | MetadataRecord>, columns: PairColumns = {}): SamplePair[] {
  const pairs: SamplePair[] = [];
  let n = 0;
  for (const item of objects) {
    n++;
    const record = isRecord(item) ? item : undefined;
    const values = record ? record.values : (item as JsonObject);
    const where = record ? `${record.source}:${record.line}` : `object ${n}`;
    const names = Object.keys(values);
    const actualCol = pickColumn(names, columns.actual, ACTUAL_COLUMNS);
    const predictedCol = pickColumn(names, columns.predicted, PREDICTED_COLUMNS);
    if (actualCol === undefined && predictedCol === undefined) continue;
    if (actualCol === undefined || predictedCol === undefined) throw new InputError(`${where}: ${columnsError(names, columns).message}`);
    pairs.push({
      actual: classText(values[actualCol] as JsonValue, `${where}: ${actualCol}`),
      predicted: classText(values[predictedCol] as JsonValue, `${where}: ${predictedCol}`),
    });
  }
  return pairs;
}

function isRecord(item: JsonObject | MetadataRecord): item is MetadataRecord {
  const candidate = item as Partial<MetadataRecord>;
  return (
    typeof candidate.source === 'string' &&
    typeof candidate.line === 'number' &&
    typeof candidate.time === 'string' &&
    candidate.values !== null &&
    typeof candidate.values === 'object' &&
    !Array.isArray(candidate.values)
  );
}

function classText(value: JsonValue, where: string): string {
  if (typeof value === 'string') return value;
  if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean') return String(value);
  throw new InputError(`${where} is ${describe(value)}, expected a class label (string, number or boolean)`);
}

// ---------------------------------------------------------------------------------------------
// Normalisation

/**
 * Scales a matrix the way scikit-learn's `confusion_matrix(normalize=…)` does: `true` divides
 * each row by its sum (recall per cell), `pred` each column (precision per cell), `all` by the
 * grand total. A row, column or matrix that sums to 0 stays 0 (sklearn's nan_to_num). Returns a
 * new matrix.
 */
export function normalizeMatrix(m: number[][], mode: Normalization): number[][] {
  if (mode === 'none') return m.map((row) => [...row]);
  if (mode === 'true') {
    return m.map((row) => {
      const sum = row.reduce((a, b) => a + b, 0);
      return row.map((v) => (sum === 0 ? 0 : v / sum));
    });
  }
  if (mode === 'pred') {
    const sums: number[] = [];
    for (const row of m) row.forEach((v, j) => (sums[j] = (sums[j] ?? 0) + v));
    return m.map((row) => row.map((v, j) => ((sums[j] ?? 0) === 0 ? 0 : v / (sums[j] as number))));
  }
  let total = 0;
  for (const row of m) for (const v of row) total += v;
  return m.map((row) => row.map((v) => (total === 0 ? 0 : v / total)));
}
