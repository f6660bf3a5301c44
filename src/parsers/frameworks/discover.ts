/**
 * Finds the training logs a path holds and reads the framework ones. The only module here that
 * touches the file system: the parsers it calls take text.
 *
 * A file is one input, its kind from its name and first bytes. A folder that is itself a run (an
 * MLflow run folder, a DVCLive folder) is one input; any other folder is searched:
 * - an MLflow run folder (`meta.yaml` + `metrics/`) is one input, not searched further, so an
 *   `mlruns/` tree gives one input per run (experiment folders only hold runs; `.trash` is hidden);
 * - a DVCLive folder is one input, named by the folder holding it (`exp1` for `exp1/dvclive`);
 * - a folder holding `events.out.tfevents.*` files is one TensorBoard execution, however many event
 *   files it holds (a restarted job appends a new file); {@link listEventFiles} orders them by file
 *   name, which starts with the writer's start time, so reading them in that order is time order;
 * - `trainer_state.json`: the output folder's own file when it has one (`Trainer.save_state()`,
 *   the fullest), else only the highest-numbered `checkpoint-N/trainer_state.json`: each
 *   checkpoint repeats the whole log_history so far, so reading all of them would repeat records;
 * - `*.csv`/`*.tsv` whose header looks like a metrics CSV; `*.log`, `*.txt` that hold a JSON object
 *   (or a Keras CSV), and every `*.jsonl`, as 'log' inputs for the JSON-lines reader.
 * Hidden folders, `node_modules` and `__pycache__` are not searched; symlinks are followed, each
 * real folder searched once (loops end there), to a bounded depth. Order is deterministic: within
 * a folder, the folder's own execution, then files, then sub-folders, each sorted by name.
 */
import { promises as fs, type Dirent } from 'node:fs';
import * as nodePath from 'node:path';
import { InputError } from '../../core/errors.js';
import { looksLikeMetricsCsv, parseMetricsCsv } from './csv-logger.js';
import { parseDvcLive, parseSimpleYaml, type DvcLiveFiles } from './dvclive.js';
import type { FrameworkRun, FrameworkWarning } from './framework-record.js';
import { parseMlflowRun, type MlflowRunFiles } from './mlflow.js';
import { looksLikeTrainerState, parseTrainerState } from './trainer-state.js';

/** What reads an input: the framework readers here, TensorBoard's reader, or the JSON-lines log reader. */
export type FrameworkInputKind = 'tensorboard' | 'trainer-state' | 'metrics-csv' | 'dvclive' | 'mlflow' | 'log';

/** One execution found under a path. */
export interface DiscoveredInput {
  kind: FrameworkInputKind;
  /**
   * What to read. A file for 'trainer-state', 'metrics-csv', 'log'; a run folder for 'mlflow'; the
   * DVCLive folder (or one `.tsv` named explicitly) for 'dvclive'; for 'tensorboard' the folder whose
   * event files make one execution, or the one event file named explicitly (see {@link listEventFiles}).
   */
  path: string;
  /** The execution's name shown to users: the path as given (trailing `/` dropped) for an input named explicitly and for an execution in the searched folder itself; below it, the run's path relative to it, `/`-separated. */
  name: string;
}

export interface DiscoverOptions {
  /** How many folder levels below the given folder are searched. */
  maxDepth?: number;
  /** Called for each thing skipped inside a searched folder (unreadable, too deep, a broken link). Without it, Node's process warning is used so nothing is lost silently. */
  onWarning?: (path: string, message: string) => void;
}

/** Folder levels searched below the given folder by default: `mlruns/<exp>/<run>` is 2, a TensorBoard `logdir/<run>/<train|validation>` 2, a project with run folders a few more. */
export const DEFAULT_MAX_DEPTH = 10;

/** Bytes read from a file to tell its kind. */
const HEAD_BYTES = 64 * 1024;

const SKIPPED_FOLDERS = new Set(['node_modules', '__pycache__']);
const CHECKPOINT = /^checkpoint-(\d+)$/;

/** Whether a file name is a TensorBoard event file (`events.out.tfevents.<time>.<host>[...]`). */
export function isEventFileName(name: string): boolean {
  return name.startsWith('events.out.tfevents.');
}

/**
 * The event files of a TensorBoard input's path, sorted by name: the path itself when it is a file,
 * else the folder's `events.out.tfevents.*` files. The name's first number is the writer's start
 * time in seconds, so name order is the order the files were written in (same-second files fall
 * back to host name and suffix order). Throws InputError when the path cannot be read.
 */
