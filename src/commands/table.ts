/**
 * `vizmeta table [FILE...]`: metadata records as rows, like W&B Tables: `--where` filters,
 * `--sort`, `--group-by` with aggregates, `--columns`, `--limit`, `--join` across files, and
 * `--renderer` for a user's own visualization module.
 *
 * Without `--sort`, `--group-by`, `--join` or `--renderer` the table streams: rows are written as
 * they are read, with no row limit, in memory bounded by the first SAMPLE rows (which fix the
 * columns and, for text, their widths). Sorting and grouping hold what they need until the end.
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import { loadRenderer, runRenderer } from '../render/custom-renderer.js';
import { ExitCode, UsageError, type ExitSlot } from '../core/errors.js';
import { compileExpression, recordEnvironment, type CompiledExpression } from '../analyse/expr.js';
import { joinInputs } from '../input/executions.js';
import { warn, write, type CommandIO } from '../core/io.js';
import { flattenValues } from '../parsers/metadata.js';
import { toJsonLine } from '../render/json.js';
import { escapeForTerminal } from '../core/escape.js';
import { csvRow } from '../render/csv.js';
import { csvValue, formatValue, layoutTextTable, markdownHead, markdownRow, renderCsvTable, renderMarkdownTable, renderTextTable, type CellInput, type Column, type TextTableLayout } from '../render/table.js';
import { readInputs } from '../input/read-inputs.js';
import type { JsonValue, MetadataRecord } from '../core/types.js';
import { addInputOptions, diagnosticWriter, readOptionsFrom, resolveInputs, type InputOptions } from '../options/input.js';
import { commandContext, type ExecutionCommandOptions } from '../options/execution.js';
import { getPath, normalizeKey, parseKeyList } from '../core/keys.js';
import { collect, parseWholeNumber } from '../options/parse.js';
import { renderJoined } from '../render/compare.js';
import { folderNote, shortNames } from '../core/names.js';
import { compareValues } from '../analyse/sort.js';
import type { TableFormat } from '../core/format.js';

/** Rows that fix a streamed table's columns and widths. */
export const SAMPLE = 1000;

export interface TableOptions extends InputOptions, Pick<ExecutionCommandOptions, 'config' | 'color'> {
  where?: string;
  /** `KEY` ascending, `-KEY` descending. */
  sort?: string;
  groupBy?: string;
  /** `mean(loss),max(accuracy),count()`. Default `count()`. */
  agg?: string[];
  columns?: string[];
  limit?: number;
  join?: string;
  format?: TableFormat;
  renderer?: string;
  /** `key=value` pairs passed to the renderer; values are JSON when they parse as JSON. */
  rendererOption?: string[];
}

export type AggregateFunction = 'count' | 'sum' | 'mean' | 'min' | 'max' | 'first' | 'latest';
const FUNCTIONS: readonly AggregateFunction[] = ['count', 'sum', 'mean', 'min', 'max', 'first', 'latest'];

export interface AggregateSpec {
  fn: AggregateFunction;
  /** The key; undefined for `count()` (rows). */
  key?: string;
  label: string;
}

/** Parses `mean(loss), max(accuracy), count()`. */
export function parseAggregates(texts: readonly string[]): AggregateSpec[] {
  const specs: AggregateSpec[] = [];
  for (const text of texts) {
    for (const match of text.matchAll(/\s*([^,(]*)\(([^)]*)\)\s*(?:,|$)|\s*([^,]+?)\s*(?:,|$)/g)) {
      if (match[0].trim() === '' || match[0].trim() === ',') continue;
      if (match[3] !== undefined) throw new UsageError(`--agg: expected FUNCTION(KEY) such as mean(loss) or count(), got '${match[3]}'`);
      const name = (match[1] ?? '').trim().toLowerCase();
      const fn = (name === 'last' ? 'latest' : name === 'avg' ? 'mean' : name) as AggregateFunction;
      if (!FUNCTIONS.includes(fn)) throw new UsageError(`--agg: unknown function '${name}'; use ${FUNCTIONS.join(', ')}`);
      const key = normalizeKey(match[2] ?? '');
      if (key === '' && fn !== 'count') throw new UsageError(`--agg: ${fn}() needs a key, e.g. ${fn}(loss)`);
      specs.push({ fn, ...(key !== '' ? { key } : {}), label: `${fn}(${key})` });
    }
  }
  return specs;
}

