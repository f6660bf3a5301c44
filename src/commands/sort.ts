/**
 * `vizmeta sort --by KEY [FILE...]`: executions ranked by a key's latest value (Valohai's way)
 * or another aggregate, best first by the key's direction, with a sparkline of the key's history.
 * Executions without the key are listed last in either direction, marked, never dropped; a key
 * no execution has is a usage error with a did-you-mean.
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import { ExitCode, UsageError, type ExitSlot } from '../core/errors.js';
import { write, type CommandIO } from '../core/io.js';
import { reportInputProblems, summarizeExecutions } from '../input/executions.js';
import { AGGREGATES, unionKeys, type Aggregate } from '../analyse/summary.js';
import { defaultKeys, sortExecutions, sortOrder, topRows } from '../analyse/sort.js';
import { renderSort } from '../render/sort.js';
import type { TableFormat } from '../core/format.js';
import { addInputOptions, readOptionsFrom, resolveInputs, type InputOptions } from '../options/input.js';
import { addDirectionOptions, addExecutionOptions, commandContext, directionOverrides, requireKeysInExecutions, type ExecutionCommandOptions } from '../options/execution.js';
import { normalizeKey, parseKeyList } from '../core/keys.js';
import { collectKeys, parseWholeNumber } from '../options/parse.js';

export interface SortOptions extends InputOptions, ExecutionCommandOptions {
  /** The key to sort by (`metadata.` prefix allowed). */
  by: string;
  /** Which value of the key. Default `latest`. */
  agg?: Aggregate;
  /** Lowest first. Default: best first by the key's direction, highest first for a key with none. */
  asc?: boolean;
  /** Highest first. Not with `asc`. */
  desc?: boolean;
  /** Keys where a bigger value is better, for the default order (also the config's `higherIsBetter`). */
  higherIsBetter?: string[];
  /** Keys where a smaller value is better (also the config's `lowerIsBetter`). */
  lowerIsBetter?: string[];
  /** Other columns: key names, or `all`. Default: the config's `keys`, else a few common numeric keys. */
  keys?: string[];
  /** Show only the first N rows. */
  top?: number;
  /** Default text. */
  format?: TableFormat;
}

export async function runSort(inputs: string[], options: SortOptions, io: CommandIO): Promise<number> {
  const key = normalizeKey(options.by ?? '');
  if (key === '') throw new UsageError('sort: --by KEY is required (e.g. --by accuracy)');
  const aggregate = options.agg ?? 'latest';
  if (!AGGREGATES.includes(aggregate)) throw new UsageError(`--agg: expected one of ${AGGREGATES.join(', ')}, got '${String(aggregate)}'`);
  const format = options.format ?? 'text';
  const context = commandContext(io, options);
  const order = sortOrder(key, aggregate, options, directionOverrides(options, context));
  const named = parseKeyList(options.keys);
  const all = named.length === 1 && named[0] === 'all';
  const chosen = all ? [] : named.length > 0 ? named : parseKeyList(context.config.config.keys);
  // Reading only the keys that are shown is cheaper on wide logs. Default columns depend on every
  // key, but only on its count and latest value: those are kept without converting each value.
  // The did-you-mean of a key no input has needs the other keys' names: files are read again for
  // them when it is needed; stdin, which cannot be, keeps them as it goes.
  const defaults = !all && chosen.length === 0;
  const namesKept = all || defaults || inputs.includes('-');
  const keys = all ? 'all' as const : new Set([key, ...chosen]);
  const read = readOptionsFrom(options);
  const jobs = options.jobs !== undefined ? { jobs: options.jobs } : {};
  const executions = await summarizeExecutions(inputs, {
    keys,
    ...(namesKept && !all ? { others: 'latest' as const } : {}),
    history: new Set([key]),
    read,
    ...(context.schema ? { schema: context.schema } : {}),
    ...jobs,
    stdin: io.stdin,
  });
  const failed = reportInputProblems(io, executions);
  const readable = executions.filter((execution) => execution.error === undefined);
  const names = namesKept ? undefined : () => summarizeExecutions(inputs, { keys: new Set(), others: 'latest', read, ...jobs, stdin: io.stdin });
  await requireKeysInExecutions([key, ...(options.keys !== undefined && !all ? chosen : [])], readable, inputs, names);
  const others = all ? unionKeys(readable).filter((k) => k !== key) : chosen.length > 0 ? chosen.filter((k) => k !== key) : defaultKeys(readable, [key]);
  const { rows, hidden } = topRows(sortExecutions(readable, key, aggregate, order.ascending), options.top);
  await write(io.stdout, renderSort({ rows, key, aggregate, others, hidden, order }, format, { color: context.color, width: io.columns }));
  return failed ? ExitCode.usage : ExitCode.ok;
}

export function registerSort(program: Command, io: CommandIO, exit: ExitSlot): void {
  const command = program
    .command('sort')
    .description('rank executions by a metadata key (latest value by default), with a sparkline of its history')
    .argument('[files...]', 'one execution per file; - or nothing reads stdin')
    .requiredOption('--by <key>', 'key to sort by (metadata.accuracy or accuracy; dotted paths reach nested keys)')
    .addOption(new Option('--agg <aggregate>', 'which value of the key').choices([...AGGREGATES]).default('latest'))
    .option('--asc', 'lowest first (default: best first by the key\'s direction; highest first when it has none)')
    .option('--desc', 'highest first')
    .option('--keys <keys>', "other columns: comma-separated keys, or 'all' (default: a few common numeric keys)", collectKeys)
    .option('--top <n>', 'show only the first N executions', parseWholeNumber('--top'))
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

Examples:
  vizmeta sort --by accuracy logs/*.log
  vizmeta sort --by val_loss --agg min --top 5 logs/*.log          lowest val_loss first
  vizmeta sort --by lr --asc logs/*.log
  vizmeta sort --by my_metric --higher-is-better my_metric logs/*.log
  vizmeta sort --by eval_accuracy runs/           a TensorBoard logdir or an mlruns/ tree: one row per run
  vizmeta sort --by metadata.accuracy --keys loss,epoch --format markdown logs/*.log >> "$GITHUB_STEP_SUMMARY"`);
  command.action(async (files: string[], options: SortOptions) => {
    exit.code = await runSort(resolveInputs(files, io, command), options, io);
  });
}