export async function listEventFiles(path: string): Promise<string[]> {
  const stats = await statOrThrow(path);
  if (!stats.isDirectory()) return [path];
  let names: string[];
  try {
    names = await fs.readdir(path);
  } catch (error) {
    throw new InputError(describeFsError(path, error));
  }
  return names.filter(isEventFileName).sort(byName).map((name) => nodePath.join(path, name));
}

/**
 * The inputs a path holds. A file is one input of the kind its name and content say ('log' when
 * none fits: the JSON-lines reader then reads it); a folder is one input when it is a run folder
 * itself, else searched as described in this module's comment (an empty list when nothing is
 * found). Throws InputError naming the path when the path itself cannot be read; unreadable
 * things inside a searched folder are skipped and reported through `onWarning`.
 */
export async function discoverFrameworkInputs(path: string, options: DiscoverOptions = {}): Promise<DiscoveredInput[]> {
  const stats = await statOrThrow(path);
  const given = path.length > 1 ? path.replace(/[\\/]+$/, '') : path;
  // A pipe or device (`<(cmd)`, /dev/stdin) is a stream of log lines: reading its head to sniff it would consume it, or block.
  if (!stats.isDirectory() && !stats.isFile()) return [{ kind: 'log', path, name: given }];
  if (!stats.isDirectory()) {
    let kind;
    try {
      kind = await classifyFile(path, nodePath.basename(path), true);
    } catch (error) {
      throw new InputError(describeFsError(path, error));
    }
    if (kind === 'dvclive-summary') return [{ kind: 'dvclive', path: nodePath.dirname(path), name: given }];
    return [{ kind: kind ?? 'log', path, name: given }];
  }
  let entries: Dirent[];
  try {
    entries = await readSortedDir(path);
  } catch (error) {
    throw new InputError(describeFsError(path, error));
  }
  const layout = await folderLayout(path, entries);
  if (layout) return [{ kind: layout, path, name: given }];

  const warn = options.onWarning ?? ((where: string, message: string) => process.emitWarning(`${where}: ${message}`));
  const search = new Search(given, options.maxDepth ?? DEFAULT_MAX_DEPTH, warn);
  await search.folder(path, [], 0, entries);
  return search.found;
}

class Search {
  readonly found: DiscoveredInput[] = [];
  private readonly visited = new Set<string>();
  /** `rootName` names an execution found in the searched folder itself: the path as the user gave it. */
  constructor(readonly rootName: string, readonly maxDepth: number, readonly warn: (path: string, message: string) => void) {}

  private nameOf(segments: string[]): string {
    return segments.length === 0 ? this.rootName : segments.join('/');
  }

