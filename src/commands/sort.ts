/**
 * `vizmeta sort --by KEY [FILE...]`: executions ranked by a key's latest value (Valohai's way)
 * or another aggregate, best first by the key's direction, with a sparkline of the key's history.
 * `--by`, `--asc`, `--desc`, `--agg`, `--keys` and `--limit` are spelled as `table` spells them;
 * `--top` is the old spelling of `--limit`.
 * Executions without the key are listed last in either direction, marked, never dropped; a key
 * no execution has is a usage error with a did-you-mean.
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import { ExitCode, UsageError, type ExitSlot } from '../core/errors.js';
import { writeOutput, type CommandIO } from '../core/io.js';
import { reportInputProblems, summarizeExecutions } from '../input/executions.js';
import { AGGREGATES, unionKeys } from '../analyse/summary.js';
import { defaultKeys, sortExecutions, sortOrder, topRows } from '../analyse/sort.js';
import { renderSort } from '../render/sort.js';
import type { TableFormat } from '../core/format.js';
import { addInputOptions, readOptionsFrom, resolveInputs, type InputOptions } from '../options/input.js';
import { addDirectionOptions, addExecutionOptions, commandContext, directionOverrides, requireKeysInExecutions, type ExecutionCommandOptions } from '../options/execution.js';
import { parseKeyList } from '../core/keys.js';
import { collect, collectKeys, parseWholeNumber } from '../options/parse.js';
import { eitherSpelling, oldSpelling } from '../options/aliases.js';
import { addOrderOptions, orderFrom, sortAggregates, type OrderFlags } from '../options/order.js';
import { forReader } from '../render/output.js';

export interface SortOptions extends InputOptions, ExecutionCommandOptions, OrderFlags {
  /**
   * Which values of the `--by` key: an aggregate (`min`), or a list as `table --agg` writes one
   * (`min,max`, `min,max(accuracy)`); executions are ranked by the first, the rest are columns.
   * Default `latest`.
   */
  agg?: string | string[];
  /** Keys where a bigger value is better, for the default order (also the config's `higherIsBetter`). */
  higherIsBetter?: string[];
  /** Keys where a smaller value is better (also the config's `lowerIsBetter`). */
  lowerIsBetter?: string[];
  /** Other columns: key names, or `all`. Default: the config's `keys`, else a few common numeric keys. */
  keys?: string[];
  /** `--limit N`: show only the first N rows. */
  limit?: number;
  /** `--top N`: the old spelling of `--limit`. */
  top?: number;
  /** Default text. */
  format?: TableFormat;
}

export async function runSort(inputs: string[], options: SortOptions, io: CommandIO): Promise<number> {
  const flags = orderFrom(options);
  const key = flags.by;
  if (key === undefined) throw new UsageError('sort: --by KEY is required (e.g. --by accuracy)');
  const { aggregate, more } = sortAggregates(options.agg, key);
  const limit = eitherSpelling(options.limit, options.top, ['--limit', '--top']);
  const format = options.format ?? 'text';
  const context = commandContext(io, options);
  const order = sortOrder(key, aggregate, flags, directionOverrides(options, context));
  const named = parseKeyList(options.keys);
  const all = named.length === 1 && named[0] === 'all';
  const chosen = all ? [] : named.length > 0 ? named : parseKeyList(context.config.config.keys);
  // Reading only the keys that are shown is cheaper on wide logs. Default columns depend on every
  // key, but only on its count and latest value: those are kept without converting each value.
  // The did-you-mean of a key no input has needs the other keys' names: files are read again for
  // them when it is needed; stdin, which cannot be, keeps them as it goes.
  const defaults = !all && chosen.length === 0;
  const namesKept = all || defaults || inputs.includes('-');
  const keys = all ? 'all' as const : new Set([key, ...more.map((item) => item.key), ...chosen]);
  const read = readOptionsFrom(options);
  const jobs = options.jobs !== undefined ? { jobs: options.jobs } : {};
  const executions = await summarizeExecutions(inputs, {
    keys,
    ...(namesKept && !all ? { others: 'latest' as const } : {}),
    history: new Set([key]),
    read,
    ...(context.schema ? { schema: context.schema } : {}),
    ...jobs,
    stdin: () => io.stdin,
  });
  const failed = reportInputProblems(io, executions);
  const readable = executions.filter((execution) => execution.error === undefined);
  // Nothing could be read: the errors above are the whole answer, not an empty table under them.
  if (readable.length === 0 && failed) return ExitCode.usage;
  const names = namesKept ? undefined : () => summarizeExecutions(inputs, { keys: new Set(), others: 'latest', read, ...jobs, stdin: () => io.stdin });
  await requireKeysInExecutions([key, ...more.map((item) => item.key), ...(options.keys !== undefined && !all ? chosen : [])], readable, inputs, names);
  // A key whose latest value is already an --agg column is not shown twice.
  const shown = [key, ...more.filter((item) => item.aggregate === 'latest').map((item) => item.key)];
  const others = all ? unionKeys(readable).filter((k) => !shown.includes(k)) : chosen.length > 0 ? chosen.filter((k) => !shown.includes(k)) : defaultKeys(readable, shown);
  const { rows, hidden } = topRows(sortExecutions(readable, key, aggregate, order.ascending), limit);
  await writeOutput(io, forReader(renderSort({ rows, key, aggregate, aggregates: more, others, hidden, order }, format, { color: context.color, width: io.columns }), format, io.stdoutIsTTY));
  return failed ? ExitCode.usage : ExitCode.ok;
}

