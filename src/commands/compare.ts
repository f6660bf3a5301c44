/**
 * `vizmeta compare FILE FILE...`: latest values side by side, each with its delta against the
 * first file (the baseline), coloured better or worse by the key's direction; overlaid charts
 * per key; `--join KEY` for the merged rows of all executions on a key such as `step`.
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import { ExitCode, UsageError, type ExitSlot } from '../core/errors.js';
import { warn, write, type CommandIO } from '../core/io.js';
import { joinInputs, reportInputProblems, summarizeExecutions, type JoinedTable } from '../input/executions.js';
import { renderChart } from '../render/chart.js';
import { csvValue, formatDelta, formatValue, jsonValue, renderCsvTable, renderMarkdownTable, renderTextTable, type CellInput, type Column } from '../render/table.js';
import { aggregateOf, directionOf, lookupKey, normalizeKey, STEP_KEYS, unionKeys, type DirectionOverrides, type ExecutionSummary } from '../analyse/summary.js';
import type { JsonValue } from '../core/types.js';
import { addInputOptions, diagnosticWriter, readOptionsFrom, resolveInputs, type InputOptions } from '../options/input.js';
import { addDirectionOptions, addExecutionOptions, commandContext, directionOverrides, parseKeyList, type ExecutionCommandOptions } from '../options/execution.js';
import type { TableFormat } from './sort.js';
import { escapeForTerminal } from '../core/escape.js';
import { folderNote, shortNames } from '../core/names.js';

export interface CompareOptions extends InputOptions, ExecutionCommandOptions {
  /** Keys to compare and chart. Default: the config's `keys`, else every numeric key. */
  keys?: string[];
  /** Align the executions' records on this key and show the merged rows. */
  join?: string;
  higherIsBetter?: string[];
  lowerIsBetter?: string[];
  /** Default text. */
  format?: TableFormat;
  /** `--no-charts` sets this false. Default true (text format only). */
  charts?: boolean;
}

/**
 * Short, still unique, names for column headers: the common leading directories are dropped
 * (`logs/a/run1.log`, `logs/b/run1.log` → `a/run1.log`, `b/run1.log`). See {@link shortNames}.
 */
export function displayNames(paths: readonly string[]): string[] {
  return shortNames(paths).names;
}

/** One key across the executions. */
export interface ComparedKey {
  key: string;
  direction: 'max' | 'min';
  values: Array<JsonValue | undefined>;
  /** Against the baseline (index 0); undefined when either is not a number. */
  deltas: Array<number | undefined>;
}

/** Latest values and deltas against the first execution. Pure. */
export function compareExecutions(executions: readonly ExecutionSummary[], keys: readonly string[], directions: DirectionOverrides): ComparedKey[] {
  return keys.map((key) => {
    const values = executions.map((execution) => aggregateOf(execution, key, 'latest'));
    const base = values[0];
    const deltas = values.map((value) => {
      if (typeof value !== 'number' || typeof base !== 'number' || Number.isNaN(value) || Number.isNaN(base)) return undefined;
      const delta = value - base;
      // Two computations of the same value (0.001 vs 0.0010000000000000002) are equal, not a change.
      return Math.abs(delta) <= 1e-12 * Math.max(Math.abs(value), Math.abs(base)) ? 0 : delta;
    });
    return { key, direction: directionOf(key, directions), values, deltas };
  });
}

function verdict(delta: number | undefined, direction: 'max' | 'min'): 'better' | 'worse' | undefined {
  if (delta === undefined || delta === 0 || Number.isNaN(delta)) return undefined;
  return (delta > 0) === (direction === 'max') ? 'better' : 'worse';
}

/**
 * The numeric keys worth comparing when none are named: step-like keys, then metrics (logged more
 * than once somewhere), then settings printed once (`lr0`, `batch_size`). Charts go to metrics.
 */
