/**
 * `vizmeta table [FILE...]`: metadata records as rows, like W&B Tables: `--where` filters,
 * `--by` orders (as `sort` does), `--group-by` with aggregates, `--keys`, `--limit`, `--join`
 * across files, and `--renderer` for a user's own visualization module. Table's first spellings,
 * `--columns` and `--sort [-]KEY`, are kept as old spellings (options/aliases.ts).
 *
 * Without `--by`, `--group-by`, `--join` or `--renderer` the table streams: rows are written as
 * they are read, with no row limit, in memory bounded by the first SAMPLE rows (which fix the
 * columns and, for text, their widths). Sorting and grouping hold what they need until the end.
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import { loadRenderer, runRenderer } from '../render/custom-renderer.js';
import { ExitCode, UsageError, type ExitSlot } from '../core/errors.js';
import { compileExpression } from '../analyse/expr.js';
import { joinInputs } from '../input/executions.js';
import { warn, writeOutput, writeThroughStream, type CommandIO } from '../core/io.js';
import { readInputs } from '../input/read-inputs.js';
import type { MetadataRecord } from '../core/types.js';
import { addInputOptions, diagnosticWriter, readOptionsFrom, resolveInputs, type InputOptions } from '../options/input.js';
import { addDirectionOptions, commandContext, directionOverrides, KeyPresence, requireKnownKeys, type ExecutionCommandOptions } from '../options/execution.js';
import { normalizeKey, parseKeyList } from '../core/keys.js';
import { collect, collectKeys, keyCollector, parseRendererOptions, parseWholeNumber } from '../options/parse.js';
import { bothSpellings, oldSpelling } from '../options/aliases.js';
import { addOrderOptions, orderFrom, type OrderFlags } from '../options/order.js';
import { renderJoined } from '../render/compare.js';
import { RowStream, renderRows } from '../render/rows.js';
import { shortNames } from '../core/names.js';
import { columnQuantity, DEFAULT_MAX_GROUPS, GroupBuilder, parseAggregates, rowFilter, sortByKey, sortGroupRows, type SortSpec } from '../analyse/table.js';
import { sortOrder } from '../analyse/sort.js';
import type { TableFormat } from '../core/format.js';
import { forReader } from '../render/output.js';

export interface TableOptions extends InputOptions, OrderFlags, Pick<ExecutionCommandOptions, 'config' | 'color'> {
  where?: string;
  groupBy?: string;
  /** `mean(loss),max(accuracy),count()`. Default `count()`. */
  agg?: string[];
  /** `--keys`: the columns. Default: the config's `keys`, else every key of the first rows. */
  keys?: string[];
  /** `--columns`: the old spelling of `--keys`. */
  columns?: string[];
  /** Keys where a bigger value is better, for `--by`'s default order (also the config's `higherIsBetter`). */
  higherIsBetter?: string[];
  /** Keys where a smaller value is better (also the config's `lowerIsBetter`). */
  lowerIsBetter?: string[];
  limit?: number;
  join?: string;
  format?: TableFormat;
  renderer?: string;
  /** `key=value` pairs passed to the renderer; values are JSON when they parse as JSON. */
  rendererOption?: string[];
  /** `--max-groups`: distinct `--group-by` values kept. Default DEFAULT_MAX_GROUPS. */
  maxGroups?: number;
}

