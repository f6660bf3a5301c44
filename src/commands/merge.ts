/**
 * `vizmeta merge PART... -o all.vzs`: summary files combined into one (issue 17). Executions
 * with different names are concatenated in the order of the parts. The same execution in two
 * parts is one of two things: the same part given twice (or an input in two shards' lists), whose
 * lines are identical, kept once with a note; or two different summaries under one name, an error
 * (exit 2) unless `--combine` says they are parts of one execution, merged key by key
 * (analyse/merge.ts: exact counts, min, max, first and latest by time; Chan's mean and variance).
 *
 * Without --combine, parts are streamed: memory holds a hash per execution name, not the summaries.
 */
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { ExitCode, InputError, UsageError, type ExitSlot } from '../core/errors.js';
import { warn, type CommandIO } from '../core/io.js';
import { generator } from '../core/version.js';
import { isSummaryFile, openSummary, openSummaryOutput, type OpenSummary, type SummaryEntry } from '../input/summary-files.js';
import { encodeExecution, headerLine, type ShardInfo } from '../analyse/summary-format.js';
import { mergeExecutionSummaries } from '../analyse/merge.js';

export interface MergeOptions {
  /** `-o FILE`; `-` is stdout (the default when stdout is not a terminal). */
  output?: string;
  /** Merge different summaries of one execution name instead of refusing them. */
  combine?: boolean;
}

export async function runMerge(parts: string[], options: MergeOptions, io: CommandIO): Promise<number> {
  const target = options.output ?? '-';
  if (target === '-' && io.stdoutIsTTY) throw new UsageError('merge writes a summary file: give -o FILE (e.g. -o all.vzs), or redirect stdout');
  for (const part of parts) {
    if (part === '-') throw new UsageError('merge reads summary files by name, not stdin');
    if (!isSummaryFile(part)) throw new InputError(`${part}: not a vizmeta summary file (write one with vizmeta summarize LOG... -o ${part.endsWith('.vzs') ? part : 'part.vzs'})`);
  }
  const files: OpenSummary[] = [];
  const output = openSummaryOutput(target === '-' ? '-' : resolve(io.cwd, target), io);
  try {
    for (const part of parts) files.push(await openSummary(part));
    const shard = shardsOf(files, io);
    await output.line(headerLine(generator(), shard));
    // Parts taken one after the other are opened in turn: each open part holds a chunk.
    if (shard === undefined) for (const file of files.splice(0)) file.close();
    const entries = shard === undefined ? inSequence(parts, files) : byPosition(files);
    if (options.combine === true) await combine(entries, (line) => output.line(line));
    else await concatenate(entries, (line) => output.line(line), io);
    await output.commit();
  } catch (error) {
    output.abort();
    throw error;
  } finally {
    for (const file of files) file.close();
  }
  return ExitCode.ok;
}

/**
 * When every part is a shard of one input list (`summarize --shard`), the shards they cover
 * together, with a note on those missing; otherwise undefined, and parts are taken in order.
 */
function shardsOf(files: readonly OpenSummary[], io: CommandIO): ShardInfo | undefined {
  const first = files[0]?.header.shard;
  if (first === undefined || !files.every((file) => file.header.shard?.count === first.count && file.header.shard.list === first.list)) return undefined;
  const indexes = [...new Set(files.flatMap((file) => file.header.shard?.indexes ?? []))].sort((a, b) => a - b);
  const missing = Array.from({ length: first.count }, (_, i) => i).filter((i) => !indexes.includes(i));
  if (missing.length > 0) warn(io, `merge: shard${missing.length === 1 ? '' : 's'} ${missing.join(', ')} of ${first.count} missing: the result covers ${indexes.length} of ${first.count}`);
  return { count: first.count, indexes, list: first.list };
}

/** Every part's executions, part after part, each part open only while it is read (and in `open`, to be closed on failure). */
async function* inSequence(parts: readonly string[], open: OpenSummary[]): AsyncGenerator<SummaryEntry & { part: string }> {
  for (const part of parts) {
    const file = await openSummary(part);
    open.push(file);
    for (let entry = await file.next(); entry !== undefined; entry = await file.next()) yield { ...entry, part: file.path };
    file.close();
  }
}