export function defaultCompareKeys(executions: readonly ExecutionSummary[]): { keys: string[]; metrics: string[] } {
  const numeric = unionKeys(executions).filter((key) => executions.some((execution) => typeof execution.keys.get(key)?.latest === 'number'));
  const logged = (key: string): boolean => executions.some((execution) => (execution.keys.get(key)?.count ?? 0) > 1);
  const steps = numeric.filter((key) => STEP_KEYS.includes(key));
  const metrics = numeric.filter((key) => !STEP_KEYS.includes(key) && logged(key));
  const settings = numeric.filter((key) => !STEP_KEYS.includes(key) && !logged(key));
  return { keys: [...steps, ...metrics, ...settings], metrics };
}

/** Text options of the comparison tables; `folder` is the one shortened names share, said once under the table. */
export interface CompareView {
  color: boolean;
  width: number;
  folder?: string | undefined;
}

function folderLine(format: TableFormat, view: CompareView): string {
  return format === 'text' && view.folder !== undefined ? `${escapeForTerminal(folderNote(view.folder))}\n` : '';
}

export function renderComparison(rows: readonly ComparedKey[], names: readonly string[], executions: readonly string[], format: TableFormat, options: CompareView): string {
  if (format === 'json') {
    return JSON.stringify({
      baseline: executions[0],
      executions,
      keys: rows.map((row) => ({
        key: row.key,
        direction: row.direction,
        values: row.values.map((value, i) => ({
          execution: executions[i], value: jsonValue(value), delta: i === 0 ? null : jsonValue(row.deltas[i]), change: i === 0 ? null : verdict(row.deltas[i], row.direction) ?? null,
        })),
      })),
    }, null, 2) + '\n';
  }
  if (format === 'csv') {
    const headers = ['key', 'direction', ...executions.flatMap((execution, i) => (i === 0 ? [execution] : [execution, `${execution} delta`]))];
    return renderCsvTable(headers, rows.map((row) => [row.key, row.direction, ...row.values.flatMap((value, i) => (i === 0 ? [csvValue(value)] : [csvValue(value), csvValue(row.deltas[i])]))]));
  }
  const markdown = format === 'markdown';
  const columns: Column[] = [
    { header: 'key', keep: true },
    { header: markdown ? 'better' : 'dir', keep: true },
    ...names.map((name, i): Column => ({ header: i === 0 ? `${name} (base)` : name, align: 'right', shrink: false })),
  ];
  const body = rows.map((row): CellInput[] => [
    row.key,
    markdown ? (row.direction === 'max' ? 'higher' : 'lower') : (row.direction === 'max' ? '↑' : '↓'),
    ...row.values.map((value, i): CellInput => {
      if (value === undefined) return { text: '–', tone: 'dim' };
      const text = formatValue(value);
      if (i === 0) return text;
      const delta = row.deltas[i];
      if (delta === undefined) return text;
      const change = verdict(delta, row.direction);
      if (markdown) return { text: `${text} (${formatDelta(delta, 4)}${change ? `, ${change}` : ''})`, ...(change === 'worse' ? { tone: 'strong' as const } : {}) };
      return { text: `${text} (${formatDelta(delta, 4)})`, ...(change ? { tone: change === 'better' ? 'good' as const : 'bad' as const } : {}) };
    }),
  ]);
  if (markdown) return renderMarkdownTable(columns, body);
  return renderTextTable(columns, body, { color: options.color, maxWidth: options.width }) + folderLine(format, options);
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
const MAX_DEFAULT_CHARTS = 3;

export async function runCompare(inputs: string[], options: CompareOptions, io: CommandIO): Promise<number> {
  if (inputs.length < 2) throw new UsageError('compare needs at least two executions: the first is the baseline');
  const format = options.format ?? 'text';
  const context = commandContext(io, options);
  const directions = directionOverrides(options, context);
  const named = parseKeyList(options.keys);
  const chosen = named.length > 0 ? named : parseKeyList(context.config.config.keys);
  const { names, folder } = shortNames(inputs);
  const view: CompareView = { color: context.color, width: io.columns, folder };

  if (options.join !== undefined) {
    const joinKey = normalizeKey(options.join);
    let failed = false;
    const joined = await joinInputs(inputs, joinKey, chosen.length > 0 ? new Set(chosen) : 'all', io.stdin, readOptionsFrom(options), {
      onError: (message) => { warn(io, message); failed = true; },
      onDiagnostic: diagnosticWriter(io),
    });
    if (joined.rows.length === 0) warn(io, `no records with ${joinKey} to join on`);
    await write(io.stdout, renderJoined(joined, joinKey, names, chosen.length > 0 ? chosen : undefined, format, view));
    return failed ? ExitCode.usage : ExitCode.ok;
  }

  const executions = await summarizeExecutions(inputs, {
    keys: chosen.length > 0 ? new Set(chosen) : 'all',
    history: chosen.length > 0 ? new Set(chosen) : 'all',
    // Compare is for a handful of executions; 128 points per key is more than a chart's columns.
    historyPoints: 128,
    read: readOptionsFrom(options),
    ...(context.schema ? { schema: context.schema } : {}),
    ...(options.jobs !== undefined ? { jobs: options.jobs } : {}),
    stdin: io.stdin,
  });
  const failed = reportInputProblems(io, executions);
  if (executions[0]?.error !== undefined) return ExitCode.usage;
  const defaults = defaultCompareKeys(executions);
  const keys = chosen.length > 0 ? chosen : defaults.keys;
  const rows = compareExecutions(executions, keys, directions);
  let out = renderComparison(rows, names, inputs, format, view);
  if (format === 'text' && options.charts !== false) {
    const chartKeys = chosen.length > 0 ? chosen : defaults.metrics.slice(0, MAX_DEFAULT_CHARTS);
    for (const key of chartKeys) {
      const series = executions.map((execution, i) => ({ label: names[i] ?? execution.execution, points: lookupKey(execution, key)?.history ?? [] }));
      if (series.every((s) => s.points.length === 0)) continue;
      out += '\n' + renderChart(series, { width: io.columns, height: CHART_HEIGHT, color: context.color, title: key, xLabel: 'step' }) + '\n';
    }
  }
  await write(io.stdout, out);
  return failed ? ExitCode.usage : ExitCode.ok;
}

export function registerCompare(program: Command, io: CommandIO, exit: ExitSlot): void {
  const command = program
    .command('compare')
    .description('latest values of several executions side by side, with deltas against the first (the baseline) and overlaid charts')
    .argument('[files...]', 'two or more executions; the first is the baseline; - reads stdin')
    .option('--keys <keys>', 'keys to compare and chart (comma-separated, repeatable; default: every numeric key, charts for the first three)', (value: string, previous: string[] | undefined) => [...(previous ?? []), value])
    .option('--join <key>', "merge the executions' records on KEY (e.g. step) and show the merged rows")
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'csv', 'markdown']).default('text'))
    .option('--no-charts', 'no charts under the table');
  addDirectionOptions(command);
  addExecutionOptions(command);
  addInputOptions(command);
  command.addHelpText('after', `
A delta is green when it is better and red when worse: higher is better for keys named in
--higher-is-better and, by default, for names ending in acc, accuracy, auc, f1, precision or
recall (Keras's mode auto); lower is better otherwise.

Examples:
  vizmeta compare main.log pr.log
  vizmeta compare --keys accuracy,val_loss logs/baseline.log logs/try-*.log
  vizmeta compare --format markdown main.log pr.log > comment.md
  vizmeta compare --join step --keys loss a.log b.log`);
  command.action(async (files: string[], options: CompareOptions) => {
    exit.code = await runCompare(resolveInputs(files, io, command), options, io);
  });
}