export async function runTable(inputs: string[], options: TableOptions, io: CommandIO): Promise<number> {
  const format = options.format ?? 'text';
  const context = commandContext(io, { ...(options.config !== undefined ? { config: options.config } : {}), ...(options.color !== undefined ? { color: options.color } : {}) });
  const view = { color: context.color, width: io.columns };
  const keep = rowFilter(options.where !== undefined ? compileExpression(options.where) : undefined);
  const keys = bothSpellings(options.keys, options.columns);
  const chosen = keys ? parseKeyList(keys) : context.config.config.keys ? parseKeyList(context.config.config.keys) : undefined;
  // Best first, as sort orders, unless --asc or --desc (or the old --sort KEY / -KEY) says otherwise;
  // over groups by what the column holds: mean(loss) lowest first, count() highest first.
  const order = orderFrom(options);
  let sort: SortSpec | undefined;
  if (order.by !== undefined) {
    const quantity = options.groupBy === undefined ? { key: order.by, aggregate: 'latest' as const } : columnQuantity(order.by);
    sort = { key: order.by, ascending: sortOrder(quantity.key, quantity.aggregate, order, directionOverrides(options, context)).ascending };
  }
  const aggregates = options.agg ? parseAggregates(options.agg) : [];
  if (aggregates.length > 0 && options.groupBy === undefined) throw new UsageError('--agg needs --group-by KEY');
  const limit = <T>(rows: T[]): T[] => (options.limit === undefined ? rows : rows.slice(0, options.limit));
  const short = shortNames(inputs);
  const display = { names: new Map(inputs.map((input, i) => [input, short.names[i] ?? input])), folder: short.folder };
  const rowStream = (): RowStream => new RowStream(format, chosen, inputs.length > 1, display, view, (message) => warn(io, message));
  let status: number = ExitCode.ok;
  const onError = (message: string): void => { warn(io, message); status = ExitCode.usage; };
  const read = readOptionsFrom(options);
  // Keys named on the command line that name record keys (not --by over groups, whose names are
  // the group's columns): one no record has is a usage error with a did-you-mean, found as the
  // records are read. A streaming table has written its rows by then; the error follows them.
  const named = [
    ...parseKeyList(keys),
    ...(sort && options.groupBy === undefined ? [sort.key] : []),
    ...(options.groupBy !== undefined ? [normalizeKey(options.groupBy)] : []),
    ...aggregates.flatMap((spec) => (spec.key !== undefined ? [spec.key] : [])),
  ];
  const presence = new KeyPresence(named);
  /** Reads every input, handing on the records `--where` keeps. */
  const readKept = async (record: (record: MetadataRecord) => void, afterChunk?: () => Promise<void>): Promise<void> => {
    await readInputs(inputs, () => io.stdin, {
      record: (item) => {
        if (presence.watching) presence.note(item.values);
        if (keep(item.values)) record(item);
      },
      diagnostic: diagnosticWriter(io),
      ...(afterChunk ? { afterChunk } : {}),
    }, read, { onError, onNoRecords: (message) => warn(io, message) });
  };

  if (options.join !== undefined) {
    if (options.where !== undefined || sort || options.groupBy !== undefined || options.renderer !== undefined) throw new UsageError('--join works with --keys, --limit and --format; --where, --by, --group-by and --renderer apply to rows of one table');
    const joinKey = normalizeKey(options.join);
    // Every key is joined when --keys names some, so that one no input has gets a did-you-mean.
    const checked = keys !== undefined && named.length > 0;
    const joined = await joinInputs(inputs, joinKey, chosen && !checked ? new Set(chosen) : 'all', () => io.stdin, read, { onError, onDiagnostic: diagnosticWriter(io) });
    if (checked && joined.rows.length > 0) {
      const known = new Set([joinKey, ...joined.keys.flat()]);
      requireKnownKeys(named, (key) => known.has(key), [...known], inputs);
    }
    joined.rows = limit(joined.rows);
    await writeOutput(io, forReader(renderJoined(joined, joinKey, short.names, chosen, format, { ...view, folder: short.folder }), format, io.stdoutIsTTY));
    return status;
  }

  if (options.renderer !== undefined) {
    const renderer = await loadRenderer(options.renderer, io.cwd);
    const records: MetadataRecord[] = [];
    await readKept((record) => { if (options.limit === undefined || records.length < options.limit) records.push(record); });
    presence.require(inputs);
    writeThroughStream(io);
    await writeOutput(io, await runRenderer(renderer, sort ? sortByKey(records, (record) => record.values, sort) : records, parseRendererOptions(options.rendererOption)));
    return status;
  }

  if (options.groupBy !== undefined) {
    const groupKey = normalizeKey(options.groupBy);
    const specs = aggregates.length > 0 ? aggregates : parseAggregates(['count()']);
    const groups = new GroupBuilder(groupKey, specs, options.maxGroups ?? DEFAULT_MAX_GROUPS);
    // Past --max-groups the reading stops with one error and no table: a table of some groups
    // would read as all of them. Each later input stops at its first new group; said once.
    let limitSaid = false;
    const onLimit = (message: string): void => {
      if (!groups.overflowed) return onError(message);
      if (!limitSaid) onError(message);
      limitSaid = true;
    };
    await readInputs(inputs, () => io.stdin, {
      record: (item) => {
        if (presence.watching) presence.note(item.values);
        if (keep(item.values)) groups.add(item.values);
      },
      diagnostic: diagnosticWriter(io),
    }, read, { onError: onLimit, onNoRecords: (message) => warn(io, message) });
    if (groups.overflowed) return ExitCode.usage;
    presence.require(inputs);
    const names = [groupKey, ...specs.map((spec) => spec.label)];
    await writeOutput(io, forReader(renderRows(names, limit(sort ? sortGroupRows(names, groups.rows(), sort) : groups.rows()), format, view), format, io.stdoutIsTTY));
    return status;
  }

  if (sort) {
    const records: Array<Pick<MetadataRecord, 'source' | 'values'>> = [];
    await readKept((record) => records.push({ source: record.source, values: record.values }));
    presence.require(inputs);
    const stream = rowStream();
    for (const record of limit(sortByKey(records, (item) => item.values, sort))) stream.add(record.source, record.values);
    await writeOutput(io, forReader(stream.end(), format, io.stdoutIsTTY));
    return status;
  }

  // Streaming: rows go out as each chunk of input is read.
  const stream = rowStream();
  await readKept((record) => { if (options.limit === undefined || stream.rows < options.limit) stream.add(record.source, record.values); }, async () => {
    const text = stream.take();
    if (text !== '') await writeOutput(io, forReader(text, format, io.stdoutIsTTY));
  });
  await writeOutput(io, forReader(stream.end(), format, io.stdoutIsTTY));
  presence.require(inputs);
  return status;
}