interface GroupAccumulator {
  value: JsonValue | undefined;
  rows: number;
  cells: Array<{ count: number; sum: number; numbers: number; min?: number; max?: number; first?: JsonValue; latest?: JsonValue }>;
}

/** Folds rows into groups of one key's value, with the requested aggregates. Pure. */
export class GroupBuilder {
  private readonly groups = new Map<string, GroupAccumulator>();

  constructor(private readonly key: string, private readonly specs: readonly AggregateSpec[]) {}

  add(values: MetadataRecord['values']): void {
    const value = getPath(values, this.key);
    const id = value === undefined ? 'missing' : `${typeof value}:${typeof value === 'object' ? JSON.stringify(value) : String(value)}`;
    let group = this.groups.get(id);
    if (!group) {
      group = { value, rows: 0, cells: this.specs.map(() => ({ count: 0, sum: 0, numbers: 0 })) };
      this.groups.set(id, group);
    }
    group.rows++;
    this.specs.forEach((spec, i) => {
      const cell = group.cells[i];
      if (!cell || spec.key === undefined) return;
      const item = getPath(values, spec.key);
      if (item === undefined) return;
      cell.count++;
      if (cell.count === 1) cell.first = item;
      cell.latest = item;
      if (typeof item === 'number' && !Number.isNaN(item)) {
        cell.numbers++;
        cell.sum += item;
        if (cell.min === undefined || item < cell.min) cell.min = item;
        if (cell.max === undefined || item > cell.max) cell.max = item;
      }
    });
  }

  /** One row per group, in first-seen order: the group value, then each aggregate. */
  rows(): Array<Array<JsonValue | undefined>> {
    return [...this.groups.values()].map((group) => [group.value, ...this.specs.map((spec, i): JsonValue | undefined => {
      const cell = group.cells[i];
      if (spec.key === undefined) return group.rows;
      if (!cell) return undefined;
      switch (spec.fn) {
        case 'count': return cell.count;
        case 'sum': return cell.numbers > 0 ? cell.sum : undefined;
        case 'mean': return cell.numbers > 0 ? cell.sum / cell.numbers : undefined;
        case 'min': return cell.min;
        case 'max': return cell.max;
        case 'first': return cell.first;
        case 'latest': return cell.latest;
      }
    })]);
  }
}

function cellOf(value: JsonValue | undefined): CellInput {
  if (value === undefined) return { text: '–', tone: 'dim' };
  if (typeof value === 'number' && !Number.isFinite(value)) return { text: formatValue(value), tone: 'bad' };
  return formatValue(value);
}

function jsonObject(names: readonly string[], values: ReadonlyArray<JsonValue | undefined>): string {
  const out: Record<string, JsonValue> = {};
  names.forEach((name, i) => {
    const value = values[i];
    if (value !== undefined) Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
  });
  return toJsonLine(out, 'null');
}

/** Renders a finished (sorted or grouped) table in one go. */
function renderWhole(names: readonly string[], rows: ReadonlyArray<ReadonlyArray<JsonValue | undefined>>, format: TableFormat, options: { color: boolean; width: number }): string {
  if (format === 'json') return rows.length === 0 ? '[]\n' : `[\n${rows.map((row) => `  ${jsonObject(names, row)}`).join(',\n')}\n]\n`;
  if (format === 'csv') return renderCsvTable(names, rows.map((row) => row.map(csvValue)));
  const columns = names.map((name): Column => ({ header: name, align: 'left' }));
  const body = rows.map((row) => row.map(cellOf));
  alignNumbers(columns, rows);
  if (format === 'markdown') return renderMarkdownTable(columns, body);
  return renderTextTable(columns, body, { color: options.color, maxWidth: options.width });
}

/** Columns whose values are all numbers are right-aligned. */
function alignNumbers(columns: Column[], rows: ReadonlyArray<ReadonlyArray<JsonValue | undefined>>): void {
  columns.forEach((column, i) => {
    const values = rows.map((row) => row[i]).filter((value) => value !== undefined);
    if (values.length > 0 && values.every((value) => typeof value === 'number')) column.align = 'right';
  });
}

