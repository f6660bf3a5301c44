/**
 * `vizmeta sort --by KEY [FILE...]`: executions ranked by a key's latest value (Valohai's way)
 * or another aggregate, with a sparkline of the key's history. Executions without the key are
 * listed last in either direction, marked, never dropped.
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import { ExitCode, UsageError, type ExitSlot } from '../core/errors.js';
import { write, type CommandIO } from '../core/io.js';
import { reportInputProblems, summarizeExecutions } from '../input/executions.js';
import { sparkline } from '../render/sparkline.js';
import { escapeForTerminal } from '../core/escape.js';
import { formatValue, jsonValue, csvValue, renderCsvTable, renderMarkdownTable, renderTextTable, wrapText, type CellInput, type Column } from '../render/table.js';
import { folderNote, shortNames } from '../core/names.js';
import { AGGREGATES, aggregateOf, lookupKey, normalizeKey, STEP_KEYS, unionKeys, type Aggregate, type ExecutionSummary } from '../analyse/summary.js';
import type { JsonValue } from '../core/types.js';
import { addInputOptions, readOptionsFrom, resolveInputs, type InputOptions } from '../options/input.js';
import { addExecutionOptions, commandContext, parseKeyList, parsePositiveInt, type ExecutionCommandOptions } from '../options/execution.js';

export type TableFormat = 'text' | 'json' | 'csv' | 'markdown';

export interface SortOptions extends InputOptions, ExecutionCommandOptions {
  /** The key to sort by (`metadata.` prefix allowed). */
  by: string;
  /** Which value of the key. Default `latest`. */
  agg?: Aggregate;
  /** Ascending instead of descending. Default false. */
  asc?: boolean;
  /** Other columns: key names, or `all`. Default: the config's `keys`, else a few common numeric keys. */
  keys?: string[];
  /** Show only the first N rows. */
  top?: number;
  /** Default text. */
  format?: TableFormat;
}

/** One ranked execution. */
export interface SortedRow {
  execution: ExecutionSummary;
  /** 1-based rank; undefined for executions without the key. */
  rank: number | undefined;
  value: JsonValue | undefined;
}

/** How a value sorts: numbers, then strings, then NaN and other values, then missing. */
function sortClass(value: JsonValue | undefined): number {
  if (value === undefined) return 4;
  if (typeof value === 'number') return Number.isNaN(value) ? 2 : 0;
  if (typeof value === 'string') return 1;
  return 3;
}

/**
 * Orders two values for sorting: numbers, then strings, then NaN and other types, then missing
 * (undefined), whatever the direction; within numbers and strings `ascending` decides. 0 on ties.
 */