export function registerSort(program: Command, io: CommandIO, exit: ExitSlot): void {
  const command = program
    .command('sort')
    .description('rank executions by a metadata key (latest value by default), with a sparkline of its history')
    .argument('[files...]', 'one execution per file; - or nothing reads stdin');
  addOrderOptions(command, 'key to sort by (metadata.accuracy or accuracy; dotted paths reach nested keys)');
  command
    .option('--agg <list>', `which value of the key: ${AGGREGATES.join(', ')} (default latest); a list ranks by the first and shows the rest, e.g. min,max or min,max(accuracy); repeatable`, collect)
    .option('--keys <keys>', "other columns: comma-separated keys, or 'all' (default: a few common numeric keys)", collectKeys)
    .option('--limit <n>', 'show only the first N executions; old spelling: --top', parseWholeNumber('--limit'))
    .addOption(oldSpelling('--top <n>', '--limit', parseWholeNumber('--top')))
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'csv', 'markdown']).default('text'));
  addDirectionOptions(command);
  addExecutionOptions(command);
  addInputOptions(command);
  command.addHelpText('after', `
Best first: a key whose name reads higher-is-better (accuracy, f1, auc, score, …_per_second) is
sorted highest first, one that reads lower-is-better (loss, error, mae, perplexity) lowest first;
--higher-is-better and --lower-is-better (or the config's higherIsBetter, lowerIsBetter) say so
for other keys. A key with no direction (a learning rate, a runtime, an unknown name) is sorted
highest first. --asc and --desc choose the order outright. The text output says which way it
sorted, under the table; json, csv and markdown carry no such line.
A key no execution has is an error (exit 2) naming the closest keys that exist.
Executions without the key are listed last in both directions and marked, never dropped.
NaN sorts after every number; a number written as a string ("0.3") sorts as that number.
A file that is a Kubeflow mlpipeline-metrics.json counts as one execution.
Logs in object storage are read in place: s3://BUCKET/KEY, gs://BUCKET/KEY or https://…, with
* and ** globs over keys (quote them), --jobs at a time (default 8), credentials from the AWS or
Google SDK's usual chain; AWS_ENDPOINT_URL reaches MinIO or Ceph.

Examples:
  vizmeta sort --by accuracy logs/*.log
  vizmeta sort --by accuracy 's3://ml-logs/2026-11/**/*.log'      every log below the prefix, from S3
  vizmeta sort --by val_loss --agg min --limit 5 logs/*.log        lowest val_loss first
  vizmeta sort --by val_loss --agg 'min,max(accuracy)' logs/*.log  ranked by min(val_loss), max(accuracy) beside it
  vizmeta sort --by lr --asc logs/*.log
  vizmeta sort --by my_metric --higher-is-better my_metric logs/*.log
  vizmeta sort --by eval_accuracy runs/           a TensorBoard logdir or an mlruns/ tree: one row per run
  vizmeta sort --by metadata.accuracy --keys loss,epoch --format markdown logs/*.log >> "$GITHUB_STEP_SUMMARY"`);
  command.action(async (files: string[], options: SortOptions) => {
    exit.code = await runSort(resolveInputs(files, io, command), options, io);
  });
}
