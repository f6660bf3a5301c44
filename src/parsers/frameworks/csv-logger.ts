/**
 * Metric CSVs written by training loggers:
 * - Lightning's `CSVLogger` (`<save_dir>/<name>/version_N/metrics.csv`): columns are every key ever
 *   logged, sorted (`epoch`, `step`, then metrics); each `log_metrics` call is one row, and a key
 *   not logged in that call is a blank cell. Train-step, validation and train-epoch metrics come as
 *   separate rows with the same step.
 * - Keras' `CSVLogger` (any file name): `epoch` (0-based) then the sorted keys of the first epoch's
 *   logs; a key missing in a later epoch (validation every n epochs) is written as `NA`.
 * Both write through Python's csv module (excel dialect, `\r\n`, quotes only when needed).
 */
import type { JsonObject } from '../../core/types.js';
import { defineKey } from '../json.js';
import { cellValue, stripBom, type FrameworkRecord, type FrameworkRun, type FrameworkWarning } from './framework-record.js';

/** One row of a delimited text: its cells, unquoted, and the 1-based line it starts on. */
export interface DelimitedRow {
  cells: string[];
  line: number;
}

/**
 * Splits CSV/TSV text into rows the way Python's csv reader does: `"` quotes a cell that starts
 * with it (`""` inside is one quote, and newlines inside stay in the cell), `\r\n`, `\n` and `\r`
 * end a row, blank lines are skipped. An unterminated quote at the end is a warning and the row is
 * dropped. Written here because the reader must keep each row's line number and must not stop at
 * a ragged row, which a general CSV library does not give cheaply.
 */
export function parseDelimited(text: string, delimiter: string): { rows: DelimitedRow[]; warnings: Array<{ line: number; message: string }> } {
  const rows: DelimitedRow[] = [];
  const warnings: Array<{ line: number; message: string }> = [];
  const s = stripBom(text);
  const d = delimiter.charCodeAt(0);
  let line = 1;
  let i = 0;
  while (i < s.length) {
    const start = line;
    const cells: string[] = [];
    let cell = '';
    let quoted = false;
    let unterminated = false;
    // One row: cells until an unquoted line end or the end of the text.
    for (;;) {
      if (i >= s.length) {
        if (quoted) unterminated = true;
        cells.push(cell);
        break;
      }
      const c = s.charCodeAt(i);
      if (quoted) {
        if (c === 0x22) {
          if (s.charCodeAt(i + 1) === 0x22) { cell += '"'; i += 2; continue; }
          quoted = false;
          i++;
          continue;
        }
        if (c === 0x0a || (c === 0x0d && s.charCodeAt(i + 1) !== 0x0a)) line++;
        cell += s[i];
        i++;
        continue;
      }
      if (c === d) { cells.push(cell); cell = ''; i++; continue; }
      if (c === 0x0d || c === 0x0a) {
        cells.push(cell);
        i += c === 0x0d && s.charCodeAt(i + 1) === 0x0a ? 2 : 1;
        line++;
        break;
      }
      // A quote opens a quoted cell only at the cell's start; elsewhere it is text, as in Python.
      if (c === 0x22 && cell === '') { quoted = true; i++; continue; }
      cell += s[i];
      i++;
    }
    if (unterminated) {
      warnings.push({ line: start, message: 'unterminated quoted cell; row skipped' });
      continue;
    }
    if (cells.length === 1 && cells[0] === '') continue; // blank line
    rows.push({ cells, line: start });
  }
  return { rows, warnings };
}

/** The delimiter of a header line: tab or semicolon when the line has them and no comma (Keras' `separator`), else comma. */
function detectDelimiter(headerLine: string): string {
  if (headerLine.includes(',')) return ',';
  if (headerLine.includes('\t')) return '\t';
  if (headerLine.includes(';')) return ';';
  return ',';
}

function firstLine(text: string): string {
  const s = stripBom(text);
  const end = s.search(/\r|\n/);
  return end < 0 ? s : s.slice(0, end);
}

/**
 * Reads a Lightning or Keras metrics CSV: one record per row, as logged (rows with the same step are
 * not merged: each is one logging call). Blank and `NA` cells are keys absent from that row;
 * numbers (`nan`, `inf`, `-inf`, `NaN` too) are numbers, other cells strings. A row whose cell
 * count differs from the header's is a warning naming its line (a file cut mid-write ends so).
 */
export function parseMetricsCsv(text: string): FrameworkRun {
  const warnings: FrameworkWarning[] = [];
  const records: FrameworkRecord[] = [];
  const table = parseDelimited(text, detectDelimiter(firstLine(text)));
  warnings.push(...table.warnings);
  const header = table.rows[0];
  if (!header) {
    warnings.push({ message: 'empty file' });
    return { records, warnings };
  }
  const names = header.cells;
  // Which columns to read: an unnamed column (pandas' index written with to_csv) has no key to
  // give; a repeated name would silently overwrite, so the later column wins and says so.
  const seen = new Set<string>();
  const columns: number[] = [];
  names.forEach((name, index) => {
    if (name === '') {
      warnings.push({ line: header.line, message: `column ${index + 1} has no name; skipped` });
      return;
    }
    if (seen.has(name)) warnings.push({ line: header.line, message: `column "${name}" appears twice; the later one is read` });
    seen.add(name);
    columns.push(index);
  });

  for (const row of table.rows.slice(1)) {
    if (row.cells.length !== names.length) {
      warnings.push({ line: row.line, message: `${row.cells.length} cells, header has ${names.length}; row skipped` });
      continue;
    }
    const values: JsonObject = {};
    for (const index of columns) {
      const cell = row.cells[index]!;
      if (cell === '' || cell === 'NA') continue;
      defineKey(values, names[index]!, cellValue(cell));
    }
    records.push({ values, line: row.line });
  }
  return { records, warnings };
}

/**
 * Whether a file is a metrics CSV, from its name and first bytes: a `.csv`/`.tsv` whose header names
 * a `step` or `epoch` column among non-numeric names (so Kubeflow's header-less confusion-matrix
 * and ROC CSVs, and `actual,predicted` samples, are not taken), and whose next complete line, if
 * any, has as many cells. Keras' docs name the file `training.log`, so a `.log`/`.txt` counts too
 * when its header starts with `epoch` exactly as Keras writes it.
 */
export function looksLikeMetricsCsv(name: string, head: string): boolean {
  const lower = name.toLowerCase();
  const csvName = lower.endsWith('.csv') || lower.endsWith('.tsv');
  const logName = lower.endsWith('.log') || lower.endsWith('.txt');
  if (!csvName && !logName) return false;
  const headerLine = firstLine(head);
  if (headerLine.includes('{')) return false;
  // Only complete lines: the head may cut the last one short (a head with no newline is a one-line file).
  const body = stripBom(head);
  const lastNewline = body.lastIndexOf('\n');
  const complete = lastNewline < 0 ? body : body.slice(0, lastNewline + 1);
  const { rows } = parseDelimited(complete, detectDelimiter(headerLine));
  const header = rows[0]?.cells;
  if (!header || header.length < 2) return false;
  if (header.some((cell) => cell.trim() === '' || cellValue(cell) !== cell)) return false;
  if (logName ? header[0] !== 'epoch' : !header.includes('step') && !header.includes('epoch')) return false;
  const second = rows[1];
  return second === undefined || second.cells.length === header.length;
}