/** Shards of one list: their executions in the list's order (each part is in it already), streamed. */
async function* byPosition(files: readonly OpenSummary[]): AsyncGenerator<SummaryEntry & { part: string }> {
  const heads = await Promise.all(files.map((file) => file.next()));
  for (;;) {
    let best = -1;
    for (let i = 0; i < heads.length; i++) {
      const head = heads[i];
      if (head === undefined) continue;
      const bestHead = heads[best];
      if (best === -1 || (head.position ?? Infinity) < (bestHead?.position ?? Infinity)) best = i;
    }
    if (best === -1) return;
    const file = files[best] as OpenSummary;
    yield { ...(heads[best] as SummaryEntry), part: file.path };
    heads[best] = await file.next();
  }
}

type Entries = AsyncGenerator<SummaryEntry & { part: string }>;

/** Streams the executions out; an identical repeat is dropped, a different one refused. */
async function concatenate(entries: Entries, line: (text: string) => Promise<void>, io: CommandIO): Promise<void> {
  const seen = new Map<string, { hash: string; part: string }>();
  // Identical repeats, said once per pair of parts: a part given twice is one line, not one per execution.
  const repeats = new Map<string, number>();
  for await (const { execution, line: text, part } of entries) {
    // The line goes out as the part holds it (decoded only to check it and learn its name).
    const hash = createHash('sha1').update(text).digest('base64');
    const before = seen.get(execution.execution);
    if (before === undefined) {
      seen.set(execution.execution, { hash, part });
      await line(text);
      continue;
    }
    if (before.hash === hash) {
      const pair = `${part}\0${before.part}`;
      repeats.set(pair, (repeats.get(pair) ?? 0) + 1);
      continue;
    }
    throw new InputError(`${part}: ${execution.execution} is also in ${before.part} with a different summary; give --combine to merge them as parts of one execution, or summarise the logs under different names`);
  }
  for (const [pair, count] of repeats) {
    const [part, earlier] = pair.split('\0');
    warn(io, `${part}: ${count === 1 ? '1 execution' : `${count} executions`} also in ${earlier} with the same summary: kept once`);
  }
}

/** Holds every execution, merging those of one name, and writes them in first-seen order. */
async function combine(entries: Entries, line: (text: string) => Promise<void>): Promise<void> {
  const executions = new Map<string, SummaryEntry>();
  for await (const entry of entries) {
    const before = executions.get(entry.execution.execution);
    executions.set(entry.execution.execution, before === undefined ? entry : { ...before, execution: mergeExecutionSummaries(before.execution, entry.execution) });
  }
  for (const { execution, position } of executions.values()) await line(encodeExecution(execution, position));
}

export function registerMerge(program: Command, io: CommandIO, exit: ExitSlot): void {
  const command = program
    .command('merge')
    .description('combine summary files (.vzs) from vizmeta summarize into one')
    .argument('<parts...>', 'summary files, in order')
    .option('-o, --output <file>', 'the summary file to write; - is stdout (default, unless stdout is a terminal)')
    .option('--combine', 'merge different summaries under one execution name as parts of one execution, instead of refusing them');
  command.addHelpText('after', `
Executions with different names are concatenated, in the order of the parts; parts written by
summarize --shard from one input list are put back in that list's order, and a shard missing
from them is noted on stderr (the result says which shards it covers). An execution that
is in two parts with the same summary (a part given twice) is kept once, with a note on stderr;
with different summaries it is an error (exit 2), unless --combine: then they are merged as
parts of one execution (counts, min, max, first and latest by _time exactly; mean and std by
Chan et al.'s formula; stats' median within the same 1%). The result is written under a
temporary name and renamed when complete.
Exit status: 0 written, 2 a part that is not a summary file, is corrupt (file:line), is of a
newer format version, or a conflicting execution.

Examples:
  vizmeta merge part-0.vzs part-1.vzs part-2.vzs -o all.vzs
  vizmeta merge --combine node-a.vzs node-b.vzs -o run.vzs     train.log resumed on another node: one execution
  vizmeta gate --when 'accuracy >= 0.8' all.vzs`);
  command.action(async (parts: string[], options: MergeOptions) => {
    exit.code = await runMerge(parts, options, io);
  });
}