/** Streams rows in a fixed format; columns come from `--columns` or the first SAMPLE rows. */
class RowStream {
  private sample: Array<{ source: string; values: MetadataRecord['values'] }> = [];
  private names: string[] | undefined;
  private layout: TextTableLayout | undefined;
  private columns: Column[] = [];
  private out = '';
  private rowsWritten = 0;
  private readonly warned = new Set<string>();

  constructor(
    private readonly format: TableFormat,
    private readonly chosen: string[] | undefined,
    private readonly withSource: boolean,
    /** Short names for text (`run-1.log`), and the folder they share; other formats keep the file as given. */
    private readonly display: { names: Map<string, string>; folder: string | undefined },
    private readonly options: { color: boolean; width: number },
    private readonly onNote: (message: string) => void,
  ) {}

  add(source: string, values: MetadataRecord['values']): void {
    if (this.format === 'json' && this.chosen === undefined) {
      // JSON rows carry their own keys: no need to know the columns in advance.
      const object: MetadataRecord['values'] = {};
      if (this.withSource) object['execution'] = source;
      for (const key of Object.keys(values)) Object.defineProperty(object, key, { value: values[key], enumerable: true, writable: true, configurable: true });
      this.out += `${this.rowsWritten === 0 ? '[\n' : ',\n'}  ${toJsonLine(object, 'null')}`;
      this.rowsWritten++;
      return;
    }
    if (this.names === undefined) {
      this.sample.push({ source, values });
      if (this.sample.length >= SAMPLE || (this.chosen !== undefined && this.format !== 'text')) this.fix();
      return;
    }
    this.emit(source, values);
  }

  private fix(): void {
    let keys = this.chosen;
    if (keys === undefined) {
      const seen = new Set<string>();
      for (const row of this.sample) for (const key of flattenValues(row.values).keys()) seen.add(key);
      keys = [...seen];
    }
    this.names = [...(this.withSource ? ['execution'] : []), ...keys];
    this.columns = this.names.map((name, i): Column => ({ header: name, ...(this.withSource && i === 0 ? { cut: 'start' as const, name: true } : {}) }));
    const rows = this.sample.map((row) => this.valuesOf(row.source, row.values));
    alignNumbers(this.columns, rows);
    if (this.format === 'text') {
      this.layout = layoutTextTable(this.columns, rows.map((row) => row.map(cellOf)), { color: this.options.color, maxWidth: this.options.width });
      this.out += this.layout.head;
    } else if (this.format === 'markdown') {
      this.out += markdownHead(this.columns);
    } else if (this.format === 'csv') {
      this.out += csvRow(this.names) + '\n';
    }
    const sample = this.sample;
    this.sample = [];
    for (const row of sample) this.emit(row.source, row.values);
  }

  private valuesOf(source: string, values: MetadataRecord['values']): Array<JsonValue | undefined> {
    const keys = (this.names ?? []).slice(this.withSource ? 1 : 0);
    const execution = this.format === 'text' ? this.display.names.get(source) ?? source : source;
    return [...(this.withSource ? [execution] : []), ...keys.map((key) => getPath(values, key))];
  }

  private emit(source: string, values: MetadataRecord['values']): void {
    if (this.chosen === undefined) {
      for (const key of flattenValues(values).keys()) {
        if (this.names?.includes(key) || this.warned.has(key)) continue;
        this.warned.add(key);
        this.onNote(`key '${key}' first appears after the first ${SAMPLE} rows, which fixed the columns; name it with --columns`);
      }
    }
    const row = this.valuesOf(source, values);
    switch (this.format) {
      case 'json': this.out += `${this.rowsWritten === 0 ? '[\n' : ',\n'}  ${jsonObject(this.names ?? [], row)}`; break;
      case 'csv': this.out += csvRow(row.map(csvValue)) + '\n'; break;
      case 'markdown': this.out += markdownRow(this.columns, row.map(cellOf)); break;
      case 'text': this.out += this.layout?.row(row.map(cellOf)) ?? ''; break;
    }
    this.rowsWritten++;
  }

  get rows(): number {
    return this.rowsWritten + this.sample.length;
  }

  /** Text written since the last call. */
  take(): string {
    const text = this.out;
    this.out = '';
    return text;
  }

