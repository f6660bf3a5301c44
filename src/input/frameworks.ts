/**
 * Inputs as users name them, to the executions they hold: a log file is one execution; a folder,
 * or a file that a framework writes (TensorBoard event files, `trainer_state.json`, metrics CSVs,
 * DVCLive and MLflow folders), goes through discovery (parsers/frameworks/discover.ts) and may
 * hold several. Framework executions are read here into the same RecordSink a log's records go to,
 * so every command downstream sees records, whatever wrote them.
 *
 * Only folders and files whose names say "framework" are looked at twice: a plain `train.log`
 * named on the command line costs no extra stat or read, so 1,000 logs start as fast as before.
 */
import { createReadStream } from 'node:fs';
import { statFile } from '../core/files.js';
import { basename, extname } from 'node:path';
import { InputError, UsageError } from '../core/errors.js';
import type { JsonObject, MetadataRecord } from '../core/types.js';
import type { DiscoveredInput } from '../parsers/frameworks/discover.js';
import type { TensorBoardBatch } from '../parsers/frameworks/tensorboard.js';
import type { RecordSink } from '../parsers/source.js';

// The framework readers (and the protobuf runtime behind TensorBoard's) load only when an input
// needs them: a command over plain logs starts as fast as it did before they existed.
const discovery = (): Promise<typeof import('../parsers/frameworks/discover.js')> => import('../parsers/frameworks/discover.js');
const tensorBoard = (): Promise<typeof import('../parsers/frameworks/tensorboard.js')> => import('../parsers/frameworks/tensorboard.js');

/** `events.out.tfevents.*`, as TF, Keras, PyTorch and tensorboardX name event files (the name check tensorboard.ts makes, without loading it). */
function isEventFileName(name: string): boolean {
  return name.startsWith('events.out.tfevents.') && name.length > 'events.out.tfevents.'.length;
}

/** One execution to read: a log for the line reader, or a framework input for the readers here. */
export type ExecutionInput =
  | { kind: 'log'; path: string }
  | { kind: 'framework'; input: DiscoveredInput }
  /** An input that gave no execution (a folder with nothing readable), kept in its place so messages come in input order. */
  | { kind: 'unreadable'; path: string; message: string };

/**
 * Whether an input names a log at a git revision, `git:REV:PATH` (input/git.ts, loaded only when
 * one is named). Such a log is always a log, never a framework's file or a folder; a file whose
 * name starts with `git:` is read as `./git:…`.
 */
export function isGitSpec(input: string): boolean {
  return input.startsWith('git:');
}

/**
 * Whether an input names a remote object, or a glob over some: `s3://`, `gs://`, `https://`,
 * `http://` (input/remote.ts, loaded only when one is named). Always a log, never a framework's
 * file or a folder; a glob is expanded by listing the bucket.
 */
export function isRemoteSpec(input: string): boolean {
  return /^(s3|gs|https?):\/\//i.test(input);
}

/** File names that only frameworks write; anything else named on the command line is a log. */
const FRAMEWORK_NAMES = new Set(['trainer_state.json', 'metrics.json', 'params.yaml', 'hparams.yaml']);
const FRAMEWORK_EXTENSIONS = new Set(['.csv', '.tsv']);

/** Whether a named file (not a folder) should go through discovery rather than the line reader. */
export function frameworkFileName(path: string): boolean {
  const name = basename(path);
  return isEventFileName(name) || FRAMEWORK_NAMES.has(name) || FRAMEWORK_EXTENSIONS.has(extname(name).toLowerCase());
}

/** The name an execution goes by: the path as given for logs and named files, the run's path below a searched folder. */
export function executionName(input: ExecutionInput): string {
  return input.kind === 'framework' ? input.input.name : input.path;
}

/**
 * Expands the inputs as given into executions, in order. A folder is searched (an MLflow tree
 * gives one execution per run, a TensorBoard logdir one per run folder); a folder holding nothing
 * readable stays in its place as 'unreadable', with the message to report. Paths that cannot be
 * stat'ed are kept as logs, so the line reader reports them exactly as before.
 */
