/**
 * CSV output (RFC 4180). Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` as a
 * formula, so a text cell from a log that starts with one of those (or with a tab or CR) is
 * written with a leading apostrophe: `=HYPERLINK(...)` becomes `'=HYPERLINK(...)`. Numbers are
 * written as numbers, so `-0.5` stays `-0.5`. A cell starting with `::` is quoted and a later
 * line of a cell starting with `::` gets a backslash, so no CSV line starts with a workflow command.
 */
export type CsvCell = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

/** A cell's first line that GitHub's runner would read as a workflow command (it trims white space first). */
const WORKFLOW_START = /^\s*::/u;
/** A later line of a multi-line cell that would. */
const WORKFLOW_LINE = /([\r\n][^\S\r\n]*)::/gu;

export function csvCell(cell: CsvCell): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : Number.isNaN(cell) ? 'NaN' : cell > 0 ? 'Infinity' : '-Infinity';
  if (typeof cell === 'boolean') return cell ? 'true' : 'false';
  let text = cell;
  if (FORMULA_START.test(text)) text = `'${text}`;
  // No line of CSV may start with a log's `::` (GitHub reads one on stdout as a workflow command):
  // a cell starting with one is quoted, so its line starts with `"` and the data stays the same;
  // a later line of a multi-line cell gets `\` before it, as text output does.
  if (/[\r\n]/.test(text)) text = text.replace(WORKFLOW_LINE, '$1\\::');
  if (/[",\r\n]/.test(text) || WORKFLOW_START.test(text)) return `"${text.replace(/"/g, '""')}"`;
  return text;
}

export function csvRow(cells: readonly CsvCell[]): string {
  return cells.map(csvCell).join(',');
}
