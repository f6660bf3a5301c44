/**
 * What Kubeflow's output viewers hold, from their CSV sources: a table (named columns, which are
 * numeric), a confusion matrix analysed for the report, a ROC curve with its AUC. Pure: the
 * output's declaration and its source text in, plain data out (bad data throws InputError).
 */
import { confusionFromKubeflowCsv, parseCsv, parseNumberCell } from '../formats/confusion.js';
import type { UiOutput } from '../formats/kubeflow-ui.js';
import { analyseMatrix, type MatrixAnalysis } from './matrix.js';
import { auc, rocFromGeneratedCsv, type RocCurve } from './roc.js';

/** A `table` output: its column names (the header, or `column N`), its rows, and which columns hold only numbers. */
export interface ViewTable {
  names: string[];
  rows: string[][];
  numeric: boolean[];
}

function isNumericColumn(rows: readonly string[][], i: number): boolean {
  let seen = false;
  for (const row of rows) {
    const cell = (row[i] ?? '').trim();
    if (cell === '') continue;
    if (parseNumberCell(cell) === undefined) return false;
    seen = true;
  }
  return seen;
}

export function tableOf(output: UiOutput, text: string): ViewTable {
  let rows = parseCsv(text.trim()).map((row) => row.map((cell) => cell.trim()));
  rows = rows.filter((row) => !(row.length === 1 && row[0] === ''));
  let header = output.header;
  if (!header) {
    header = rows[0] ?? [];
    rows = rows.slice(1);
  }
  const width = Math.max(header.length, ...rows.map((row) => row.length));
  const names = Array.from({ length: width }, (_, i) => header?.[i] ?? `column ${i + 1}`);
  return { names, rows, numeric: names.map((_, i) => isNumericColumn(rows, i)) };
}

/** A `confusion_matrix` output (Kubeflow's `target,predicted,count` CSV), analysed, counts shown. */
export function confusionOf(output: UiOutput, text: string): MatrixAnalysis {
  return analyseMatrix(confusionFromKubeflowCsv(text.trim(), output.labels), 'none');
}

/** A `roc` output (headerless `fpr,tpr,thresholds`, its schema naming the columns) and its AUC. */
export function rocOf(output: UiOutput, text: string): { curve: RocCurve; auc: number } {
  let data = text.trim();
  // The schema names the columns of the headerless CSV; Kubeflow requires fpr, tpr and threshold*.
  const firstRow = parseCsv(data)[0];
  if (output.schema && output.schema.length >= 3 && firstRow && firstRow.every((cell) => parseNumberCell(cell) !== undefined)) {
    data = `${output.schema.join(',')}\n${data}`;
  }
  const curve = rocFromGeneratedCsv(data);
  return { curve, auc: auc(curve.fpr, curve.tpr) };
}