export async function expandInputs(inputs: readonly string[], hooks: { onWarning(path: string, message: string): void }): Promise<ExecutionInput[]> {
  const out: ExecutionInput[] = [];
  for (const path of inputs) {
    if (path === '-' || isGitSpec(path)) {
      out.push({ kind: 'log', path });
      continue;
    }
    if (isRemoteSpec(path)) {
      try {
        for (const object of await (await import('./remote.js')).expandRemoteGlob(path)) out.push({ kind: 'log', path: object });
      } catch (error) {
        if (!(error instanceof InputError || error instanceof UsageError)) throw error;
        out.push({ kind: 'unreadable', path, message: error.message });
      }
      continue;
    }
    let directory = false;
    if (!frameworkFileName(path)) {
      // A plain log name: one stat only if it could be a folder (no extension, or a trailing slash).
      if (extname(path) !== '' && !path.endsWith('/')) {
        out.push({ kind: 'log', path });
        continue;
      }
      try {
        directory = (await statFile(path)).isDirectory();
      } catch {
        directory = false;
      }
      if (!directory) {
        out.push({ kind: 'log', path });
        continue;
      }
    }
    let found: DiscoveredInput[];
    try {
      found = await (await discovery()).discoverFrameworkInputs(path, { onWarning: hooks.onWarning });
    } catch (error) {
      if (error instanceof InputError) {
        out.push({ kind: 'unreadable', path, message: error.message });
        continue;
      }
      // Not readable as a framework file: let the line reader say why, as it does for any log.
      out.push({ kind: 'log', path });
      continue;
    }
    if (found.length === 0) {
      const message = directory ? `${path}: no training logs found in this folder (looked for *.log, *.jsonl, TensorBoard event files, trainer_state.json, metrics CSVs, DVCLive and MLflow runs)` : `${path}: not a file vizmeta can read as a framework's metrics`;
      out.push({ kind: 'unreadable', path, message });
      continue;
    }
    for (const input of found) out.push(input.kind === 'log' ? { kind: 'log', path: input.path } : { kind: 'framework', input });
  }
  return out;
}

/** Whether any input needs expanding: most command lines are plain logs, and skip the async walk. */
export function needsExpanding(inputs: readonly string[]): boolean {
  return inputs.some((path) => path !== '-' && !isGitSpec(path) && (isRemoteSpec(path) ? /[*?]/.test(path) : frameworkFileName(path) || extname(path) === '' || path.endsWith('/')));
}

/**
 * Reads one framework execution into the sink: records named by the execution (`source`), lines
 * as the file numbers them (else the record's position), warnings as diagnostics. Returns the
 * number of records (standing in for "lines read" in summaries and messages) and the name the
 * records went out under: the discovered name, with an MLflow run's own name after it. Throws
 * InputError when the input itself cannot be read.
 */
export async function readFrameworkExecution(input: DiscoveredInput, sink: RecordSink, now: () => number = Date.now): Promise<{ records: number; source: string }> {
  let source = input.name;
  const readTime = new Date(now()).toISOString();
  let count = 0;
  const emit = (values: JsonObject, time: string | undefined, line: number): void => {
    count++;
    const record: MetadataRecord = { values, time: time ?? readTime, source, line };
    sink.record(record);
  };
  if (input.kind === 'tensorboard') {
    const [{ listEventFiles }, { TensorBoardReader }] = await Promise.all([discovery(), tensorBoard()]);
    const files = await listEventFiles(input.path);
    for (const file of files) {
      const label = files.length > 1 || file !== input.path ? `${source} (${basename(file)})` : source;
      const reader = new TensorBoardReader();
      const take = (batch: TensorBoardBatch): void => {
        for (const record of batch.records) emit(record.values, record.time, count + 1);
        for (const warning of batch.warnings) sink.diagnostic({ source: label, line: 0, message: warning.message });
        sink.chunkDone?.();
      };
      try {
        for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 })) take(reader.push(chunk as Buffer));
      } catch (error) {
        throw new InputError(`${file}: cannot read (${(error as Error).message})`);
      }
      take(reader.end());
    }
    return { records: count, source };
  }
  if (input.kind === 'log') throw new Error(`${input.path}: a log is read by the line reader`);
  const run = await (await discovery()).readFrameworkInput(input);
  // An MLflow run's own name (`mlflow.runName`) is what people call it; its folder is a hash.
  if (run.name !== undefined && run.name !== '') source = `${input.name} (${run.name})`;
  run.records.forEach((record, index) => emit(record.values, record.time, record.line ?? index + 1));
  for (const warning of run.warnings) sink.diagnostic({ source, line: warning.line ?? 0, message: warning.message });
  sink.chunkDone?.();
  return { records: count, source };
}
