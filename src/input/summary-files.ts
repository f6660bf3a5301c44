/**
 * Summary files (`.vzs`, analyse/summary-format.ts) on disk: recognising one by its first bytes,
 * reading its executions line by line, and writing one. Every execution command takes summary
 * files wherever it takes logs: `summarizeExecutions` reads them through `withSummaryFiles`, and
 * `readInputs` hands them to a command that folds summaries (`stats`), draws their histories
 * (`chart`, `report`: readSummaryRecords) or names them as the wrong input (`extract`, `table`).
 *
 * Only local files are recognised: stdin, `git:` and remote inputs are always logs.
 */
import { createReadStream, createWriteStream, renameSync, rmSync, type WriteStream } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describeWriteError, drained, writeOutput, type CommandIO } from '../core/io.js';
import { StringDecoder } from 'node:string_decoder';
import { InputError } from '../core/errors.js';
import { decodeExecutionLine, parseHeader, type SummaryHeader } from '../analyse/summary-format.js';
import { isSummaryFile } from './summary-sniff.js';

export { isSummaryFile, summaryFileNotRead } from './summary-sniff.js';
import { failedSummary, type ExecutionSummary } from '../analyse/summary.js';
import { recordsOfSummary } from '../analyse/summary-records.js';
import type { MetadataRecord } from '../core/types.js';
import { describeFsError } from '../parsers/source.js';

/** Bytes read at a time from a summary file. */
const READ_CHUNK = 64 * 1024;

/** One execution of a summary file, with its input's place in a sharded list when it has one. */
export interface SummaryEntry {
  execution: ExecutionSummary;
  position?: number;
  /** The line as the file holds it. */
  line: string;
}

/** A summary file open for reading: its header, then its executions one at a time. */
export interface OpenSummary {
  path: string;
  header: SummaryHeader;
  /** The next execution, or undefined at the end. */
  next(): Promise<SummaryEntry | undefined>;
  close(): void;
}

/**
 * Opens a summary file and reads its header. A file that cannot be read, is not a summary file,
 * is of a newer format version or has a corrupt line throws an InputError naming the file (and
 * line), here or from `next`.
 */
export async function openSummary(path: string): Promise<OpenSummary> {
  const stream = createReadStream(path, { highWaterMark: READ_CHUNK });
  // Pulled a chunk at a time, so an open file holds one chunk and one line, not the file: merge
  // opens every part at once (readline's iterator would read ahead up to 1,024 lines of each).
  const chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const decoder = new StringDecoder('utf8');
  let text = '';
  let start = 0;
  let ended = false;
  let number = 0;
  const close = (): void => {
    stream.destroy();
  };
  const nextLine = async (): Promise<string | undefined> => {
    for (;;) {
      const end = text.indexOf('\n', start);
      if (end === -1 && !ended) {
        let chunk;
        try {
          chunk = await chunks.next();
        } catch (error) {
          throw new InputError(describeFsError(path, error));
        }
        text = text.slice(start) + (chunk.done === true ? decoder.end() : decoder.write(chunk.value));
        start = 0;
        if (chunk.done === true) ended = true;
        continue;
      }
      if (end === -1 && start >= text.length) return undefined;
      const line = text.slice(start, end === -1 ? text.length : end).replace(/\r$/, '');
      start = end === -1 ? text.length : end + 1;
      number++;
      if (line.trim() !== '') return line;
    }
  };
  try {
    const first = await nextLine();
    if (first === undefined) throw new InputError(`${path}: empty summary file (no header line)`);
    const header = parseHeader(first, path);
    return {
      path,
      header,
      next: async () => {
        const line = await nextLine();
        return line === undefined ? undefined : { ...decodeExecutionLine(line, path, number), line };
      },
      close,
    };
  } catch (error) {
    close();
    throw error;
  }
}

/** Calls `onExecution` with every execution of a summary file, in order (errors as openSummary's). */
export async function readSummaryFile(path: string, onExecution: (execution: ExecutionSummary) => void | Promise<void>): Promise<void> {
  const file = await openSummary(path);
  try {
    for (let entry = await file.next(); entry !== undefined; entry = await file.next()) await onExecution(entry.execution);
  } finally {
    file.close();
  }
}

/** Where the records that draw a summary file go (`chart`, `report`). */
export interface SummaryRecordSink {
  /** An execution of the file, named before its records. */
  execution?(name: string): void;
  record(record: MetadataRecord): void;
  /** An execution the file holds as unreadable, or the file itself unreadable: one line each. */
  error(message: string): void;
}

