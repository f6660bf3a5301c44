/**
 * `vizmeta summarize [INPUT...] -o part.vzs`: the execution summaries of the inputs, written as a
 * summary file (analyse/summary-format.ts) that sort, compare, gate and stats read in place of
 * the logs and `vizmeta merge` combines (issue 17). With `--shard i/N`, only the inputs of one
 * shard (options/shard.ts): N workers given the same list split it between them.
 *
 * Inputs are summarised a batch at a time and written as they come, so memory holds one batch's
 * summaries whatever the number of inputs. Every key is kept in full: its aggregates, its
 * history for sparklines (256 points) and what `stats` needs.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { ExitCode, InputError, UsageError, type ExitSlot } from '../core/errors.js';
import { warn, type CommandIO } from '../core/io.js';
import { isRemoteSpec } from '../input/frameworks.js';
import { reportInputProblems, summarizeExecutions } from '../input/executions.js';
import { openSummaryOutput } from '../input/summary-files.js';
import { encodeExecution, headerLine } from '../analyse/summary-format.js';
import { addInputOptions, readOptionsFrom, resolveInputs, type InputOptions } from '../options/input.js';
import { commandContext } from '../options/execution.js';
import { parseWholeNumber } from '../options/parse.js';
import { listHash, parseShard, shardOf, type Shard } from '../options/shard.js';
import type { ExecutionSummary } from '../analyse/summary.js';
import { generator } from '../core/version.js';

export interface SummarizeCommandOptions extends InputOptions {
  /** `-o FILE`: the summary file; `-` is stdout (the default when stdout is not a terminal). */
  output?: string;
  /** `--shard i/N`: only the inputs whose name hashes to shard i of N. */
  shard?: Shard;
  jobs?: number;
  config?: string;
  schema?: string;
}

/** Inputs summarised before their summaries are written: bounds memory, keeps the worker pool busy. */
export const SUMMARIZE_BATCH = 256;

export async function runSummarize(files: string[], options: SummarizeCommandOptions, io: CommandIO, command: Command): Promise<number> {
  const target = options.output ?? '-';
  if (target === '-' && io.stdoutIsTTY) throw new UsageError('summarize writes a summary file: give -o FILE (e.g. -o part.vzs), or redirect stdout');
  const context = commandContext(io, options);
  // With --shard, an empty list is an empty share, not stdin.
  const given = options.shard !== undefined && files.length > 0 ? files : resolveInputs(files, io, command);
  let failed = false;
  // Sharded, a glob over object keys is its objects, each hashed on its own: every worker lists the
  // same keys, so a bucket is split by object, not given whole to the shard of the glob's name.
  const named = options.shard === undefined ? given : await expandRemoteGlobs(given, (message) => {
    warn(io, message);
    failed = true;
  });
  const shard = options.shard;
  // With --shard, each execution carries its input's place in the whole list, for merge to restore its order.
  const positions = shard === undefined ? undefined : named.flatMap((input, position) => (shardOf(input, shard.count) === shard.index ? [position] : []));
  const inputs = positions === undefined ? named : positions.map((position) => named[position] as string);
  const output = openSummaryOutput(target === '-' ? '-' : resolve(io.cwd, target), io);
  const summarize = (batch: readonly string[]): Promise<ExecutionSummary[]> => summarizeExecutions(batch, {
    keys: 'all',
    history: 'all',
    moments: true,
    read: readOptionsFrom(options),
    ...(context.schema ? { schema: context.schema } : {}),
    ...(options.jobs !== undefined ? { jobs: options.jobs } : {}),
    stdin: io.stdin,
  });
  try {
    await output.line(headerLine(generator(), shard === undefined ? undefined : { count: shard.count, indexes: [shard.index], list: listHash(named) }));
    for (let start = 0; start < inputs.length; start += SUMMARIZE_BATCH) {
      const batch = inputs.slice(start, start + SUMMARIZE_BATCH);
      let executions = await summarize(batch);
      let placed = executions.map((execution, i) => ({ execution, position: positions?.[start + i] }));
      if (positions !== undefined && executions.length !== batch.length) {
        // A folder or summary file among them is several executions: each input on its own, to know whose they are.
        placed = [];
        executions = [];
        for (let i = 0; i < batch.length; i++) {
          const own = await summarize([batch[i] as string]);
          executions.push(...own);
          placed.push(...own.map((execution) => ({ execution, position: positions[start + i] })));
        }
      }
      // An unreadable input is said here (exit 2) and kept in the part, so a gate over the merged
      // parts fails as a gate over the logs would.
      if (reportInputProblems(io, executions)) failed = true;
      for (const { execution, position } of placed) await output.line(encodeExecution(execution, position));
    }
    await output.commit();
  } catch (error) {
    output.abort();
    throw error;
  }
  return failed ? ExitCode.usage : ExitCode.ok;
}

