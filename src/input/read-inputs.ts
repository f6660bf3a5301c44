/**
 * Every input a command names, read in order into one RecordSink: logs through the line reader,
 * folders and framework files through input/frameworks.ts. The loop behind extract, chart, table
 * and stats.
 */
import { formatCount } from '../core/format.js';
import { InputError, UsageError } from '../core/errors.js';
import { stdinStream, type StdinSource } from '../core/io.js';
import type { Readable } from 'node:stream';
import { checkReadable, describeFsError, openFile, readStreamCounted, SMALL_INPUT_BYTES, wholeFile, type ReadOptions, type RecordSink } from '../parsers/source.js';
import { isSummaryFile, summaryFileNotRead } from './summary-sniff.js';
import { expandInputs, isGitSpec, isRemoteSpec, needsExpanding, readFrameworkExecution, type ExecutionInput } from './frameworks.js';

export interface InputResult {
  /** Inputs that could not be read, with the one-line reason already reported. */
  failed: string[];
}

export interface InputHooks {
  onError(message: string): void;
  /** Something skipped inside a searched folder. Default: reported through onError. */
  onWarning?(path: string, message: string): void;
  onInputStart?(source: string): void;
  /** `lines` is the lines read for a log; for a framework file, the records it held. */
  onInputEnd?(source: string, lines: number): void;
  /** An input read to its end that held no records: one line saying so and, when it can tell, why. */
  onNoRecords?(message: string): void;
  /**
   * A summary file (`vizmeta summarize`) among the inputs, for a command that folds execution
   * summaries (`stats`). Without it, a summary file is an error naming it (the command needs records).
   */
  onSummaryFile?(path: string): Promise<void>;
}

/** `train.log: no metadata in 1,234 lines; <why>`: what a command says of an input that held no records. */
export function noRecordsMessage(source: string, lines: number, hint: string | undefined, kind: 'lines' | 'framework' = 'lines'): string {
  const name = source === '-' ? 'stdin' : source;
  const what = kind === 'framework' ? 'no metrics found in it' : `no metadata in ${formatCount(lines)} line${lines === 1 ? '' : 's'}`;
  return `${name}: ${what}${hint === undefined ? '' : `; ${hint}`}`;
}

/**
 * Reads each input in order (`-` is stdin) and sends records and diagnostics to the sink.
 * A folder or a framework's file becomes the executions it holds. An input that cannot be read is
 * reported through `onError` and skipped; the rest are still read.
 */
export async function readInputs(inputs: readonly string[], stdin: StdinSource, sink: RecordSink, options: ReadOptions, hooks: InputHooks): Promise<InputResult> {
  const failed: string[] = [];
  const executions: ExecutionInput[] = needsExpanding(inputs)
    ? await expandInputs(inputs, { onWarning: hooks.onWarning ?? ((path, message) => hooks.onError(`${path}: ${message}`)) })
    : inputs.map((path) => ({ kind: 'log', path }));
  const remote = remoteOpener(executions);
  for (const [position, execution] of executions.entries()) {
    if (execution.kind === 'unreadable') {
      hooks.onError(execution.message);
      failed.push(execution.path);
      continue;
    }
    if (execution.kind === 'framework') {
      const source = execution.input.name;
      hooks.onInputStart?.(source);
      try {
        const read = await readFrameworkExecution(execution.input, sink, options.now);
        hooks.onInputEnd?.(read.source, read.records);
        if (read.records === 0) hooks.onNoRecords?.(noRecordsMessage(read.source, 0, undefined, 'framework'));
      } catch (error) {
        hooks.onError((error as Error).message);
        failed.push(source);
      }
      continue;
    }
    const input = execution.path;
    let stream: AsyncIterable<Buffer | string>;
    let read = options;
    if (input === '-') {
      stream = stdinStream(stdin);
    } else if (isGitSpec(input) || isRemoteSpec(input)) {
      try {
        stream = isGitSpec(input) ? (await (await import('./git.js')).openGitObject(input)).stream : await remote.open(position);
      } catch (error) {
        if (!(error instanceof InputError || error instanceof UsageError)) throw error;
        hooks.onError(error.message);
        failed.push(input);
        continue;
      }
    } else {
      try {
        const stats = await checkReadable(input);
        // A small log is read line by line with JSON.parse: the byte scanners and the JSON-lines
        // writer pay for their warm-up only on big ones (ReadOptions.smallInput; issue 18).
        if (stats.isFile() && stats.size <= SMALL_INPUT_BYTES) read = { ...options, smallInput: true };
      } catch (error) {
        hooks.onError((error as Error).message);
        failed.push(input);
        continue;
      }
      if (isSummaryFile(input)) {
        if (hooks.onSummaryFile !== undefined) await hooks.onSummaryFile(input);
        else {
          hooks.onError(summaryFileNotRead(input));
          failed.push(input);
        }
        continue;
      }
      stream = read.smallInput === true ? wholeFile(input) : openFile(input);
    }
    hooks.onInputStart?.(input);
    let count;
    try {
      count = await readStreamCounted(stream, input, sink, read);
    } catch (error) {
      hooks.onError(error instanceof InputError ? error.message : describeFsError(input, error));
      failed.push(input);
      continue;
    }
    hooks.onInputEnd?.(input, count.lines);
    if (count.records === 0) hooks.onNoRecords?.(noRecordsMessage(input, count.lines, count.hint));
  }
  remote.close();
  return { failed };
}

/** Remote objects readInputs has open at once: the one being read and the next ones, in order. */
export const REMOTE_AHEAD = 8;

/**
 * Opens the remote inputs among `executions` up to REMOTE_AHEAD ahead of the one being read
 * (input/remote.ts, loaded only when there is one), so each request's latency overlaps the reading
 * of the objects before it while records still reach the sink in input order. An object opened
 * ahead waits with at most a socket's buffer of bytes: the stream is not read until its turn.
 */
function remoteOpener(executions: readonly ExecutionInput[]): { open(position: number): Promise<Readable>; close(): void } {
  const positions = executions.flatMap((execution, position) => (execution.kind === 'log' && isRemoteSpec(execution.path) ? [position] : []));
  const opened = new Map<number, Promise<Readable>>();
  let next = 0;
  let reached = 0;
  return {
    open: (position) => {
      while (reached < positions.length && positions[reached] !== position) reached++;
      for (; next < positions.length && next < reached + REMOTE_AHEAD; next++) {
        const at = positions[next] as number;
        const path = (executions[at] as { path: string }).path;
        const promise = import('./remote.js').then((remote) => remote.openRemoteObject(path)).then((object) => object.stream);
        // Its failure is reported when its turn comes, not as an unhandled rejection now.
        promise.catch(() => {});
        opened.set(at, promise);
      }
      const promise = opened.get(position) ?? Promise.reject(new Error(`remote input ${position} was not opened`));
      opened.delete(position);
      return promise;
    },
    close: () => {
      for (const promise of opened.values()) promise.then((stream) => stream.destroy(), () => {});
      opened.clear();
    },
  };
}