  end(): string {
    if (this.names === undefined && !(this.format === 'json' && this.chosen === undefined)) {
      if (this.sample.length > 0 || this.chosen !== undefined) this.fix();
    }
    if (this.format === 'json') this.out += this.rowsWritten === 0 ? '[]\n' : '\n]\n';
    if (this.format === 'text' && this.layout) {
      this.out += this.layout.foot;
      if (this.withSource && this.display.folder !== undefined) this.out += `${escapeForTerminal(folderNote(this.display.folder))}\n`;
    }
    return this.take();
  }
}

function parseRendererOptions(pairs: readonly string[] | undefined): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const pair of pairs ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--renderer-option: expected KEY=VALUE, got '${pair}'`);
    const key = pair.slice(0, eq);
    const text = pair.slice(eq + 1);
    let value: unknown = text;
    try { value = JSON.parse(text); } catch { /* a plain string */ }
    Object.defineProperty(options, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return options;
}

export async function runTable(inputs: string[], options: TableOptions, io: CommandIO): Promise<number> {
  const format = options.format ?? 'text';
  const context = commandContext(io, { ...(options.config !== undefined ? { config: options.config } : {}), ...(options.color !== undefined ? { color: options.color } : {}) });
  const view = { color: context.color, width: io.columns };
  const where: CompiledExpression | undefined = options.where !== undefined ? compileExpression(options.where) : undefined;
  const chosen = options.columns ? parseKeyList(options.columns) : context.config.config.keys ? parseKeyList(context.config.config.keys) : undefined;
  let sort: { key: string; ascending: boolean } | undefined;
  if (options.sort !== undefined) {
    const text = options.sort.trim();
    const descending = text.startsWith('-');
    const key = normalizeKey(text.replace(/^[-+]/, ''));
    if (key === '') throw new UsageError('--sort: expected KEY or -KEY');
    sort = { key, ascending: !descending };
  }
  const aggregates = options.agg ? parseAggregates(options.agg) : [];
  if (aggregates.length > 0 && options.groupBy === undefined) throw new UsageError('--agg needs --group-by KEY');
  const withSource = inputs.length > 1;
  const short = shortNames(inputs);
  const display = { names: new Map(inputs.map((input, i) => [input, short.names[i] ?? input])), folder: short.folder };
  let status: number = ExitCode.ok;
  const onError = (message: string): void => { warn(io, message); status = ExitCode.usage; };
  const read = readOptionsFrom(options);
  const keep = (record: MetadataRecord): boolean => {
    if (!where) return true;
    const result = where.evaluate(recordEnvironment(record.values));
    return result.ok && result.value;
  };

  if (options.join !== undefined) {
    if (where || sort || options.groupBy !== undefined || options.renderer !== undefined) throw new UsageError('--join works with --columns, --limit and --format; --where, --sort, --group-by and --renderer apply to rows of one table');
    const joinKey = normalizeKey(options.join);
    const joined = await joinInputs(inputs, joinKey, chosen ? new Set(chosen) : 'all', io.stdin, read, { onError, onDiagnostic: diagnosticWriter(io) });
    if (options.limit !== undefined) joined.rows.splice(options.limit);
    await write(io.stdout, renderJoined(joined, joinKey, short.names, chosen, format, { ...view, folder: short.folder }));
    return status;
  }

  if (options.renderer !== undefined) {
    const renderer = await loadRenderer(options.renderer, io.cwd);
    const records: MetadataRecord[] = [];
    await readInputs(inputs, io.stdin, {
      record: (record) => { if (keep(record) && (options.limit === undefined || records.length < options.limit)) records.push(record); },
      diagnostic: diagnosticWriter(io),
    }, read, { onError });
    if (sort) {
      const key = sort.key;
      const ascending = sort.ascending;
      records.sort((a, b) => compareValues(getPath(a.values, key), getPath(b.values, key), ascending));
    }
    await write(io.stdout, await runRenderer(renderer, records, parseRendererOptions(options.rendererOption)));
    return status;
  }

  if (options.groupBy !== undefined) {
    const groupKey = normalizeKey(options.groupBy);
    const specs = aggregates.length > 0 ? aggregates : parseAggregates(['count()']);
    const groups = new GroupBuilder(groupKey, specs);
    await readInputs(inputs, io.stdin, { record: (record) => { if (keep(record)) groups.add(record.values); }, diagnostic: diagnosticWriter(io) }, read, { onError });
    const names = [groupKey, ...specs.map((spec) => spec.label)];
    let rows = groups.rows();
    if (sort) {
      const index = names.indexOf(sort.key);
      if (index === -1) throw new UsageError(`--sort ${sort.key}: with --group-by, sort by one of ${names.join(', ')}`);
      const ascending = sort.ascending;
      rows = rows.map((row, i) => ({ row, i })).sort((a, b) => compareValues(a.row[index], b.row[index], ascending) || a.i - b.i).map(({ row }) => row);
    }
    if (options.limit !== undefined) rows = rows.slice(0, options.limit);
    await write(io.stdout, renderWhole(names, rows, format, view));
    return status;
  }

  if (sort) {
    const key = sort.key;
    const ascending = sort.ascending;
    const records: Array<{ source: string; values: MetadataRecord['values']; sortValue: JsonValue | undefined; index: number }> = [];
    await readInputs(inputs, io.stdin, {
      record: (record) => { if (keep(record)) records.push({ source: record.source, values: record.values, sortValue: getPath(record.values, key), index: records.length }); },
      diagnostic: diagnosticWriter(io),
    }, read, { onError });
    records.sort((a, b) => compareValues(a.sortValue, b.sortValue, ascending) || a.index - b.index);
    const stream = new RowStream(format, chosen, withSource, display, view, (message) => warn(io, message));
    const shown = options.limit === undefined ? records : records.slice(0, options.limit);
    for (const record of shown) stream.add(record.source, record.values);
    await write(io.stdout, stream.end());
    return status;
  }

  // Streaming: rows go out as each chunk of input is read.
  const stream = new RowStream(format, chosen, withSource, display, view, (message) => warn(io, message));
  await readInputs(inputs, io.stdin, {
    record: (record) => {
      if (options.limit !== undefined && stream.rows >= options.limit) return;
      if (keep(record)) stream.add(record.source, record.values);
    },
    diagnostic: diagnosticWriter(io),
    afterChunk: async () => {
      const text = stream.take();
      if (text !== '') await write(io.stdout, text);
    },
  }, read, { onError });
  await write(io.stdout, stream.end());
  return status;
}

export function registerTable(program: Command, io: CommandIO, exit: ExitSlot): void {
  const command = program
    .command('table')
    .description('metadata records as rows: filter, sort, group, join; streams without a row limit')
    .argument('[files...]', 'log files; - or nothing reads stdin')
    .option('--where <expr>', "keep rows where EXPR holds, e.g. 'loss < 0.5 and epoch >= 3'")
    .option('--sort <key>', 'sort rows by KEY ascending, or -KEY descending (rows without it last)')
    .option('--group-by <key>', 'one row per distinct value of KEY')
    .option('--agg <list>', "aggregates per group: mean(loss),max(accuracy),count() — count sum mean min max first latest", collect)
    .option('--columns <keys>', 'columns to show, comma-separated (default: the keys of the first 1000 rows)', collect)
    .option('--limit <n>', 'at most N rows', parseWholeNumber('--limit'))
    .option('--join <key>', 'join the records of several files on KEY (e.g. step): one row per value')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'csv', 'markdown']).default('text'))
    .option('--renderer <module>', 'render the (filtered) records with your own ES module: export default (records, options) => string')
    .option('--renderer-option <key=value>', 'option passed to --renderer (repeatable; JSON values allowed)', collect)
    .option('--config <file>', 'config file (default: vizmeta.config.json here or in a parent directory)')
    .option('--no-color', 'no colours, even on a terminal');
  addInputOptions(command);
  command.addHelpText('after', `
Without --sort, --group-by, --join or --renderer the table streams: no row limit, rows appear as
they are read, and the first 1000 rows fix the columns (name others with --columns).
With several files, an execution column says where each row came from.

Examples:
  vizmeta table train.log
  vizmeta table --where 'loss < 0.5' --sort -accuracy --limit 10 logs/*.log
  vizmeta table --group-by epoch --agg 'mean(loss),max(accuracy),count()' train.log
  vizmeta table --join step --columns loss a.log b.log
  vizmeta table --renderer ./my-viz.mjs --renderer-option bins=20 train.log`);
  command.action(async (files: string[], options: TableOptions) => {
    exit.code = await runTable(resolveInputs(files, io, command), options, io);
  });
}