/** Remote globs (`s3://bucket/logs/**`) replaced by the objects they match, in key order; input/remote.ts is loaded only for one. */
async function expandRemoteGlobs(inputs: readonly string[], onError: (message: string) => void): Promise<string[]> {
  const out: string[] = [];
  for (const input of inputs) {
    if (!isRemoteSpec(input) || !/[*?]/.test(input)) {
      out.push(input);
      continue;
    }
    try {
      out.push(...await (await import('../input/remote.js')).expandRemoteGlob(input));
    } catch (error) {
      if (!(error instanceof InputError || error instanceof UsageError)) throw error;
      onError(error.message);
    }
  }
  return out;
}

export function registerSummarize(program: Command, io: CommandIO, exit: ExitSlot): void {
  const command = program
    .command('summarize')
    .description('write the execution summaries of logs to a summary file (.vzs) that sort, compare, gate, stats and merge read')
    .argument('[inputs...]', 'logs, folders or summary files; - or nothing reads stdin')
    .option('-o, --output <file>', 'the summary file to write; - is stdout (default, unless stdout is a terminal)')
    .option('--shard <i/N>', 'only the inputs of shard i of N (0 <= i < N), by a hash of each input\'s name as given', parseShard)
    .option('--jobs <n>', 'threads reading many files, this one included (1 = in-process; default: all cores from 8 files on)', parseWholeNumber('--jobs'))
    .option('--config <file>', 'config file (default: vizmeta.config.json here or in a parent directory)')
    .option('--schema <file>', 'validate every record against this JSON Schema; the violations go into the summary');
  addInputOptions(command);
  command.addHelpText('after', `
A summary file holds, per execution and per key: count, min, max, first and latest (with their
_time, line and step), sum, mean and M2 (for std), NaN and Infinity counts, a 256-point history
for sparklines, and what stats needs for its median and histogram (exact up to 256 values, a
DDSketch within 1% beyond). Give it to sort, compare, gate or stats in place of the logs, or
combine parts with vizmeta merge. The format is JSON lines, versioned: see the README.
--shard i/N keeps the inputs whose name (as given, after the shell's globbing) hashes to i
(FNV-1a mod N): N workers given the same list write N disjoint parts, without talking. A glob
over object keys (s3://bucket/logs/**) is listed first and split object by object; a folder goes
whole to one shard.
A part is written under a temporary name and renamed when complete.
Exit status: 0 written, 2 an input could not be read (still recorded in the part) or bad flag.

Examples:
  vizmeta summarize logs/*.log -o runs.vzs
  vizmeta summarize --shard 0/3 logs/*.log -o part-0.vzs      worker 0 of 3; workers 1 and 2 give 1/3, 2/3
  vizmeta sort --by accuracy runs.vzs                          a summary file in place of the logs
  vizmeta stats runs.vzs new/*.log                             summaries and logs mixed`);
  command.action(async (files: string[], options: SummarizeCommandOptions) => {
    exit.code = await runSummarize(files, options, io, command);
  });
}
