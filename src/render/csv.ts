/**
 * CSV output (RFC 4180). Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` as a
 * formula, so a text cell from a log that starts with one of those (or with a tab or CR) is
 * written with a leading apostrophe: `=HYPERLINK(...)` becomes `'=HYPERLINK(...)`. Numbers are
 * written as numbers, so `-0.5` stays `-0.5`.
 */
export type CsvCell = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(cell: CsvCell): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : Number.isNaN(cell) ? 'NaN' : cell > 0 ? 'Infinity' : '-Infinity';
  if (typeof cell === 'boolean') return cell ? 'true' : 'false';
  let text = cell;
  if (FORMULA_START.test(text)) text = `'${text}`;
  if (/[",\r\n]/.test(text)) return `"${text.replace(/"/g, '""')}"`;
  return text;
}

export function csvRow(cells: readonly CsvCell[]): string {
  return cells.map(csvCell).join(',');
}