export function compareValues(a: JsonValue | undefined, b: JsonValue | undefined, ascending: boolean): number {
  const ca = sortClass(a);
  const cb = sortClass(b);
  if (ca !== cb) return ca - cb;
  const sign = ascending ? 1 : -1;
  if (ca === 0) {
    const d = (a as number) - (b as number);
    if (d !== 0 && !Number.isNaN(d)) return sign * d;
  } else if (ca === 1) {
    const d = (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
    if (d !== 0) return sign * d;
  }
  return 0;
}

/**
 * Ranks executions by one aggregate of a key. Descending unless `ascending`; ties keep input
 * order; executions lacking the key come last whatever the direction, then NaN and odd types
 * just before them. Pure.
 */
export function sortExecutions(executions: readonly ExecutionSummary[], key: string, aggregate: Aggregate, ascending: boolean): SortedRow[] {
  const rows = executions.map((execution, index) => ({ execution, index, value: aggregateOf(execution, key, aggregate) }));
  rows.sort((a, b) => compareValues(a.value, b.value, ascending) || a.index - b.index);
  let rank = 0;
  return rows.map((row) => ({ execution: row.execution, value: row.value, rank: row.value === undefined ? undefined : ++rank }));
}

/**
 * The other columns when none are named: up to `count` numeric keys, metrics before settings
 * (a key logged more than once in more executions ranks higher; `lr0` printed once in a config
 * line ranks low), then by how many executions have it, then first seen. Step-like keys
 * (`step`, `epoch`) go last: they say how far a run got.
 */
export function defaultKeys(executions: readonly ExecutionSummary[], exclude: readonly string[], count = 4): string[] {
  const ranked: Array<{ key: string; logged: number; having: number; order: number; step: boolean }> = [];
  unionKeys(executions).forEach((key, order) => {
    if (exclude.includes(key)) return;
    let having = 0;
    let logged = 0;
    for (const execution of executions) {
      const summary = execution.keys.get(key);
      if (typeof summary?.latest !== 'number') continue;
      having++;
      if (summary.count > 1) logged++;
    }
    if (having > 0) ranked.push({ key, logged, having, order, step: STEP_KEYS.includes(key) });
  });
  ranked.sort((a, b) => Number(a.step) - Number(b.step) || b.logged - a.logged || b.having - a.having || a.order - b.order);
  return ranked.slice(0, count).map((entry) => entry.key);
}

/** The column name for the sort key: `accuracy`, or `max(accuracy)` for another aggregate. */
export function aggregateLabel(key: string, aggregate: Aggregate): string {
  return aggregate === 'latest' ? key : `${aggregate}(${key})`;
}

function historyOf(execution: ExecutionSummary, key: string): number[] {
  return (lookupKey(execution, key)?.history ?? []).map((point) => point.y);
}

function valueCell(value: JsonValue | undefined, missingText = 'missing', missingTone: 'warn' | 'dim' = 'warn'): CellInput {
  if (value === undefined) return { text: missingText, tone: missingTone };
  if (typeof value === 'number' && !Number.isFinite(value)) return { text: formatValue(value), tone: 'bad' };
  return formatValue(value);
}

const SPARK_WIDTH = 12;

export interface SortView {
  rows: SortedRow[];
  key: string;
  aggregate: Aggregate;
  others: string[];
  /** Rows left out by --top. */
  hidden: number;
}

export function renderSort(view: SortView, format: TableFormat, options: { color: boolean; width: number }): string {
  const label = aggregateLabel(view.key, view.aggregate);
  if (format === 'json') {
    const rows = view.rows.map((row) => {
      const out: Record<string, unknown> = { execution: row.execution.execution };
      // defineProperty: a key named `__proto__` stays data.
      const set = (name: string, value: unknown): void => { Object.defineProperty(out, name, { value: jsonValue(value), enumerable: true, writable: true, configurable: true }); };
      set(label, row.value);
      for (const key of view.others) set(key, aggregateOf(row.execution, key, 'latest'));
      return out;
    });
    return JSON.stringify(rows, null, 2) + '\n';
  }
  if (format === 'csv') {
    return renderCsvTable(['execution', label, ...view.others], view.rows.map((row) => [
      row.execution.execution, csvValue(row.value), ...view.others.map((key) => csvValue(aggregateOf(row.execution, key, 'latest'))),
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
    ...view.others.map((key): Column => ({ header: key, align: 'right', shrink: false })),
  ];
  const body = view.rows.map((row, i): CellInput[] => [
    row.rank === undefined ? { text: '–', tone: 'dim' } : String(row.rank),
    markdown ? row.execution.execution : short.names[i] ?? row.execution.execution,
    valueCell(row.value, `no ${view.key}`),
    { text: sparkline(historyOf(row.execution, view.key), SPARK_WIDTH), safe: true },
    ...view.others.map((key) => valueCell(aggregateOf(row.execution, key, 'latest'), '–', 'dim')),
  ]);
  const lacking = view.rows.filter((row) => row.rank === undefined).length;
  const notes: string[] = [];
  if (lacking > 0) notes.push(`${lacking} execution${lacking === 1 ? '' : 's'} without ${view.key}, listed last`);
  if (view.hidden > 0) notes.push(`${view.hidden} more not shown (--top)`);
  if (markdown) {
    const table = renderMarkdownTable(columns, body);
    return notes.length === 0 ? table : `${table}\n${notes.map((note) => `_${note}_`).join('  \n')}\n`;
  }
  if (short.folder !== undefined) notes.unshift(folderNote(short.folder));
  const table = renderTextTable(columns, body, { color: options.color, maxWidth: options.width });
  return table + notes.flatMap((note) => wrapText(escapeForTerminal(note), options.width, '  ')).map((line) => `${line}\n`).join('');
}

export async function runSort(inputs: string[], options: SortOptions, io: CommandIO): Promise<number> {
  const key = normalizeKey(options.by ?? '');
  if (key === '') throw new UsageError('sort: --by KEY is required (e.g. --by accuracy)');
  const aggregate = options.agg ?? 'latest';
  if (!AGGREGATES.includes(aggregate)) throw new UsageError(`--agg: expected one of ${AGGREGATES.join(', ')}, got '${String(aggregate)}'`);
  const format = options.format ?? 'text';
  const context = commandContext(io, options);
  const named = parseKeyList(options.keys);
  const all = named.length === 1 && named[0] === 'all';
  const chosen = all ? [] : named.length > 0 ? named : parseKeyList(context.config.config.keys);
  // Reading only the keys that are shown is cheaper on wide logs. Default columns depend on every
  // key, but only on its count and latest value: those are kept without converting each value.
  const defaults = !all && chosen.length === 0;
  const keys = all ? 'all' as const : new Set([key, ...chosen]);
  const executions = await summarizeExecutions(inputs, {
    keys,
    ...(defaults ? { others: 'latest' as const } : {}),
    history: new Set([key]),
    read: readOptionsFrom(options),
    ...(context.schema ? { schema: context.schema } : {}),
    ...(options.jobs !== undefined ? { jobs: options.jobs } : {}),
    stdin: io.stdin,
  });
  const failed = reportInputProblems(io, executions);
  const readable = executions.filter((execution) => execution.error === undefined);
  const others = all ? unionKeys(readable).filter((k) => k !== key) : chosen.length > 0 ? chosen.filter((k) => k !== key) : defaultKeys(readable, [key]);
  let rows = sortExecutions(readable, key, aggregate, Boolean(options.asc));
  let hidden = 0;
  if (options.top !== undefined && rows.length > options.top) {
    hidden = rows.length - options.top;
    rows = rows.slice(0, options.top);
  }
  await write(io.stdout, renderSort({ rows, key, aggregate, others, hidden }, format, { color: context.color, width: io.columns }));
  return failed ? ExitCode.usage : ExitCode.ok;
}

export function registerSort(program: Command, io: CommandIO, exit: ExitSlot): void {
  const command = program
    .command('sort')
    .description('rank executions by a metadata key (latest value by default), with a sparkline of its history')
    .argument('[files...]', 'one execution per file; - or nothing reads stdin')
    .requiredOption('--by <key>', 'key to sort by (metadata.accuracy or accuracy; dotted paths reach nested keys)')
    .addOption(new Option('--agg <aggregate>', 'which value of the key').choices([...AGGREGATES]).default('latest'))
    .option('--asc', 'ascending (default: descending, best first for accuracy-like keys)')
    .option('--keys <keys>', "other columns: comma-separated keys, or 'all' (default: a few common numeric keys)", (value: string, previous: string[] | undefined) => [...(previous ?? []), value])
    .option('--top <n>', 'show only the first N executions', parsePositiveInt('--top'))
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'csv', 'markdown']).default('text'));
  addExecutionOptions(command);
  addInputOptions(command);
  command.addHelpText('after', `
Executions without the key are listed last in both directions and marked, never dropped.
NaN sorts after every number. A file that is a Kubeflow mlpipeline-metrics.json counts as one execution.

Examples:
  vizmeta sort --by accuracy logs/*.log
  vizmeta sort --by val_loss --agg min --asc --top 5 logs/*.log
  vizmeta sort --by metadata.accuracy --keys loss,epoch --format markdown logs/*.log >> "$GITHUB_STEP_SUMMARY"`);
  command.action(async (files: string[], options: SortOptions) => {
    exit.code = await runSort(resolveInputs(files, io, command), options, io);
  });
}
