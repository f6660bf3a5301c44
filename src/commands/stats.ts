/**
 * `vizmeta stats [FILE...]`: per-key statistics over every record of every input, like
 * Kubeflow's TFDV view: types seen, count, missing, NaN/Inf, min, mean, std, median, max,
 * latest and a histogram sparkline.
 * The statistics (bounded memory per key) are analyse/stats.ts; the table render/stats.ts.
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import { ExitCode, InputError, type ExitSlot } from '../core/errors.js';
import { resolveColor, warn, writeOutput, type CommandIO } from '../core/io.js';
import { readInputs } from '../input/read-inputs.js';
import { addInputOptions, diagnosticWriter, readOptionsFrom, resolveInputs, type InputOptions } from '../options/input.js';
import { parseKeyList } from '../core/keys.js';
import { KeyPresence } from '../options/execution.js';
import type { MetadataRecord } from '../core/types.js';
import { collectKeys, parseWholeNumber } from '../options/parse.js';
import { DEFAULT_MAX_KEYS } from '../analyse/summary.js';
import { EXACT_VALUES, RELATIVE_ACCURACY, StatsBuilder } from '../analyse/stats.js';
import { renderStats } from '../render/stats.js';
import { forReader } from '../render/output.js';

export interface StatsOptions extends InputOptions {
  /** Only these keys. Default every key. */
  keys?: string[];
  format?: 'text' | 'json' | 'csv' | 'markdown';
  color?: boolean;
  /** `--max-keys`: distinct keys kept. Default DEFAULT_MAX_KEYS. */
  maxKeys?: number;
}

export async function runStats(inputs: string[], options: StatsOptions, io: CommandIO): Promise<number> {
  const named = parseKeyList(options.keys);
  const builder = new StatsBuilder(named, options.maxKeys ?? DEFAULT_MAX_KEYS);
  // With --keys, the names of the other keys too (names only: statistics stay bounded by what is
  // shown), so that a named key no input has gets a did-you-mean.
  const presence = new KeyPresence(named);
  const record = named.length === 0
    ? (item: MetadataRecord): void => builder.add(item)
    : (item: MetadataRecord): void => { builder.add(item); presence.note(item.values); };
  let status: number = ExitCode.ok;
  // Past --max-keys the reading stops with one error and no statistics; each later input stops
  // at its first new key, and is not said again.
  let limitSaid = false;
  await readInputs(inputs, () => io.stdin, { record, diagnostic: diagnosticWriter(io) }, readOptionsFrom(options), {
    onError: (message) => {
      if (builder.overflowed && limitSaid) return;
      limitSaid = builder.overflowed;
      warn(io, message);
      status = ExitCode.usage;
    },
    onNoRecords: (message) => warn(io, message),
    // A summary file's executions are folded as their logs would have been, their problems said as sort says them.
    onSummaryFile: async (path) => {
      // Loaded only for a summary file: a log's statistics need none of it.
      const { summariesOf } = await import('../input/summary-files.js');
      const { reportInputProblems } = await import('../input/executions.js');
      const executions = await summariesOf(path);
      if (reportInputProblems(io, executions)) status = ExitCode.usage;
      for (const execution of executions) {
        if (execution.error !== undefined) continue;
        try {
          builder.addSummary(execution);
        } catch (error) {
          // Past --max-keys, as for a log: said once, no statistics.
          if (!(error instanceof InputError) || !builder.overflowed) throw error;
          if (!limitSaid) warn(io, error.message);
          limitSaid = true;
          status = ExitCode.usage;
          return;
        }
        if (named.length > 0) presence.noteNames(execution.keys.keys());
      }
    },
  });
  if (builder.overflowed) return ExitCode.usage;
  presence.require(inputs);
  const all = builder.finish();
  if (all.length === 0 && options.format !== 'json' && options.format !== 'csv') {
    // An input that could not be read has said so; this line would only repeat it less exactly.
    if (status === ExitCode.ok) warn(io, 'no metadata records found');
    return status;
  }
  const format = options.format ?? 'text';
  await writeOutput(io, forReader(renderStats(all, format, { color: resolveColor(io, options.color), width: io.columns }), format, io.stdoutIsTTY));
  return status;
}

export function registerStats(program: Command, io: CommandIO, exit: ExitSlot): void {
  const command = program
    .command('stats')
    .description('per-key statistics over all records: types, count, missing, NaN/Inf, min, mean, std, median, max, latest, histogram')
    .argument('[files...]', 'log files; - or nothing reads stdin')
    .option('--keys <keys>', 'only these keys (comma-separated, repeatable)', collectKeys)
    .option('--max-keys <n>', 'at most N distinct keys, else exit 2 (a few KB each)', parseWholeNumber('--max-keys'), DEFAULT_MAX_KEYS)
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'csv', 'markdown']).default('text'))
    .option('--no-color', 'no colours, even on a terminal');
  addInputOptions(command);
  command.addHelpText('after', `
Statistics cover every record of every file given. min, mean, std (sample), median and max are
over finite numbers; NaN and ±Infinity are counted apart. The median and the histogram are exact
up to ${EXACT_VALUES} values per key; beyond, they come from a DDSketch (marked ~) and the median is
within ${RELATIVE_ACCURACY * 100}% of the middle value (the lower one for an even count). mean and std are exact.
A key named in --keys that no input has is an error (exit 2) naming the closest keys that exist.
At most --max-keys distinct keys are kept (default ${DEFAULT_MAX_KEYS}); more is an error (exit 2)
that says so, with no statistics.

Examples:
  vizmeta stats train.log
  vizmeta stats --keys loss,accuracy --format markdown logs/*.log`);
  command.action(async (files: string[], options: StatsOptions) => {
    exit.code = await runStats(resolveInputs(files, io, command), options, io);
  });
}
