/**
 * `compare`'s tables: latest values with deltas against the baseline (coloured better or worse),
 * and the merged rows of `--join`, as text, markdown, CSV or JSON. Pure: data in, string out.
 */
import { csvValue, formatDelta, formatValue, jsonValue, renderCsvTable, renderMarkdownTable, renderTextTable, type CellInput, type Column } from './table.js';
import { escapeForTerminal } from '../core/escape.js';
import { folderNote } from '../core/names.js';
import { verdict, type ComparedKey } from '../analyse/compare.js';
import type { JoinedTable } from '../input/executions.js';
import type { JsonValue } from '../core/types.js';
import { lookupKey, type ExecutionSummary } from '../analyse/summary.js';
import { renderChart } from './chart.js';
import type { TableFormat } from '../core/format.js';

/** Text options of the comparison tables; `folder` is the one shortened names share, said once under the table. */
export interface CompareView {
  color: boolean;
  width: number;
  folder?: string | undefined;
}

function folderLine(format: TableFormat, view: CompareView): string {
  return format === 'text' && view.folder !== undefined ? `${escapeForTerminal(folderNote(view.folder))}\n` : '';
}

/** A direction for people: `↑`/`↓` in text, `higher is better`/`lower is better` in markdown; nothing for none. */
function directionText(direction: ComparedKey['direction'], markdown: boolean): string {
  if (direction === 'neutral') return '';
  if (markdown) return direction === 'max' ? 'higher is better' : 'lower is better';
  return direction === 'max' ? '↑' : '↓';
}

/**
 * The comparison: a table of step keys and metrics (latest values, deltas against the baseline,
 * better or worse only where the metric has a direction), then a table of settings side by side
 * (a value that differs from the baseline's marked `≠`). JSON and CSV hold every row, with its
 * role.
 */
export function renderComparison(rows: readonly ComparedKey[], names: readonly string[], executions: readonly string[], format: TableFormat, options: CompareView): string {
  if (format === 'json') {
    return JSON.stringify({
      baseline: executions[0],
      executions,
      keys: rows.map((row) => ({
        key: row.key,
        role: row.role,
        direction: row.direction,
        values: row.values.map((value, i) => ({
          execution: executions[i],
          value: jsonValue(value),
          delta: i === 0 ? null : jsonValue(row.deltas[i]),
          change: i === 0 ? null : verdict(row.deltas[i], row.direction) ?? null,
          ...(row.role === 'setting' ? { differs: row.differs[i] ?? false } : {}),
        })),
      })),
    }, null, 2) + '\n';
  }
  if (format === 'csv') {
    const headers = ['key', 'direction', 'role', ...executions.flatMap((execution, i) => (i === 0 ? [execution] : [execution, `${execution} delta`]))];
    return renderCsvTable(headers, rows.map((row) => [row.key, row.direction, row.role, ...row.values.flatMap((value, i) => (i === 0 ? [csvValue(value)] : [csvValue(value), csvValue(row.deltas[i])]))]));
  }
  const markdown = format === 'markdown';
  const valueColumns = names.map((name, i): Column => ({ header: i === 0 ? `${name} (base)` : name, align: 'right', shrink: false }));
  const tables: string[] = [];
  const measured = rows.filter((row) => row.role !== 'setting');
  if (measured.length > 0) {
    const columns: Column[] = [{ header: 'key', keep: true }, { header: markdown ? 'direction' : 'dir', keep: true }, ...valueColumns];
    const body = measured.map((row): CellInput[] => [
      row.key,
      directionText(row.direction, markdown),
      ...row.values.map((value, i): CellInput => {
        if (value === undefined) return { text: '–', tone: 'dim' };
        const text = formatValue(value);
        if (i === 0) return text;
        const delta = row.deltas[i];
        if (delta === undefined) return text;
        const change = verdict(delta, row.direction);
        if (markdown) return { text: `${text} (${formatDelta(delta, 4)}${change ? `, ${change}` : ''})`, ...(change === 'worse' ? { tone: 'strong' as const } : {}) };
        // Without colour the verdict is written out: a CI log must say which way a change went.
        const said = change && !options.color ? `, ${change}` : '';
        return { text: `${text} (${formatDelta(delta, 4)}${said})`, ...(change ? { tone: change === 'better' ? 'good' as const : 'bad' as const } : {}) };
      }),
    ]);
    tables.push(markdown ? renderMarkdownTable(columns, body) : renderTextTable(columns, body, { color: options.color, maxWidth: options.width }));
  }
  const settings = rows.filter((row) => row.role === 'setting');
  if (settings.length > 0) {
    const columns: Column[] = [{ header: 'setting', keep: true }, ...valueColumns];
    const body = settings.map((row): CellInput[] => [
      row.key,
      ...row.values.map((value, i): CellInput => {
        if (value === undefined) return { text: '–', tone: 'dim' };
        const text = formatValue(value);
        return row.differs[i] === true ? { text: `≠ ${text}`, tone: 'warn' } : text;
      }),
    ]);
    tables.push(markdown ? renderMarkdownTable(columns, body) : renderTextTable(columns, body, { color: options.color, maxWidth: options.width }));
  }
  // A blank line between the tables: markdown needs it to end the first; people read it as two.
  return tables.join('\n') + (markdown ? '' : folderLine(format, options));
}