  async folder(dir: string, segments: string[], depth: number, given?: Dirent[]): Promise<void> {
    // One visit per real folder: a symlink back up the tree, or two links to one folder, end here.
    let real: string;
    try {
      real = await fs.realpath(dir);
    } catch (error) {
      this.warn(dir, fsReason(error));
      return;
    }
    if (this.visited.has(real)) return;
    this.visited.add(real);

    let entries: Dirent[];
    try {
      entries = given ?? (await readSortedDir(dir));
    } catch (error) {
      this.warn(dir, `${fsReason(error)}; skipped`);
      return;
    }
    if (depth > 0) {
      const layout = await folderLayout(dir, entries);
      if (layout === 'mlflow') {
        this.found.push({ kind: 'mlflow', path: dir, name: this.nameOf(segments) });
        return;
      }
      if (layout === 'dvclive') {
        // `exp1/dvclive` is exp1's run: name it by the folder the default `dvclive` folder sits in.
        const named = segments.length > 0 && segments[segments.length - 1] === 'dvclive' ? segments.slice(0, -1) : segments;
        this.found.push({ kind: 'dvclive', path: dir, name: this.nameOf(named) });
        return;
      }
    }

    const files: Array<{ name: string; path: string }> = [];
    const folders: Array<{ name: string; path: string }> = [];
    for (const entry of entries) {
      const path = nodePath.join(dir, entry.name);
      let type: 'file' | 'folder' | undefined = entry.isDirectory() ? 'folder' : entry.isFile() ? 'file' : undefined;
      if (entry.isSymbolicLink()) {
        try {
          const target = await fs.stat(path);
          type = target.isDirectory() ? 'folder' : target.isFile() ? 'file' : undefined;
        } catch (error) {
          this.warn(path, `${fsReason(error)} (a broken link); skipped`);
          continue;
        }
      }
      if (type === 'file') files.push({ name: entry.name, path });
      else if (type === 'folder') folders.push({ name: entry.name, path });
    }

    // The folder's own executions first: its event files, its trainer_state.json.
    if (files.some((file) => isEventFileName(file.name))) this.found.push({ kind: 'tensorboard', path: dir, name: this.nameOf(segments) });
    const checkpoints = folders.filter((folder) => CHECKPOINT.test(folder.name));
    const ownState = files.find((file) => file.name === 'trainer_state.json');
    const state = ownState?.path ?? (await this.latestCheckpointState(checkpoints));
    if (state) this.found.push({ kind: 'trainer-state', path: state, name: this.nameOf(segments) });

    for (const file of files) {
      if (isEventFileName(file.name) || file.name === 'trainer_state.json') continue;
      let kind;
      try {
        kind = await classifyFile(file.path, file.name, false);
      } catch (error) {
        this.warn(file.path, `${fsReason(error)}; skipped`);
        continue;
      }
      if (kind === undefined || kind === 'dvclive-summary') continue;
      // Lightning's fixed name says nothing: its run is the version folder. Free names (Keras' CSV, logs) name themselves.
      const name = file.name === 'metrics.csv' && kind === 'metrics-csv' ? this.nameOf(segments) : [...segments, file.name].join('/');
      this.found.push({ kind, path: file.path, name });
    }

    for (const folder of folders) {
      if (folder.name.startsWith('.') || SKIPPED_FOLDERS.has(folder.name) || CHECKPOINT.test(folder.name)) continue;
      if (depth >= this.maxDepth) {
        this.warn(folder.path, `deeper than ${this.maxDepth} folder levels; not searched`);
        continue;
      }
      await this.folder(folder.path, [...segments, folder.name], depth + 1);
    }
  }

  /** The trainer_state.json of the highest-numbered checkpoint that has one (numerically: checkpoint-10 is after checkpoint-9). */
  private async latestCheckpointState(checkpoints: Array<{ name: string; path: string }>): Promise<string | undefined> {
    const byStep = [...checkpoints].sort((a, b) => checkpointStep(b.name) - checkpointStep(a.name));
    for (const checkpoint of byStep) {
      const candidate = nodePath.join(checkpoint.path, 'trainer_state.json');
      try {
        if ((await fs.stat(candidate)).isFile()) return candidate;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.warn(candidate, `${fsReason(error)}; skipped`);
      }
    }
    return undefined;
  }
}

function checkpointStep(name: string): number {
  return Number(CHECKPOINT.exec(name)?.[1] ?? -1);
}

/**
 * The kind of one file, from its name and (when the name is not enough) its first bytes;
 * undefined when it is nothing vizmeta reads. `explicit` files (named by the user) always get a
 * kind: a file without a known layout is a log. 'dvclive-summary' marks a DVCLive folder's
 * `metrics.json` or `params.yaml`, which stands for the folder when named and is skipped when found.
 */
