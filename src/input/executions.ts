/**
 * Many executions: one summary per input (`summarizeFile` from a stream; `summarizeFileSync` with
 * blocking reads, for workers; `summarizeFileAhead`, reading the next chunk while parsing), with a
 * driver that reads files one at a time in-process or, when there are many files and more than
 * one core, on a pool of threads. Results always come back in input order.
 *
 * Never more than `jobs` files are open at once (in-process: one), so `sort` over 1,000 logs
 * stays within file-descriptor limits and memory grows with executions × keys only.
 */
import { accessSync, closeSync, constants, existsSync, openSync, read, readSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { formatDiagnostic, stdinStream, warn, type CommandIO, type StdinSource } from '../core/io.js';
import { KUBEFLOW_MAX_BYTES, mightBeKubeflowMetrics, parseKubeflowMetrics } from '../formats/kubeflow-metrics.js';
import { compileSchema, violationDiagnostic, type LoadedSchema, type RecordValidator } from '../formats/schema.js';
import { Series } from '../analyse/series.js';
import { flattenValues, getPath } from '../parsers/metadata.js';
import { topLevelKeysFor, type OtherKeysSink } from '../parsers/fast/partial.js';
import { readWholeFile } from '../core/files.js';
import { checkReadable, describeFsError, endlessLineBytes, LineReader, SMALL_INPUT_BYTES, openFile, readStreamCounted, type ReadCount, type ReadOptions, type RecordSink } from '../parsers/source.js';
import { noRecordsMessage, readInputs } from './read-inputs.js';
import { withSummaryFiles } from './summary-files.js';
import { expandInputs, isGitSpec, isRemoteSpec, needsExpanding, readFrameworkExecution } from './frameworks.js';
import type { DiscoveredInput } from '../parsers/frameworks/discover.js';
import { failedSummary, STEP_KEYS, SummaryBuilder, type ExecutionSummary } from '../analyse/summary.js';
import type { Diagnostic, JsonValue } from '../core/types.js';
import { InputError, UsageError } from '../core/errors.js';
import { importModule } from '../core/import-module.js';

/** Points kept per key history: enough for a sparkline or a chart 200 columns wide. */
export const DEFAULT_HISTORY_POINTS = 256;

/** What to summarise. Plain data only: it is posted to worker threads as is. */
export interface SummarizeOptions {
  /** Keys to aggregate: a set of dotted paths, or `all`. Default `all`. A set makes reading cheaper on wide logs. */
  keys?: ReadonlySet<string> | 'all';
  /** Keys whose bounded history to keep (sparklines, charts), or `all`. Default none. */
  history?: ReadonlySet<string> | 'all';
  /** Points kept per history. Default 256. */
  historyPoints?: number;
  /** Line grammar options (`--loose`, `--max-line-bytes`). */
  read?: Pick<ReadOptions, 'loose' | 'maxLineBytes' | 'dialects'>;
  /** Validate every record against this schema (`--schema`). */
  schema?: LoadedSchema;
  /** Keys outside a `keys` set: skipped (default) or kept as count and latest only (SummaryOptions.others). */
  others?: 'skip' | 'latest';
  /** Also keep per-key times and `stats`' moments, as summary files hold them (SummaryOptions.moments). */
  moments?: boolean;
  /** Distinct keys one execution may hold (SummaryOptions.maxKeys, `compare --max-keys`). Default unlimited. */
  maxKeys?: number;
}

const validators = new Map<string, RecordValidator>();

/** One compiled validator per distinct schema, so 1,000 files do not compile it 1,000 times. */
function validatorFor(schema: LoadedSchema): RecordValidator {
  const key = JSON.stringify(schema.schema);
  let validator = validators.get(key);
  if (validator === undefined) {
    validator = compileSchema(schema);
    validators.set(key, validator);
  }
  return validator;
}

/**
 * Reader options for a summary: when only some keys are aggregated (and no schema needs whole
 * records), the reader converts only those keys and the step keys, which is much cheaper.
 */
function readOptionsFor(options: SummarizeOptions): ReadOptions {
  // A summary reads its input to the end: a line that never ends (/dev/zero) must stop it.
  const read: ReadOptions = { maxSkippedLineBytes: endlessLineBytes(options.read?.maxLineBytes), ...(options.read ?? {}) };
  if (options.keys !== undefined && options.keys !== 'all' && options.schema === undefined) {
    read.keys = topLevelKeysFor([...options.keys, ...STEP_KEYS]);
  }
  return read;
}

function builderFor(execution: string, options: SummarizeOptions): { builder: SummaryBuilder; sink: RecordSink } {
  const points = options.historyPoints ?? DEFAULT_HISTORY_POINTS;
  const builder = new SummaryBuilder(execution, {
    keys: options.keys ?? 'all',
    history: options.history ?? new Set(),
    makeHistory: () => new Series(Math.max(16, points)),
    ...(options.others !== undefined ? { others: options.others } : {}),
    ...(options.moments === true ? { moments: true } : {}),
    ...(options.maxKeys !== undefined ? { maxKeys: options.maxKeys } : {}),
  });
  const validator = options.schema ? validatorFor(options.schema) : undefined;
  const sink: RecordSink & Partial<OtherKeysSink> = {
    record: (record) => {
      builder.add(record);
      if (validator) for (const violation of validator(record.values, record.line)) builder.violation(violation);
    },
    chunkDone: () => builder.chunkDone(),
    diagnostic: (diagnostic) => builder.diagnostic(diagnostic),
  };
  // sort's default columns: the reader hands the builder the other keys, raw (OtherKeysSink). A
  // schema reads whole records, so the reader then has no `keys` and never calls this.
  if (options.others === 'latest') sink.recordWithOthers = (record, others) => builder.recordWithOthers(record, others);
  return { builder, sink };
}

/** The summary of a log read to its end, with the reason it held no records when it held none. */
function finished(builder: SummaryBuilder, reader: LineReader): ExecutionSummary {
  const hint = reader.noRecordsHint();
  return counted(builder, hint === undefined ? { lines: reader.lines, records: reader.records } : { lines: reader.lines, records: reader.records, hint });
}

function counted(builder: SummaryBuilder, count: ReadCount): ExecutionSummary {
  const summary = builder.finish(count.lines);
  if (count.hint !== undefined) summary.noRecordsHint = count.hint;
  return summary;
}

/**
 * A small file read whole, by either reader: a Kubeflow `mlpipeline-metrics.json` document is one
 * record timed by the file's mtime; anything else goes through the line reader.
 */
function summarizeWholeFile(path: string, bytes: Buffer, mtime: Date, builder: ReturnType<typeof builderFor>['builder'], sink: ReturnType<typeof builderFor>['sink'], options: SummarizeOptions): ExecutionSummary {
  if (mightBeKubeflowMetrics(bytes.toString('utf8', 0, Math.min(bytes.length, 4096)))) {
    const kubeflow = parseKubeflowMetrics(bytes.toString('utf8'));
    if (kubeflow !== undefined) {
      sink.record({ values: kubeflow.values, time: mtime.toISOString(), source: path, line: 1 });
      for (const message of kubeflow.skipped) sink.diagnostic({ source: path, line: 1, message });
      return builder.finish(bytes.toString('utf8').split('\n').length, 'kubeflow');
    }
  }
  const read = readOptionsFor(options);
  const reader = new LineReader(path, sink, bytes.length <= SMALL_INPUT_BYTES ? { ...read, smallInput: true } : read);
  reader.push(bytes);
  reader.end();
  return finished(builder, reader);
}

/**
 * Summarises one file. Never throws for the file's sake: an unreadable file gives a summary
 * with `error` set. A small file that is one Kubeflow `mlpipeline-metrics.json` document is read
 * as a single record.
 */
export async function summarizeFile(path: string, options: SummarizeOptions = {}): Promise<ExecutionSummary> {
  if (isGitSpec(path)) return summarizeObject(path, options, async () => (await import('./git.js')).openGitObject(path));
  if (isRemoteSpec(path)) return summarizeObject(path, options, async () => (await import('./remote.js')).openRemoteObject(path));
  let size: number;
  let mtime: Date;
  let regular: boolean;
  try {
    const stats = await checkReadable(path);
    ({ size, mtime } = stats);
    regular = stats.isFile();
  } catch (error) {
    return failedSummary(path, (error as Error).message);
  }
  const { builder, sink } = builderFor(path, options);
  try {
    // A FIFO, a device, /dev/stdin or a /proc file says size 0 whatever it holds: streamed, never
    // read whole (issue 15, item 13).
    if (regular && size > 0 && size <= KUBEFLOW_MAX_BYTES) {
      // Small files are read whole: one read, and a chance to recognise a Kubeflow document.
      return summarizeWholeFile(path, await readWholeFile(path), mtime, builder, sink, options);
    }
    return counted(builder, await readStreamCounted(openFile(path), path, sink, readOptionsFor(options)));
  } catch (error) {
    return failedSummary(path, describeFsError(path, error));
  }
}

/**
 * Summarises `git:REV:PATH` (input/git.ts) or a remote object (input/remote.ts), each module
 * loaded only now. As for a file: an object within KUBEFLOW_MAX_BYTES that may be a Kubeflow
 * document is taken whole, anything else goes through the line reader chunk by chunk as it comes.
 */
async function summarizeObject(spec: string, options: SummarizeOptions, open: () => Promise<{ size: number | undefined; stream: Readable }>): Promise<ExecutionSummary> {
  let object;
  try {
    object = await open();
  } catch (error) {
    if (error instanceof InputError || error instanceof UsageError) return failedSummary(spec, error.message);
    throw error;
  }
  const { builder, sink } = builderFor(spec, options);
  const chunks = object.stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  try {
    const first = await chunks.next();
    const head = first.done === true ? Buffer.alloc(0) : first.value;
    if (object.size !== undefined && object.size <= KUBEFLOW_MAX_BYTES && mightBeKubeflowMetrics(head.toString('utf8', 0, Math.min(head.length, 4096)))) {
      const parts = [head];
      for (let next = await chunks.next(); next.done !== true; next = await chunks.next()) parts.push(next.value);
      return summarizeWholeFile(spec, Buffer.concat(parts), new Date(), builder, sink, options);
    }
    const reader = new LineReader(spec, sink, readOptionsFor(options));
    if (head.length > 0) reader.push(head);
    for (let next = await chunks.next(); next.done !== true; next = await chunks.next()) reader.push(next.value);
    reader.end();
    return finished(builder, reader);
  } catch (error) {
    return failedSummary(spec, error instanceof InputError ? error.message : describeFsError(spec, error));
  } finally {
    object.stream.destroy();
  }
}

/** Bytes read at a time: a whole small file (a Kubeflow document is at most KUBEFLOW_MAX_BYTES), or a chunk of a big one. */
const READ_BUFFER_BYTES = Math.max(1024 * 1024, KUBEFLOW_MAX_BYTES + 1);

/** Reads from `fd` until `buffer` is full or the file ends. */
function fillBuffer(fd: number, buffer: Buffer): { filled: number; ended: boolean } {
  let filled = 0;
  while (filled < buffer.length) {
    const bytesRead = readSync(fd, buffer, filled, buffer.length - filled, null);
    if (bytesRead === 0) return { filled, ended: true };
    filled += bytesRead;
  }
  return { filled, ended: false };
}

/**
 * This thread's read buffer, reused file after file: a fresh buffer per file (readFileSync) cost
 * page faults and garbage collection, a third of the time on 1,000 logs of 100 KB. The line reader
 * copies what it keeps of a chunk, so the bytes are free again when push() returns.
 */
let readBuffer: Buffer | undefined;

/**
 * Reads an open file into the summary: whole when it ends within KUBEFLOW_MAX_BYTES (it may be a
 * Kubeflow `mlpipeline-metrics.json`), else chunk by chunk. The size comes from reading, not from
 * stat, so a FIFO is read as it comes, with bounded memory.
 */
function summarizeOpenFile(path: string, fd: number, mtime: Date, builder: SummaryBuilder, sink: RecordSink, options: SummarizeOptions): ExecutionSummary {
  const buffer = (readBuffer ??= Buffer.allocUnsafe(READ_BUFFER_BYTES));
  const { filled, ended } = fillBuffer(fd, buffer);
  if (ended && filled <= KUBEFLOW_MAX_BYTES) return summarizeWholeFile(path, buffer.subarray(0, filled), mtime, builder, sink, options);
  const reader = new LineReader(path, sink, readOptionsFor(options));
  reader.push(buffer.subarray(0, filled));
  for (;;) {
    const bytesRead = readSync(fd, buffer, 0, buffer.length, null);
    if (bytesRead === 0) break;
    reader.push(buffer.subarray(0, bytesRead));
  }
  reader.end();
  return finished(builder, reader);
}

/**
 * summarizeFile without the event loop, for worker threads: there blocking costs nothing, while
 * each await of an fs call waits for libuv's thread pool, which every worker shares (a worker
 * sat idle half the time on 100 KB files). Same summary, same messages, as summarizeFile.
 */
export function summarizeFileSync(path: string, options: SummarizeOptions = {}): ExecutionSummary {
  const checked = checkFileSync(path);
  if ('error' in checked) return failedSummary(path, checked.error);
  const { builder, sink } = builderFor(path, options);
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    return summarizeOpenFile(path, fd, checked.mtime, builder, sink, options);
  } catch (error) {
    return failedSummary(path, describeFsError(path, error));
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** As checkReadable, with blocking calls: a directory or an unreadable file is named, not read. */
function checkFileSync(path: string): { mtime: Date; regular: boolean } | { error: string } {
  let stats;
  try {
    stats = statSync(path);
  } catch (error) {
    return { error: describeFsError(path, error) };
  }
  if (stats.isDirectory()) return { error: `${path}: is a directory` };
  try {
    accessSync(path, constants.R_OK);
  } catch (error) {
    return { error: describeFsError(path, error) };
  }
  return { mtime: stats.mtime, regular: stats.isFile() };
}

/** summarizeFileAhead's two buffers (one chunk is parsed while the next is read into the other), and whether a call holds them. */
let aheadBuffers: [Buffer, Buffer] | undefined;
let aheadBuffersBusy = false;

/**
 * summarizeFileSync for the one thread reading a big log: the next chunk is read on the fs thread
 * pool while this one is parsed, so copying from the page cache (a tenth of the time on a 100 MB
 * log) overlaps the parsing instead of adding to it. Same summary, same messages.
 */
export async function summarizeFileAhead(path: string, options: SummarizeOptions = {}): Promise<ExecutionSummary> {
  if (isGitSpec(path) || isRemoteSpec(path)) return summarizeFile(path, options);
  const checked = checkFileSync(path);
  if ('error' in checked) return failedSummary(path, checked.error);
  // A FIFO or a device may wait on a writer that waits on us (`tee` into it and into stdin):
  // only a regular file is read with a blocking call.
  if (!checked.regular) return summarizeFile(path, options);
  const { builder, sink } = builderFor(path, options);
  // Two calls at once (none today) would each need their own pair.
  const shared = !aheadBuffersBusy;
  const buffers = shared ? (aheadBuffers ??= [Buffer.allocUnsafe(READ_BUFFER_BYTES), Buffer.allocUnsafe(READ_BUFFER_BYTES)]) : [Buffer.allocUnsafe(READ_BUFFER_BYTES), Buffer.allocUnsafe(READ_BUFFER_BYTES)];
  if (shared) aheadBuffersBusy = true;
  let fd: number | undefined;
  let pending: Promise<number> | undefined;
  try {
    fd = openSync(path, 'r');
    const file = fd;
    let [current, spare] = buffers;
    const first = fillBuffer(file, current);
    if (first.ended && first.filled <= KUBEFLOW_MAX_BYTES) return summarizeWholeFile(path, current.subarray(0, first.filled), checked.mtime, builder, sink, options);
    const reader = new LineReader(path, sink, readOptionsFor(options));
    let length = first.filled;
    for (;;) {
      const target = spare;
      pending = new Promise<number>((resolve, reject) => {
        read(file, target, 0, target.length, null, (error, bytesRead) => (error ? reject(error) : resolve(bytesRead)));
      });
      reader.push(current.subarray(0, length));
      length = await pending;
      pending = undefined;
      if (length === 0) break;
      [current, spare] = [spare, current];
    }
    reader.end();
    return finished(builder, reader);
  } catch (error) {
    return failedSummary(path, describeFsError(path, error));
  } finally {
    // A read still under way must end before its descriptor is closed (and perhaps reused).
    if (pending !== undefined) await pending.catch(() => 0);
    if (fd !== undefined) closeSync(fd);
    if (shared) aheadBuffersBusy = false;
  }
}

/** Summarises a stream (stdin). */
export async function summarizeStream(stream: Readable, execution: string, options: SummarizeOptions = {}): Promise<ExecutionSummary> {
  const { builder, sink } = builderFor(execution, options);
  try {
    return counted(builder, await readStreamCounted(stream, execution, sink, readOptionsFor(options)));
  } catch (error) {
    return failedSummary(execution, describeFsError(execution, error));
  }
}

/** Below this many files, starting worker threads costs more than it saves. */
export const WORKER_THRESHOLD = 8;

export interface DriverOptions extends SummarizeOptions {
  /** Threads reading files, this one included: 1 reads in-process; default: the available cores, used from 8 files on. */
  jobs?: number;
  /** Where `-` reads from. */
  stdin: StdinSource;
}

/** How many threads (this one and workers) to use for `files` files; 1 means in-process. */
export function plannedJobs(files: number, jobs: number | undefined): number {
  if (jobs !== undefined) return files >= 2 ? Math.max(1, Math.min(jobs, files)) : 1;
  const cores = availableParallelism();
  if (cores < 2 || files < WORKER_THRESHOLD) return 1;
  return Math.min(cores, files);
}

function workerUrl(): URL | undefined {
  const url = new URL('./summary-worker.js', import.meta.url);
  // Under a TypeScript test runner this module is src/input/executions.ts and there is no built worker.
  return existsSync(fileURLToPath(url)) ? url : undefined;
}

/**
 * Summarises every input, in input order. `-` is stdin, read in-process. Uses a worker pool when
 * `plannedJobs` says so and the built worker exists; otherwise reads in-process, one file at a time.
 */
export async function summarizeExecutions(inputs: readonly string[], options: DriverOptions): Promise<ExecutionSummary[]> {
  // A summary file (`vizmeta summarize`) is the executions it holds (input/summary-files.ts).
  const withParts = await withSummaryFiles(inputs, (logs) => summarizeLogsAndFolders(logs, options), { history: options.history ?? new Set(), moments: options.moments === true });
  return withParts ?? summarizeLogsAndFolders(inputs, options);
}

function summarizeLogsAndFolders(inputs: readonly string[], options: DriverOptions): Promise<ExecutionSummary[]> {
  if (needsExpanding(inputs)) return summarizeExpanded(inputs, options);
  return summarizeLogs(inputs, options);
}

/**
 * summarizeExecutions when a folder or a framework's file is among the inputs: each becomes the
 * executions it holds, framework ones read here, logs as summarizeLogs reads them.
 */
async function summarizeExpanded(inputs: readonly string[], options: DriverOptions): Promise<ExecutionSummary[]> {
  const warnings: Diagnostic[] = [];
  const executions = await expandInputs(inputs, { onWarning: (path, message) => warnings.push({ source: path, line: 0, message }) });
  const logs = executions.flatMap((execution) => (execution.kind === 'log' ? [execution.path] : []));
  const logSummaries = await summarizeLogs(logs, options);
  let nextLog = 0;
  const results: ExecutionSummary[] = [];
  for (const execution of executions) {
    if (execution.kind === 'log') results.push(logSummaries[nextLog++] as ExecutionSummary);
    else if (execution.kind === 'unreadable') results.push(failedSummary(execution.path, execution.message));
    else results.push(await summarizeFramework(execution.input, options));
  }
  // Things skipped inside searched folders are reported with the first execution's diagnostics.
  const first = results.find((summary) => summary.error === undefined);
  if (warnings.length > 0 && first !== undefined) first.diagnostics.unshift(...warnings);
  return results;
}

/** Summarises one framework execution (TensorBoard run, trainer_state.json, metrics CSV, DVCLive, MLflow run). */
export async function summarizeFramework(input: DiscoveredInput, options: SummarizeOptions): Promise<ExecutionSummary> {
  const { builder, sink } = builderFor(input.name, options);
  try {
    const read = await readFrameworkExecution(input, sink);
    return { ...builder.finish(read.records, 'framework'), execution: read.source };
  } catch (error) {
    return failedSummary(input.name, (error as Error).message);
  }
}

/** summarizeExecutions over log files and stdin only: in-process or on the worker pool. */
async function summarizeLogs(inputs: readonly string[], options: DriverOptions): Promise<ExecutionSummary[]> {
  const { jobs, stdin, ...summarize } = options;
  const results: ExecutionSummary[] = new Array<ExecutionSummary>(inputs.length);
  const fileIndexes: number[] = [];
  // stdin, git and remote objects are streams, read here; files may go to the pool.
  inputs.forEach((input, index) => { if (input !== '-' && !isGitSpec(input) && !isRemoteSpec(input)) fileIndexes.push(index); });
  const remote = summarizeRemoteInputs(inputs, results, summarize, jobs);
  const threads = plannedJobs(fileIndexes.length, jobs);
  const url = threads > 1 ? workerUrl() : undefined;
  if (url) {
    // Files go to the pool; stdin (if named) is read here meanwhile.
    const paths = fileIndexes.map((index) => inputs[index] as string);
    const pooled = summarizeInPool(url, threads, paths, summarize);
    const streams = inputs.map(async (input, index) => {
      if (input === '-') results[index] = await summarizeStream(stdinStream(stdin), '-', summarize);
      else if (isGitSpec(input)) results[index] = await summarizeFile(input, summarize);
    });
    const [summaries] = await Promise.all([pooled, Promise.all(streams), remote]);
    summaries.forEach((summary, i) => { results[fileIndexes[i] as number] = summary; });
    return results;
  }
  // Files are read with blocking calls, one after the other: from the page cache that is faster
  // than the fs thread pool's round trips (a 100 MB log spent a tenth of its time waiting on them).
  // Stdin is read meanwhile: the loop yields to the event loop between files.
  const streams = inputs.map(async (input, index) => {
    if (input === '-') results[index] = await summarizeStream(stdinStream(stdin), '-', summarize);
  });
  for (let index = 0; index < inputs.length; index++) {
    const input = inputs[index] as string;
    if (input === '-' || isRemoteSpec(input)) continue;
    results[index] = await summarizeFileAhead(input, summarize);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  await Promise.all([Promise.all(streams), remote]);
  return results;
}

/** Requests to a store at once when `--jobs` is not given: enough to hide latency, few enough not to be throttled. */
export const DEFAULT_REMOTE_JOBS = 8;

/**
 * Summarises the remote inputs into `results`, `jobs` (default DEFAULT_REMOTE_JOBS) at a time:
 * each is streamed, so at most that many connections are open and memory holds that many chunks.
 */
async function summarizeRemoteInputs(inputs: readonly string[], results: ExecutionSummary[], options: SummarizeOptions, jobs: number | undefined): Promise<void> {
  const indexes = inputs.flatMap((input, index) => (isRemoteSpec(input) ? [index] : []));
  let next = 0;
  const take = async (): Promise<void> => {
    while (next < indexes.length) {
      const index = indexes[next++] as number;
      results[index] = await summarizeFile(inputs[index] as string, options);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs ?? DEFAULT_REMOTE_JOBS, indexes.length) }, take));
}

/** What a summary worker is started with (`workerData`). */
export interface WorkerStart {
  paths: readonly string[];
  options: SummarizeOptions;
  /** One Int32: the index of the next path to take, shared by every worker (Atomics.add). */
  next: SharedArrayBuffer;
}

/** Messages from `summary-worker.ts`: summaries (or a failure) with the index of their path. */
export type WorkerReply = { summaries: Array<{ index: number; summary: ExecutionSummary; histories: PackedHistories }> } | { error: string };

/** Histories as flat `x0, y0, x1, y1, …` arrays by key: what `packHistories` takes out of a summary. */
export type PackedHistories = Array<[key: string, points: Float64Array]>;

/**
 * Takes the histories out of a summary as flat Float64Arrays, to be transferred instead of
 * cloned: cloning 1,000 summaries' 256 `{x, y}` objects each took a worker longer than reading
 * its share of the files. Returns the arrays' buffers for postMessage's transfer list.
 */
export function packHistories(summary: ExecutionSummary): { histories: PackedHistories; transfer: ArrayBuffer[] } {
  const histories: PackedHistories = [];
  for (const [key, keySummary] of summary.keys) {
    const points = keySummary.history;
    if (points === undefined) continue;
    const flat = new Float64Array(points.length * 2);
    points.forEach((point, i) => {
      flat[2 * i] = point.x;
      flat[2 * i + 1] = point.y;
    });
    histories.push([key, flat]);
    delete keySummary.history;
  }
  return { histories, transfer: histories.map(([, flat]) => flat.buffer as ArrayBuffer) };
}

/** Puts packed histories back; each becomes `{x, y}` points the first time it is read. */
export function unpackHistories(summary: ExecutionSummary, histories: PackedHistories): ExecutionSummary {
  for (const [key, flat] of histories) {
    const keySummary = summary.keys.get(key);
    if (keySummary === undefined) continue;
    let points: Array<{ x: number; y: number }> | undefined;
    Object.defineProperty(keySummary, 'history', {
      enumerable: true,
      configurable: true,
      get: () => {
        if (points === undefined) {
          points = new Array<{ x: number; y: number }>(flat.length / 2);
          for (let i = 0; i < points.length; i++) points[i] = { x: flat[2 * i] as number, y: flat[2 * i + 1] as number };
        }
        return points;
      },
      set: (value: Array<{ x: number; y: number }>) => { points = value; },
    });
  }
  return summary;
}

/**
 * Summarises `paths` on `threads` threads: this one and `threads - 1` workers. Every thread takes
 * the next path itself from a shared counter, so none waits for a round trip between files; each
 * reads one file at a time, so at most `threads` files are open. This thread starts at once,
 * while a worker takes ~80 ms to boot, and would otherwise only wait; it yields to the event loop
 * between files, so stdin (read meanwhile) and the workers' messages keep flowing.
 * Results come back in `paths` order. A worker that fails fails the whole call.
 */
async function summarizeInPool(url: URL, threads: number, paths: readonly string[], options: SummarizeOptions): Promise<ExecutionSummary[]> {
  const results = new Array<ExecutionSummary>(paths.length);
  const next = new SharedArrayBuffer(4);
  const counter = new Int32Array(next);
  const workers: Worker[] = [];
  let remaining = paths.length;
  let failure: Error | undefined;
  let exited = 0;
  let ownShareDone = false;
  let wake = (): void => {};
  const settled = new Promise<void>((resolve) => { wake = resolve; });
  let finished = false;
  const check = (error?: Error): void => {
    // Workers stopped by terminate() below exit with code 1: that is no failure; nor is a worker
    // that fails once every result is in.
    if (finished) return;
    if (remaining === 0 && failure === undefined) {
      wake();
      return;
    }
    failure ??= error;
    if (failure === undefined && remaining > 0 && ownShareDone && exited === workers.length) {
      failure = new Error(`summary workers ended with ${remaining} files unread`);
    }
    if (failure !== undefined || remaining === 0) wake();
  };
  // Loaded only for a pool: node:worker_threads is 1.5 ms of every start that never makes one (issue 18).
  const { Worker } = await importModule('node:worker_threads') as typeof import('node:worker_threads');
  for (let i = 0; i < threads - 1; i++) {
    const start: WorkerStart = { paths, options, next };
    const worker = new Worker(url, { workerData: start });
    worker.on('message', (reply: WorkerReply) => {
      if ('error' in reply) {
        check(new Error(reply.error));
        return;
      }
      for (const { index, summary, histories } of reply.summaries) {
        if (results[index] === undefined) remaining--;
        results[index] = unpackHistories(summary, histories);
      }
      check();
    });
    worker.on('error', (error) => check(error));
    // A worker ends by itself when no path is left; its messages are delivered before 'exit'.
    worker.on('exit', (code) => {
      exited++;
      check(code === 0 ? undefined : new Error(`summary worker exited with code ${code}`));
    });
    workers.push(worker);
  }
  for (let index = Atomics.add(counter, 0, 1); index < paths.length && failure === undefined; index = Atomics.add(counter, 0, 1)) {
    // As in-process: a FIFO is read without blocking this thread, which may also be reading stdin.
    results[index] = await summarizeFileAhead(paths[index] as string, options);
    remaining--;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  ownShareDone = true;
  check();
  await settled;
  finished = true;
  await Promise.all(workers.map((worker) => worker.terminate()));
  if (failure !== undefined) throw failure;
  return results;
}

/**
 * Writes what went wrong with the inputs to stderr, in input order: unreadable inputs, line
 * diagnostics, schema violations. Returns true when an input could not be read (exit status 2).
 */
export function reportInputProblems(io: CommandIO, executions: readonly ExecutionSummary[]): boolean {
  let failed = false;
  for (const execution of executions) {
    if (execution.error !== undefined) {
      warn(io, execution.error);
      failed = true;
      continue;
    }
    for (const diagnostic of execution.diagnostics) io.stderr.write(formatDiagnostic(diagnostic));
    if (execution.records === 0) warn(io, noRecordsMessage(execution.execution, execution.lines, execution.noRecordsHint, execution.kind === 'framework' ? 'framework' : 'lines'));
    if (execution.droppedDiagnostics > 0) {
      warn(io, `${execution.execution === '-' ? 'stdin' : execution.execution}: ${execution.droppedDiagnostics} more warnings not shown`);
    }
    for (const violation of execution.violations) io.stderr.write(formatDiagnostic(violationDiagnostic(execution.execution, violation)));
    const hidden = execution.violationCount - execution.violations.length;
    if (hidden > 0) warn(io, `${execution.execution === '-' ? 'stdin' : execution.execution}: ${hidden} more schema violations not shown`);
  }
  return failed;
}

/** Records of several inputs merged on a key: W&B's merged view. */
export interface JoinedTable {
  /** The join key's distinct values, sorted (numbers ascending, then strings). */
  rows: Array<{ value: JsonValue; cells: Array<Map<string, JsonValue>> }>;
  /** Per input, the keys seen besides the join key, in first-seen order. */
  keys: string[][];
}

function joinOrder(a: JsonValue, b: JsonValue): number {
  const na = typeof a === 'number';
  const nb = typeof b === 'number';
  if (na && nb) return (a as number) - (b as number);
  if (na !== nb) return na ? -1 : 1;
  const sa = typeof a === 'string' ? a : JSON.stringify(a);
  const sb = typeof b === 'string' ? b : JSON.stringify(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/**
 * Joins the records of each input on `key` (such as `step`). Records of one input with the
 * same key value merge, later values winning, so train and validation lines of one step form one
 * row. Records without the key are skipped. Memory grows with distinct key values × columns.
 * `onError` reports an input that cannot be read; the others are still joined.
 */
export async function joinInputs(
  inputs: readonly string[], key: string, wanted: ReadonlySet<string> | 'all', stdin: StdinSource, read: Pick<ReadOptions, 'loose' | 'maxLineBytes'>,
  hooks: { onError(message: string): void; onDiagnostic(diagnostic: Diagnostic): void },
): Promise<JoinedTable> {
  const byValue = new Map<string, { value: JsonValue; cells: Array<Map<string, JsonValue>> }>();
  const keys: string[][] = inputs.map(() => []);
  let index = 0;
  const sink: RecordSink = {
    record: (record) => {
      const joinValue = getPath(record.values, key);
      if (joinValue === undefined || joinValue === null || typeof joinValue === 'object') return;
      const id = `${typeof joinValue}:${String(joinValue)}`;
      let row = byValue.get(id);
      if (!row) {
        row = { value: joinValue, cells: inputs.map(() => new Map()) };
        byValue.set(id, row);
      }
      const cell = row.cells[index] as Map<string, JsonValue>;
      const seen = keys[index] as string[];
      for (const [name, value] of flattenValues(record.values)) {
        if (name === key || (wanted !== 'all' && !wanted.has(name))) continue;
        if (!seen.includes(name)) seen.push(name);
        cell.set(name, value);
      }
    },
    diagnostic: (diagnostic) => hooks.onDiagnostic(diagnostic),
  };
  for (index = 0; index < inputs.length; index++) {
    await readInputs([inputs[index] as string], stdin, sink, read, { onError: hooks.onError });
  }
  return { rows: [...byValue.values()].sort((a, b) => joinOrder(a.value, b.value)), keys };
}
