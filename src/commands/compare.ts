/**
 * `vizmeta compare FILE FILE...`: latest values side by side, each with its delta against the
 * first file (the baseline), coloured better or worse where the metric has a direction; settings
 * apart, differences marked; overlaid charts per key; `--join KEY` for the merged rows of all
 * executions on a key such as `step`.
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import { ExitCode, UsageError, type ExitSlot } from '../core/errors.js';
import { warn, writeOutput, type CommandIO } from '../core/io.js';
import { joinInputs, reportInputProblems, summarizeExecutions } from '../input/executions.js';
import { isSummaryFile } from '../input/summary-sniff.js';
import { compareExecutions, defaultCompareKeys } from '../analyse/compare.js';
import { DEFAULT_MAX_KEYS, isKeyLimitError } from '../analyse/summary.js';
import { renderCompareCharts, renderComparison, renderJoined, type CompareView } from '../render/compare.js';
import { addInputOptions, diagnosticWriter, readOptionsFrom, resolveInputs, type InputOptions } from '../options/input.js';
import { addDirectionOptions, addExecutionOptions, commandContext, directionOverrides, requireKeysInExecutions, requireKnownKeys, type ExecutionCommandOptions } from '../options/execution.js';
import { normalizeKey, parseKeyList } from '../core/keys.js';
import { collectKeys, parseWholeNumber } from '../options/parse.js';
import type { TableFormat } from '../core/format.js';
import { shortNames } from '../core/names.js';
import { forReader } from '../render/output.js';

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
  /** `--max-keys`: distinct keys one execution may hold. Default DEFAULT_MAX_KEYS. */
  maxKeys?: number;
}

const MAX_DEFAULT_CHARTS = 3;

export async function runCompare(inputs: string[], options: CompareOptions, io: CommandIO): Promise<number> {
  // One summary file may hold every execution compared.
  if (inputs.length < 2 && !(inputs.length === 1 && isSummaryFile(inputs[0] as string))) throw new UsageError('compare needs at least two executions: the first is the baseline');
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
    // Every key is joined when --keys names some, so that one no input has gets a did-you-mean.
    const checked = options.keys !== undefined && named.length > 0;
    const joined = await joinInputs(inputs, joinKey, chosen.length > 0 && !checked ? new Set(chosen) : 'all', () => io.stdin, readOptionsFrom(options), {
      onError: (message) => { warn(io, message); failed = true; },
      onDiagnostic: diagnosticWriter(io),
    });
    if (joined.rows.length === 0) warn(io, `no records with ${joinKey} to join on`);
    else if (checked) {
      const known = new Set(joined.keys.flat());
      requireKnownKeys(named, (key) => known.has(key), [...known], inputs);
    }
    await writeOutput(io, forReader(renderJoined(joined, joinKey, names, chosen.length > 0 ? chosen : undefined, format, view), format, io.stdoutIsTTY));
    return failed ? ExitCode.usage : ExitCode.ok;
  }

  const read = readOptionsFrom(options);
  const jobs = options.jobs !== undefined ? { jobs: options.jobs } : {};
  const executions = await summarizeExecutions(inputs, {
    keys: chosen.length > 0 ? new Set(chosen) : 'all',
    // The did-you-mean of a key no input has needs the other keys' names: files are read again
    // for them when it is needed; stdin, which cannot be, keeps them as it goes.
    ...(chosen.length > 0 && inputs.includes('-') ? { others: 'latest' as const } : {}),
    history: chosen.length > 0 ? new Set(chosen) : 'all',
    // Compare is for a handful of executions; 128 points per key is more than a chart's columns.
    historyPoints: 128,
    maxKeys: options.maxKeys ?? DEFAULT_MAX_KEYS,
    read,
    ...(context.schema ? { schema: context.schema } : {}),
    ...jobs,
    stdin: () => io.stdin,
  });
  const failed = reportInputProblems(io, executions);
  // Past --max-keys nothing is compared: a table without some execution's keys would mislead.
  if (executions[0]?.error !== undefined || executions.some((execution) => isKeyLimitError(execution.error))) return ExitCode.usage;
  // Summary files are as many executions as they hold: named by what they hold.
  const listed = executions.length === inputs.length ? inputs : executions.map((execution) => execution.execution);
  if (listed.length < 2) throw new UsageError('compare needs at least two executions: the first is the baseline');
  const shown = listed === inputs ? { names, view } : (({ names: short, folder: common }) => ({ names: short, view: { ...view, folder: common } }))(shortNames(listed));
  if (options.keys !== undefined) {
    const namesKept = chosen.length === 0 || inputs.includes('-');
    const names = namesKept ? undefined : () => summarizeExecutions(inputs, { keys: new Set(), others: 'latest', read, ...jobs, stdin: () => io.stdin });
    await requireKeysInExecutions(named, executions, inputs, names);
  }
  const defaults = defaultCompareKeys(executions, directions);
  const keys = chosen.length > 0 ? chosen : defaults.keys;
  const rows = compareExecutions(executions, keys, directions);
  let out = renderComparison(rows, shown.names, listed, format, shown.view);
  if (format === 'text' && options.charts !== false) {
    out += renderCompareCharts(executions, chosen.length > 0 ? chosen : defaults.metrics.slice(0, MAX_DEFAULT_CHARTS), shown.names, shown.view);
  }
  await writeOutput(io, forReader(out, format, io.stdoutIsTTY));
  return failed ? ExitCode.usage : ExitCode.ok;
}