async function classifyFile(path: string, name: string, explicit: boolean): Promise<FrameworkInputKind | 'dvclive-summary' | undefined> {
  const lower = name.toLowerCase();
  if (isEventFileName(name)) return 'tensorboard';
  if (name === 'trainer_state.json') return 'trainer-state';
  if (explicit && (name === 'metrics.json' || name === 'params.yaml')) {
    const dir = nodePath.dirname(path);
    if ((await folderLayout(dir, await readSortedDir(dir).catch(() => []))) === 'dvclive') return 'dvclive-summary';
  }
  if (explicit && lower.endsWith('.tsv') && /(^|[\\/])plots[\\/]metrics[\\/]/.test(path)) return 'dvclive';
  if (lower.endsWith('.jsonl')) return 'log';
  const csvName = lower.endsWith('.csv') || lower.endsWith('.tsv');
  const textName = lower.endsWith('.log') || lower.endsWith('.txt');
  const jsonName = lower.endsWith('.json');
  if (!csvName && !textName && !jsonName) return explicit ? 'log' : undefined;
  const head = await readHead(path);
  if (jsonName) return looksLikeTrainerState(head) ? 'trainer-state' : explicit ? 'log' : undefined;
  if (looksLikeMetricsCsv(name, head)) return 'metrics-csv';
  if (explicit) return 'log';
  // Found while searching: a .log/.txt is a log only if it holds a JSON object with a string key,
  // so tokenizer vocab.txt, requirements.txt and plain stderr captures are not read as metadata.
  return textName && /\{\s*"/.test(head) ? 'log' : undefined;
}

/** 'mlflow' or 'dvclive' when a folder is one run of that layout, from its entries. */
async function folderLayout(dir: string, entries: Dirent[]): Promise<'mlflow' | 'dvclive' | undefined> {
  const names = new Map(entries.map((entry) => [entry.name, entry]));
  const isFolder = (entry: Dirent | undefined) => entry !== undefined && (entry.isDirectory() || entry.isSymbolicLink());
  const isFile = (entry: Dirent | undefined) => entry !== undefined && (entry.isFile() || entry.isSymbolicLink());
  // An experiment folder also has meta.yaml (and may have tags/), but never metrics/.
  if (isFile(names.get('meta.yaml')) && isFolder(names.get('metrics'))) return 'mlflow';
  const plots = names.get('plots');
  const hasMetricPlots = isFolder(plots) && (await isDirectory(nodePath.join(dir, 'plots', 'metrics')));
  const hasSummary = isFile(names.get('metrics.json'));
  // Live(dir=...) can be any name; DVCLive always writes plots/metrics next to metrics.json. The
  // default name also counts with params.yaml alone (params logged before any metric).
  if (hasMetricPlots && (hasSummary || isFile(names.get('params.yaml')))) return 'dvclive';
  if (nodePath.basename(dir) === 'dvclive' && (hasSummary || hasMetricPlots || isFile(names.get('params.yaml')))) return 'dvclive';
  return undefined;
}

/**
 * Reads one discovered framework input. TensorBoard and log inputs have their own readers and are
 * refused here. Throws InputError naming the path when the input itself cannot be read; within a
 * run folder, an unreadable file is a warning in the result and the rest is read.
 */
export async function readFrameworkInput(input: DiscoveredInput): Promise<FrameworkRun> {
  switch (input.kind) {
    case 'trainer-state':
      return parseTrainerState(await readTextOrThrow(input.path));
    case 'metrics-csv':
      return readMetricsCsv(input.path);
    case 'dvclive':
      return readDvcLive(input.path);
    case 'mlflow':
      return readMlflow(input.path);
    case 'tensorboard':
    case 'log':
      throw new Error(`${input.path}: ${input.kind} inputs are read by their own reader, not readFrameworkInput`);
  }
}

async function readMetricsCsv(path: string): Promise<FrameworkRun> {
  const run = parseMetricsCsv(await readTextOrThrow(path));
  // Lightning writes the module's save_hyperparameters() beside metrics.csv: the run's settings.
  if (nodePath.basename(path) !== 'metrics.csv') return run;
  const hparamsPath = nodePath.join(nodePath.dirname(path), 'hparams.yaml');
  const warnings: FrameworkWarning[] = [];
  const text = await readOptional(hparamsPath, 'hparams.yaml', warnings);
  if (text !== undefined) {
    const hparams = parseSimpleYaml(text);
    for (const w of hparams.warnings) warnings.push({ message: `hparams.yaml${w.line === undefined ? '' : ` line ${w.line}`}: ${w.message}` });
    if (Object.keys(hparams.value).length > 0) run.records.unshift({ values: hparams.value });
  }
  run.warnings.unshift(...warnings);
  return run;
}

async function readDvcLive(path: string): Promise<FrameworkRun> {
  const stats = await statOrThrow(path);
  if (!stats.isDirectory()) {
    // One metric's TSV named by the user: its name is its path below plots/metrics/.
    const normal = path.split(nodePath.sep).join('/');
    const match = /(?:^|\/)plots\/metrics\/(.+)\.tsv$/i.exec(normal);
    const name = match ? match[1]! : nodePath.basename(path).replace(/\.tsv$/i, '');
    return parseDvcLive({ tsv: [{ name, text: await readTextOrThrow(path) }] });
  }
  const warnings: FrameworkWarning[] = [];
  const files: DvcLiveFiles = { tsv: [] };
  const metricsJson = await readOptional(nodePath.join(path, 'metrics.json'), 'metrics.json', warnings);
  if (metricsJson !== undefined) files.metricsJson = metricsJson;
  const paramsYaml = await readOptional(nodePath.join(path, 'params.yaml'), 'params.yaml', warnings);
  if (paramsYaml !== undefined) files.paramsYaml = paramsYaml;
  for (const { key, path: file } of await listTree(nodePath.join(path, 'plots', 'metrics'), 'plots/metrics', warnings)) {
    if (!key.toLowerCase().endsWith('.tsv')) continue;
    const text = await readOptional(file, `plots/metrics/${key}`, warnings);
    if (text !== undefined) files.tsv.push({ name: key.slice(0, -4), text });
  }
  const run = parseDvcLive(files);
  run.warnings.unshift(...warnings);
  return run;
}

async function readMlflow(path: string): Promise<FrameworkRun> {
  if (!(await statOrThrow(path)).isDirectory()) throw new InputError(`${path}: not an MLflow run folder`);
  const warnings: FrameworkWarning[] = [];
  const files: MlflowRunFiles = { metrics: [], params: [], tags: [] };
  for (const folder of ['metrics', 'params', 'tags'] as const) {
    for (const { key, path: file } of await listTree(nodePath.join(path, folder), folder, warnings)) {
      const text = await readOptional(file, `${folder}/${key}`, warnings);
      if (text === undefined) continue;
      if (folder === 'metrics') files.metrics.push({ key, text });
      else files[folder].push({ key, value: text });
    }
  }
  const run = parseMlflowRun(files);
  run.warnings.unshift(...warnings);
  return run;
}

/**
 * Every file below `dir`, keyed by its `/`-joined path relative to it (how MLflow and DVCLive turn a
 * key with `/` into folders), sorted by key. A missing folder is empty; an unreadable one a warning.
 */
async function listTree(dir: string, label: string, warnings: FrameworkWarning[]): Promise<Array<{ key: string; path: string }>> {
  const out: Array<{ key: string; path: string }> = [];
  const visited = new Set<string>();
  const walk = async (folder: string, prefix: string, depth: number): Promise<void> => {
    let entries: Dirent[];
    try {
      const real = await fs.realpath(folder);
      if (visited.has(real)) return;
      visited.add(real);
      entries = await readSortedDir(folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && depth === 0) return;
      warnings.push({ message: `${label}${prefix ? `/${prefix.slice(0, -1)}` : ''}: ${fsReason(error)}; skipped` });
      return;
    }
    for (const entry of entries) {
      const path = nodePath.join(folder, entry.name);
      let isFolder = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const target = await fs.stat(path);
          isFolder = target.isDirectory();
          isFile = target.isFile();
        } catch (error) {
          warnings.push({ message: `${label}/${prefix}${entry.name}: ${fsReason(error)} (a broken link); skipped` });
          continue;
        }
      }
      if (isFile) out.push({ key: prefix + entry.name, path });
      else if (isFolder && depth < DEFAULT_MAX_DEPTH) await walk(path, `${prefix}${entry.name}/`, depth + 1);
    }
  };
  await walk(dir, '', 0);
  return out.sort((a, b) => byName(a.key, b.key));
}

