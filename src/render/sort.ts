/**
 * `sort`'s ranking as text (short names, a sparkline of the key's history), markdown, CSV or
 * JSON. Pure: a SortView in, a string out.
 */
import { sparkline } from './sparkline.js';
import { painter } from './colors.js';
import { escapeForTerminal } from '../core/escape.js';
import { formatValue, jsonValue, csvValue, renderCsvTable, renderMarkdownTable, renderTextTable, wrapText, type CellInput, type Column } from './table.js';
import { folderNote, shortNames } from '../core/names.js';
import { aggregateOf, lookupKey, type ExecutionSummary } from '../analyse/summary.js';
import { aggregateLabel, type SortOrder, type SortView } from '../analyse/sort.js';
import type { JsonValue } from '../core/types.js';
import type { TableFormat } from '../core/format.js';

export type { SortView };

function historyOf(execution: ExecutionSummary, key: string): number[] {
  return (lookupKey(execution, key)?.history ?? []).map((point) => point.y);
}

function valueCell(value: JsonValue | undefined, missingText = 'missing', missingTone: 'warn' | 'dim' = 'warn'): CellInput {
  if (value === undefined) return { text: missingText, tone: missingTone };
  if (typeof value === 'number' && !Number.isFinite(value)) return { text: formatValue(value), tone: 'bad' };
  return formatValue(value);
}

const SPARK_WIDTH = 12;

/**
 * The line that says which way a ranking runs and why: `sorted by val_loss, lowest first: lower
 * is better`; for a key with no direction, what chose the order and how to choose another.
 */
export function sortCaption(label: string, key: string, order: SortOrder): string {
  const first = order.ascending ? 'lowest first' : 'highest first';
  const better = order.tendency === 'max' ? 'higher is better' : order.tendency === 'min' ? 'lower is better' : undefined;
  switch (order.chosenBy) {
    case 'direction':
      return `sorted by ${label}, ${first}: ${better ?? ''}`;
    case 'default':
      return `sorted by ${label}, ${first}: no direction known for ${key}; --asc, --higher-is-better or --lower-is-better to choose`;
    case 'asc':
    case 'desc':
      return `sorted by ${label}, ${first} (--${order.chosenBy})${better !== undefined ? `; ${better}` : ''}`;
  }
}

export function renderSort(view: SortView, format: TableFormat, options: { color: boolean; width: number }): string {
  const label = aggregateLabel(view.key, view.aggregate);
  const extra = (view.aggregates ?? []).map((item) => ({ ...item, label: aggregateLabel(item.key, item.aggregate) }));
  if (format === 'json') {
    const rows = view.rows.map((row) => {
      const out: Record<string, unknown> = { execution: row.execution.execution };
      // defineProperty: a key named `__proto__` stays data.
      const set = (name: string, value: unknown): void => { Object.defineProperty(out, name, { value: jsonValue(value), enumerable: true, writable: true, configurable: true }); };
      set(label, row.value);
      for (const item of extra) set(item.label, aggregateOf(row.execution, item.key, item.aggregate));
      for (const key of view.others) set(key, aggregateOf(row.execution, key, 'latest'));
      return out;
    });
    return JSON.stringify(rows, null, 2) + '\n';
  }
  if (format === 'csv') {
    return renderCsvTable(['execution', label, ...extra.map((item) => item.label), ...view.others], view.rows.map((row) => [
      row.execution.execution, csvValue(row.value),
      ...extra.map((item) => csvValue(aggregateOf(row.execution, item.key, item.aggregate))),
      ...view.others.map((key) => csvValue(aggregateOf(row.execution, key, 'latest'))),
    ]));
  }
  const markdown = format === 'markdown';
  // People read short names (`run-4.log`, and once where they are); markdown keeps the file as given.
  const short = shortNames(view.rows.map((row) => row.execution.execution));
  const columns: Column[] = [
    { header: '#', align: 'right', keep: true },
    { header: 'execution', cut: 'start', name: true },
    { header: label, align: 'right', keep: true },
    { header: 'history', keep: true },
    ...extra.map((item): Column => ({ header: item.label, align: 'right', shrink: false })),
    ...view.others.map((key): Column => ({ header: key, align: 'right', shrink: false })),
  ];
  const body = view.rows.map((row, i): CellInput[] => [
    row.rank === undefined ? { text: '–', tone: 'dim' } : String(row.rank),
    markdown ? row.execution.execution : short.names[i] ?? row.execution.execution,
    valueCell(row.value, `no ${view.key}`),
    { text: sparkline(historyOf(row.execution, view.key), SPARK_WIDTH), safe: true },
    ...extra.map((item) => valueCell(aggregateOf(row.execution, item.key, item.aggregate), '–', 'dim')),
    ...view.others.map((key) => valueCell(aggregateOf(row.execution, key, 'latest'), '–', 'dim')),
  ]);
  const lacking = view.rows.filter((row) => row.rank === undefined).length;
  const notes: string[] = [];
  if (lacking > 0) notes.push(`${lacking} execution${lacking === 1 ? '' : 's'} without ${view.key}, listed last`);
  if (view.hidden > 0) notes.push(`${view.hidden} more not shown (--limit)`);
  if (markdown) {
    const table = renderMarkdownTable(columns, body);
    return notes.length === 0 ? table : `${table}\n${notes.map((note) => `_${note}_`).join('  \n')}\n`;
  }
  if (short.folder !== undefined) notes.unshift(folderNote(short.folder));
  const table = renderTextTable(columns, body, { color: options.color, maxWidth: options.width });
  const lines = (note: string): string[] => wrapText(escapeForTerminal(note), options.width, '  ');
  // The caption is about the table, not the runs: dim, so the notes about runs stand out.
  const dim = painter(options.color).dim;
  const caption = view.order === undefined ? [] : lines(sortCaption(label, view.key, view.order)).map((line) => dim(line));
  return table + [...caption, ...notes.flatMap(lines)].map((line) => `${line}\n`).join('');
}
