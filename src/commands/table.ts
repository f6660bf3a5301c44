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
import { readInputs } from '../input/read-inputs.js';
import type { JsonValue, MetadataRecord } from '../core/types.js';
import { addInputOptions, diagnosticWriter, readOptionsFrom, resolveInputs, type InputOptions } from '../options/input.js';
import { commandContext, type ExecutionCommandOptions } from '../options/execution.js';
import { getPath, normalizeKey, parseKeyList } from '../core/keys.js';
import { collect, parseRendererOptions, parseWholeNumber } from '../options/parse.js';
import { renderJoined } from '../render/compare.js';
import { RowStream, renderRows } from '../render/rows.js';
import { shortNames } from '../core/names.js';
import { compareValues } from '../analyse/sort.js';
import { GroupBuilder, parseAggregates, parseSortSpec } from '../analyse/table.js';
import type { TableFormat } from '../core/format.js';

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

export async function runTable(inputs: string[], options: TableOptions, io: CommandIO): Promise<number> {
  const format = options.format ?? 'text';
  const context = commandContext(io, { ...(options.config !== undefined ? { config: options.config } : {}), ...(options.color !== undefined ? { color: options.color } : {}) });
  const view = { color: context.color, width: io.columns };
  const where: CompiledExpression | undefined = options.where !== undefined ? compileExpression(options.where) : undefined;
  const chosen = options.columns ? parseKeyList(options.columns) : context.config.config.keys ? parseKeyList(context.config.config.keys) : undefined;
  const sort = options.sort !== undefined ? parseSortSpec(options.sort) : undefined;
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
    }, read, { onError, onNoRecords: (message) => warn(io, message) });
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
    await readInputs(inputs, io.stdin, { record: (record) => { if (keep(record)) groups.add(record.values); }, diagnostic: diagnosticWriter(io) }, read, { onError, onNoRecords: (message) => warn(io, message) });
    const names = [groupKey, ...specs.map((spec) => spec.label)];
    let rows = groups.rows();
    if (sort) {
      const index = names.indexOf(sort.key);
      if (index === -1) throw new UsageError(`--sort ${sort.key}: with --group-by, sort by one of ${names.join(', ')}`);
      const ascending = sort.ascending;
      rows = rows.map((row, i) => ({ row, i })).sort((a, b) => compareValues(a.row[index], b.row[index], ascending) || a.i - b.i).map(({ row }) => row);
    }
    if (options.limit !== undefined) rows = rows.slice(0, options.limit);
    await write(io.stdout, renderRows(names, rows, format, view));
    return status;
  }

  if (sort) {
    const key = sort.key;
    const ascending = sort.ascending;
    const records: Array<{ source: string; values: MetadataRecord['values']; sortValue: JsonValue | undefined; index: number }> = [];
    await readInputs(inputs, io.stdin, {
      record: (record) => { if (keep(record)) records.push({ source: record.source, values: record.values, sortValue: getPath(record.values, key), index: records.length }); },
      diagnostic: diagnosticWriter(io),
    }, read, { onError, onNoRecords: (message) => warn(io, message) });
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
  }, read, { onError, onNoRecords: (message) => warn(io, message) });
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