// Code-unit order, not localeCompare: the same order on every machine and locale.
function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function readSortedDir(dir: string): Promise<Dirent[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  return entries.sort((a, b) => byName(a.name, b.name));
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await fs.stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function statOrThrow(path: string) {
  try {
    return await fs.stat(path);
  } catch (error) {
    throw new InputError(describeFsError(path, error));
  }
}

async function readTextOrThrow(path: string): Promise<string> {
  try {
    return await fs.readFile(path, 'utf8');
  } catch (error) {
    throw new InputError(describeFsError(path, error));
  }
}

/** A run folder's optional file: undefined when absent, a warning when present but unreadable. */
async function readOptional(path: string, label: string, warnings: FrameworkWarning[]): Promise<string | undefined> {
  try {
    return await fs.readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') warnings.push({ message: `${label}: ${fsReason(error)}; skipped` });
    return undefined;
  }
}

async function readHead(path: string): Promise<string> {
  const handle = await fs.open(path, 'r');
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

/** Why a path cannot be read, in the words the rest of vizmeta uses, without the path. */
function fsReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT': return 'no such file or folder';
    case 'EACCES':
    case 'EPERM': return 'permission denied';
    case 'ELOOP': return 'too many levels of symbolic links';
    default: return `cannot read (${error instanceof Error ? error.message : String(error)})`;
  }
}

function describeFsError(path: string, error: unknown): string {
  return `${path}: ${fsReason(error)}`;
}