/**
 * Reads a summary file as the records that draw it (analyse/summary-records.ts): how `chart` and
 * `report` take one, which need records where a summary keeps each key's history.
 */
export async function readSummaryRecords(path: string, sink: SummaryRecordSink): Promise<void> {
  const readTime = new Date().toISOString();
  try {
    await readSummaryFile(path, (execution) => {
      if (execution.error !== undefined) return sink.error(execution.error);
      sink.execution?.(execution.execution);
      for (const record of recordsOfSummary(execution, readTime)) sink.record(record);
    });
  } catch (error) {
    sink.error((error as Error).message);
  }
}

/** What a command keeps of a summary file's executions: the histories it asked for, the moments if it asked. */
export interface SummaryKeep {
  history: ReadonlySet<string> | 'all';
  moments: boolean;
}

/** Drops what the command will not read: `sort` over 10,000 executions needs one key's history, not every key's. */
function prune(execution: ExecutionSummary, keep: SummaryKeep): ExecutionSummary {
  for (const [key, summary] of execution.keys) {
    if (keep.history !== 'all' && !keep.history.has(key)) delete summary.history;
    if (!keep.moments) delete summary.moments;
  }
  return execution;
}

/**
 * Every execution of a summary file; one that cannot be read is one failed execution naming why.
 * With `keep`, what the command will not read is dropped as each execution is read.
 */
export async function summariesOf(path: string, keep?: SummaryKeep): Promise<ExecutionSummary[]> {
  const executions: ExecutionSummary[] = [];
  try {
    await readSummaryFile(path, (execution) => { executions.push(keep === undefined ? execution : prune(execution, keep)); });
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return [failedSummary(path, error.message)];
  }
  return executions;
}

/**
 * summarizeExecutions with summary files among the inputs: each becomes the executions it holds,
 * the other inputs are summarised by `summarize`, and everything comes back in input order.
 * Returns undefined when no input is a summary file (nothing read but a few bytes of each).
 */
export async function withSummaryFiles(
  inputs: readonly string[], summarize: (logs: readonly string[]) => Promise<ExecutionSummary[]>, keep?: SummaryKeep,
): Promise<ExecutionSummary[] | undefined> {
  const parts = inputs.map(isSummaryFile);
  if (!parts.includes(true)) return undefined;
  const results: ExecutionSummary[] = [];
  // Logs between summary files are summarised together (a folder among them may be many executions).
  let run: string[] = [];
  const flush = async (): Promise<void> => {
    if (run.length > 0) results.push(...await summarize(run));
    run = [];
  };
  for (let index = 0; index < inputs.length; index++) {
    if (!parts[index]) {
      run.push(inputs[index] as string);
      continue;
    }
    await flush();
    results.push(...await summariesOf(inputs[index] as string, keep));
  }
  await flush();
  return results;
}


/** Where a summary file is written: lines in, then `commit` (or `abort` on failure). */
export interface SummaryOutput {
  line(text: string): Promise<void>;
  /** Ends the file: a named file appears (renamed from its temporary name) only now. */
  commit(): Promise<void>;
  /** Removes what was written to a named file. */
  abort(): void;
}

/**
 * Opens `target` (a path, or `-` for `stdout`) for a summary file. A named file is written beside
 * its final name and renamed when complete, so a worker that fails never leaves half a part for
 * the merge step to pick up.
 */
export function openSummaryOutput(target: string, io: CommandIO): SummaryOutput {
  if (target === '-') {
    return {
      line: (text) => writeOutput(io, `${text}\n`),
      commit: async () => {},
      abort: () => {},
    };
  }
  const temporary = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  let stream: WriteStream;
  try {
    stream = createWriteStream(temporary);
  } catch (error) {
    throw new InputError(describeWriteError(target, error));
  }
  let failure: unknown;
  stream.on('error', (error) => { failure ??= error; });
  const check = (): void => {
    if (failure !== undefined) throw new InputError(describeWriteError(target, failure));
  };
  return {
    line: async (text) => {
      check();
      if (!stream.write(`${text}\n`)) await drained(stream);
      check();
    },
    commit: async () => {
      await new Promise<void>((resolve) => stream.end(resolve));
      check();
      try {
        renameSync(temporary, target);
      } catch (error) {
        rmSync(temporary, { force: true });
        throw new InputError(describeWriteError(target, error));
      }
    },
    abort: () => {
      stream.destroy();
      rmSync(temporary, { force: true });
    },
  };
}
