/**
 * What Kubeflow's output viewers hold, from their CSV sources: a table (named columns, which are
 * numeric), a confusion matrix analysed for the report, a ROC curve with its AUC. Pure: the
 * output's declaration and its source text in, plain data out (bad data throws InputError).
 */
import { basename } from 'node:path';
import { InputError } from '../core/errors.js';
import { confusionFromKubeflowCsv, parseCsv, parseNumberCell } from '../formats/confusion.js';
import { OUTPUT_TYPES, type LoadedSource, type SourceLocation, type UiOutput } from '../formats/kubeflow-ui.js';
import { locateMessage } from '../formats/visual-input.js';
import { analyseMatrix, type MatrixAnalysis } from './matrix.js';
import { auc, rocFromGeneratedCsv, type RocCurve } from './roc.js';
import { maxOf } from '../core/numbers.js';

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
  const width = maxOf(rows.map((row) => row.length), header.length);
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

/**
 * What one output shows, decided from its declaration, where its data is and what was read
 * there. Bad data is an `error` naming the file, the output and (for CSV) the line, never a throw.
 */
export type OutputView =
  | { kind: 'unknown' }
  | { kind: 'web-app'; location: SourceLocation; size: number | undefined }
  | { kind: 'tensorboard' }
  | { kind: 'remote'; url: string }
  | { kind: 'markdown'; text: string }
  | { kind: 'table'; table: ViewTable }
  | { kind: 'confusion_matrix'; analysis: MatrixAnalysis; name: string }
  | { kind: 'roc'; roc: { curve: RocCurve; auc: number }; name: string }
  | { kind: 'error'; message: string };

/** A message about a source's data with the quoted cells taken out (`count "x" is not a number` → `count (a value) is not a number`). */
function withoutValues(message: string): string {
  return message.replace(/"(?:[^"\\]|\\.)*"/g, '(a value)');
}

export function outputView(output: UiOutput, location: SourceLocation, loaded: LoadedSource, file: string): OutputView {
  const type = output.type;
  if (!(OUTPUT_TYPES as readonly string[]).includes(type)) return { kind: 'unknown' };
  if (type === 'web-app') return { kind: 'web-app', location, size: loaded.kind === 'size' ? loaded.size : undefined };
  if (type === 'tensorboard') return { kind: 'tensorboard' };
  // A remote source is shown when it was fetched (`view --allow-remote`), else named.
  if (location.kind === 'remote' && loaded.kind === 'none') return { kind: 'remote', url: location.url };
  const name = location.kind === 'local' ? basename(output.source ?? location.path) : location.kind === 'remote' ? basename(location.url.split('?')[0] ?? location.url) : `output ${output.index}`;
  try {
    if (loaded.kind === 'error') throw loaded.error;
    const text = loaded.kind === 'text' ? loaded.text : '';
    if (type === 'markdown') return { kind: 'markdown', text };
    if (output.format !== undefined && output.format !== 'csv') throw new InputError(`format ${JSON.stringify(output.format)} is not supported; Kubeflow reads only csv`);
    if (type === 'table') return { kind: 'table', table: tableOf(output, text) };
    if (type === 'confusion_matrix') return { kind: 'confusion_matrix', analysis: confusionOf(output, text), name };
    return { kind: 'roc', roc: rocOf(output, text), name };
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    const data = location.kind === 'local' ? (output.source ?? location.path) : location.kind === 'remote' ? location.url : 'inline source';
    // What the source holds is not quoted: it may be a file the metadata should not have named.
    const message = /^(ROC )?CSV line \d+/.test(error.message) ? locateMessage(data, withoutValues(error.message)) : error.message;
    return { kind: 'error', message: `${file}: output ${output.index} (${type}): ${message}` };
  }
}