export function registerTable(program: Command, io: CommandIO, exit: ExitSlot): void {
  const command = program
    .command('table')
    .description('metadata records as rows: filter, sort, group, join; streams without a row limit')
    .argument('[files...]', 'log files; - or nothing reads stdin')
    .option('--where <expr>', "keep rows where EXPR holds, e.g. 'loss < 0.5 and epoch >= 3'");
  addOrderOptions(command, 'sort rows by KEY, best first as sort does (rows without it last); old spelling: --sort KEY (ascending), --sort -KEY (descending)');
  command
    .option('--group-by <key>', 'one row per distinct value of KEY')
    .option('--agg <list>', "aggregates per group: mean(loss),max(accuracy),count() — count sum mean min max first latest", collect)
    .option('--max-groups <n>', 'with --group-by: at most N distinct values, else exit 2 (about 1 KB each)', parseWholeNumber('--max-groups'), DEFAULT_MAX_GROUPS)
    .option('--keys <keys>', 'columns to show, comma-separated, repeatable (default: the keys of the first 1000 rows); old spelling: --columns', collectKeys)
    .addOption(oldSpelling('--columns <keys>', '--keys', keyCollector('--columns')))
    .option('--limit <n>', 'at most N rows', parseWholeNumber('--limit'))
    .option('--join <key>', 'join the records of several files on KEY (e.g. step): one row per value')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'csv', 'markdown']).default('text'))
    .option('--renderer <module>', 'render the (filtered) records with your own ES module: export default (records, options) => string')
    .option('--renderer-option <key=value>', 'option passed to --renderer (repeatable; JSON values allowed)', collect)
    .option('--config <file>', 'config file (default: vizmeta.config.json here or in a parent directory)')
    .option('--no-color', 'no colours, even on a terminal');
  addDirectionOptions(command);
  addInputOptions(command);
  command.addHelpText('after', `
Without --by, --group-by, --join or --renderer the table streams: no row limit, rows appear as
they are read, and the first 1000 rows fix the columns (name others with --keys).
--by orders as sort does: best first by the key's direction (accuracy highest first, loss lowest
first), highest first for a key with none; --asc and --desc choose. Over groups, by what the
column holds: --by 'mean(loss)' lowest first, --by 'count()' highest first.
A key named in --keys, --by, --group-by or --agg that no record has is an error (exit 2)
naming the closest keys that exist; a streaming table says so after its rows.
With several files, an execution column says where each row came from.
--group-by keeps one row per distinct value: at most --max-groups (default ${DEFAULT_MAX_GROUPS}); more
is an error (exit 2) that says so, with no table.

Examples:
  vizmeta table train.log
  vizmeta table --where 'loss < 0.5' --by accuracy --limit 10 logs/*.log
  vizmeta table --group-by epoch --agg 'mean(loss),max(accuracy),count()' train.log
  vizmeta table --join step --keys loss a.log b.log
  vizmeta table --renderer ./my-viz.mjs --renderer-option bins=20 train.log`);
  command.action(async (files: string[], options: TableOptions) => {
    exit.code = await runTable(resolveInputs(files, io, command), options, io);
  });
}