export function registerCompare(program: Command, io: CommandIO, exit: ExitSlot): void {
  const command = program
    .command('compare')
    .description('latest values of several executions side by side, with deltas against the first (the baseline) and overlaid charts')
    .argument('[files...]', 'two or more executions; the first is the baseline; - reads stdin')
    .option('--keys <keys>', 'keys to compare and chart (comma-separated, repeatable; default: every key with one value per cell, charts for the first three metrics)', collectKeys)
    .option('--join <key>', "merge the executions' records on KEY (e.g. step) and show the merged rows")
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'csv', 'markdown']).default('text'))
    .option('--no-charts', 'no charts under the table')
    .option('--max-keys <n>', 'at most N distinct keys per execution, else exit 2 (a few KB each)', parseWholeNumber('--max-keys'), DEFAULT_MAX_KEYS);
  addDirectionOptions(command);
  addExecutionOptions(command);
  addInputOptions(command);
  command.addHelpText('after', `
Each key is read by its role. Step keys (step, epoch, global_step) and metrics show their
latest values and deltas against the baseline. A delta is green when better and red when worse
(in markdown: "better", and "worse" in bold) only for metrics with a direction: higher is better
for names such as accuracy, f1, auc, score and eval_samples_per_second, lower for loss, error,
mae, perplexity; --higher-is-better and --lower-is-better (or the config's higherIsBetter,
lowerIsBetter) say so for others. Keys with no direction (a learning rate, a runtime, an unknown
name) get deltas and no verdict. Settings, keys with one value for the whole run (a seed, a batch
size, a config print, any text), are listed apart side by side; a value that differs from the
baseline's is marked ≠. A key named in --keys that no input has is an error (exit 2).
A file named git:REV:PATH is PATH as it is at the revision REV, read with git (from the
repository's root; git:REV:./PATH from the current folder): compare a log with main's.
Each execution may hold at most --max-keys distinct keys (default ${DEFAULT_MAX_KEYS}); more is an
error (exit 2) that says so, and nothing is compared.

Examples:
  vizmeta compare main.log pr.log
  vizmeta compare --keys accuracy,val_loss logs/baseline.log logs/try-*.log
  vizmeta compare --format markdown main.log pr.log > comment.md
  vizmeta compare git:origin/main:metrics/train.log metrics/train.log
  vizmeta compare --join step --keys loss a.log b.log`);
  command.action(async (files: string[], options: CompareOptions) => {
    exit.code = await runCompare(resolveInputs(files, io, command), options, io);
  });
}