/** The merged rows of a join as a table: the key, then `name:key` for every input and key. */
export function renderJoined(joined: JoinedTable, joinKey: string, names: readonly string[], keys: readonly string[] | undefined, format: TableFormat, options: CompareView): string {
  const columns: Array<{ input: number; key: string; header: string }> = [];
  const shown = keys ?? [...new Set(joined.keys.flat())];
  for (const key of shown) {
    names.forEach((name, input) => {
      if (keys !== undefined || (joined.keys[input] ?? []).includes(key)) columns.push({ input, key, header: `${key} [${name}]` });
    });
  }
  const valueAt = (row: JoinedTable['rows'][number], column: { input: number; key: string }): JsonValue | undefined => row.cells[column.input]?.get(column.key);
  if (format === 'json') {
    const rows = joined.rows.map((row) => {
      const out: Record<string, unknown> = {};
      const set = (name: string, value: unknown): void => { Object.defineProperty(out, name, { value: jsonValue(value), enumerable: true, writable: true, configurable: true }); };
      set(joinKey, row.value);
      for (const column of columns) set(column.header, valueAt(row, column));
      return out;
    });
    return JSON.stringify(rows, null, 2) + '\n';
  }
  if (format === 'csv') return renderCsvTable([joinKey, ...columns.map((column) => column.header)], joined.rows.map((row) => [csvValue(row.value), ...columns.map((column) => csvValue(valueAt(row, column)))]));
  const tableColumns: Column[] = [{ header: joinKey, align: 'right', keep: true }, ...columns.map((column): Column => ({ header: column.header, align: 'right' }))];
  const body = joined.rows.map((row): CellInput[] => [formatValue(row.value), ...columns.map((column): CellInput => {
    const value = valueAt(row, column);
    return value === undefined ? { text: '–', tone: 'dim' } : formatValue(value);
  })]);
  if (format === 'markdown') return renderMarkdownTable(tableColumns, body);
  return renderTextTable(tableColumns, body, { color: options.color, maxWidth: options.width }) + folderLine(format, options);
}

const CHART_HEIGHT = 10;

/** One chart per key, every execution's history overlaid; keys no execution has a history of are left out. */
export function renderCompareCharts(executions: readonly ExecutionSummary[], keys: readonly string[], names: readonly string[], options: CompareView): string {
  let out = '';
  for (const key of keys) {
    const series = executions.map((execution, i) => ({ label: names[i] ?? execution.execution, points: lookupKey(execution, key)?.history ?? [] }));
    if (series.every((s) => s.points.length === 0)) continue;
    out += '\n' + renderChart(series, { width: options.width, height: CHART_HEIGHT, color: options.color, title: key, xLabel: 'step' }) + '\n';
  }
  return out;
}
