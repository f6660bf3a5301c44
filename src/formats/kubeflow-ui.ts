/**
 * Kubeflow Pipelines v1 output viewers: the `mlpipeline-ui-metadata.json` a component writes,
 * `{"version": 1, "outputs": [{type, format, source, storage, labels, schema, header, …}]}`.
 *
 * What is read and from where:
 * - `storage: "inline"`: `source` is the data itself.
 * - a local path: relative paths are taken from the folder of the metadata file (stdin: the
 *   working directory), since that is where a downloaded artifact's data sits next to it;
 *   absolute paths and `file://` URLs as they are. A `*` in a path segment matches names in
 *   that folder; the matches are read in name order and concatenated, as Kubeflow does.
 *   `view` reads only files inside the metadata file's folder (see `loadSource`) unless told
 *   otherwise (`--allow-outside`).
 * - a remote URL (`https://`, `gs://`, `s3://`, `minio://`, any other `scheme://`): fetched only
 *   when the caller passes a fetcher (`view --allow-remote`, input/remote.ts): the metadata file
 *   chooses the URL, and fetching it spends the user's credentials and network.
 *
 * Parsing follows the Kubeflow UI: a file without `outputs` is an error; a file that is not
 * JSON is retried with newlines and backslashes removed (a file escaped twice, kubeflow/pipelines
 * #5830); a JSON string holding the JSON is unwrapped.
 */
import { promises as fs } from 'node:fs';
import { dirname, isAbsolute, join, parse as parsePath, relative, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { InputError } from '../core/errors.js';
import { checkReadable, describeFsError } from '../parsers/source.js';
import type { JsonObject, JsonValue } from '../core/types.js';

/** The viewer types Kubeflow's v1 UI knows. */
export const OUTPUT_TYPES = ['confusion_matrix', 'roc', 'table', 'markdown', 'web-app', 'tensorboard'] as const;
export type OutputType = (typeof OUTPUT_TYPES)[number];

/** One output, with the fields vizmeta uses pulled out and checked. */
export interface UiOutput {
  /** 1-based position in `outputs`. */
  index: number;
  /** As written; may be an unknown type (or missing: ''). */
  type: string;
  format?: string;
  source?: string;
  storage?: string;
  labels?: string[];
  header?: string[];
  /** Column names from `schema` (`[{name, type}]`), in order. */
  schema?: string[];
  /** The output object as written. */
  raw: JsonObject;
}

export interface UiMetadata {
  version?: JsonValue;
  outputs: UiOutput[];
  /** Set when the file only parsed after the double-escaping retry. */
  unescaped: boolean;
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function parseJson(text: string): JsonValue | undefined {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return undefined;
  }
}

/**
 * Parses an `mlpipeline-ui-metadata.json` text. `name` is the file name used in messages.
 * @throws InputError when the text is not JSON (even after the retry), is not an object, or
 *   has no `outputs` array.
 */
export function parseUiMetadata(text: string, name: string): UiMetadata {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let unescaped = false;
  let value = parseJson(body);
  if (value === undefined) {
    // Written through one JSON encoding too many: first undo exactly one level of escaping
    // (the text read as the inside of a JSON string), then Kubeflow UI's own retry, which
    // drops newlines and backslashes.
    const once = parseJson(`"${body.trim()}"`);
    value = typeof once === 'string' ? parseJson(once) : undefined;
    value ??= parseJson(body.replace(/\r\n|\n|\r/g, '').replace(/\\/g, ''));
    unescaped = value !== undefined;
  }
  // A JSON string whose content is the JSON (json.dumps applied twice).
  if (typeof value === 'string') {
    const inner = parseJson(value);
    if (inner !== undefined) {
      value = inner;
      unescaped = true;
    }
  }
  if (value === undefined) {
    const error = syntaxError(body);
    throw new InputError(`${name}: not valid JSON${error ? ` (${error})` : ''}; expected {"version": 1, "outputs": [...]}`);
  }
  if (!isObject(value)) throw new InputError(`${name}: expected a JSON object {"version": 1, "outputs": [...]}, got ${Array.isArray(value) ? 'an array' : typeof value}`);
  const outputs = value['outputs'];
  if (outputs === undefined || outputs === null) throw new InputError(`${name}: "outputs" field required but not found; expected {"version": 1, "outputs": [...]}`);
  if (!Array.isArray(outputs)) throw new InputError(`${name}: "outputs" must be an array of outputs`);
  const parsed: UiMetadata = { outputs: outputs.map((output, i) => toOutput(output, i + 1)), unescaped };
  if (Object.hasOwn(value, 'version')) parsed.version = value['version'] as JsonValue;
  return parsed;
}

function syntaxError(text: string): string | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    // V8 quotes the text near the error ('Unexpected token 'S', "SECRET=…" is not valid JSON'):
    // the file may be one that should not be shown, so only where it went wrong is kept.
    const message = (error as Error).message;
    if (/^Unexpected end of JSON input/.test(message)) return 'it ends early';
    const at = /at position (\d+)(?: \(line (\d+) column (\d+)\))?/.exec(message);
    if (at?.[2] !== undefined) return `syntax error at line ${at[2]} column ${at[3]}`;
    return at ? `syntax error at position ${at[1]}` : undefined;
  }
}

function stringList(value: JsonValue | undefined): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.map((item) => (typeof item === 'string' ? item : JSON.stringify(item)));
}

function toOutput(value: JsonValue, index: number): UiOutput {
  if (!isObject(value)) return { index, type: '', raw: {} };
  const output: UiOutput = { index, type: typeof value['type'] === 'string' ? value['type'] : '', raw: value };
  const text = (key: string): string | undefined => (typeof value[key] === 'string' ? (value[key] as string) : undefined);
  const format = text('format');
  if (format !== undefined) output.format = format;
  const storage = text('storage');
  if (storage !== undefined) output.storage = storage;
  const source = value['source'];
  if (typeof source === 'string') output.source = source;
  // Inline data written as JSON rather than text (a list of rows, an object): keep it as JSON text.
  else if (source !== undefined && source !== null) output.source = JSON.stringify(source);
  const labels = stringList(value['labels']);
  if (labels) output.labels = labels;
  const header = stringList(value['header']);
  if (header) output.header = header;
  const schema = value['schema'];
  if (Array.isArray(schema)) output.schema = schema.map((column) => (isObject(column) && typeof column['name'] === 'string' ? column['name'] : ''));
  return output;
}

/** Where an output's data is. */
export type SourceLocation =
  | { kind: 'inline'; content: string }
  | { kind: 'local'; path: string }
  | { kind: 'remote'; url: string }
  | { kind: 'missing' };

const URL_SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//;

/** Decides where an output's `source` points. `baseDir` is the metadata file's folder. */
export function locateSource(output: UiOutput, baseDir: string): SourceLocation {
  if (output.source === undefined) return { kind: 'missing' };
  if (output.storage === 'inline') return { kind: 'inline', content: output.source };
  const source = output.source.trim();
  const scheme = URL_SCHEME.exec(source)?.[1]?.toLowerCase();
  if (scheme === 'file') {
    try {
      return { kind: 'local', path: fileURLToPath(source) };
    } catch {
      return { kind: 'local', path: source.slice('file://'.length) };
    }
  }
  if (scheme !== undefined) return { kind: 'remote', url: source };
  return { kind: 'local', path: isAbsolute(source) ? source : resolve(baseDir, source) };
}

/** The message for a remote source. */
export function remoteMessage(url: string): string {
  return `${url} is remote; --allow-remote fetches it (s3://, gs://, minio://, https://)`;
}

function globToRegExp(segment: string): RegExp {
  const body = segment.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/\\\\]*');
  return new RegExp(`^${body}$`);
}

/**
 * The files a local source names: itself, or every match of its `*` segments in name order.
 * @throws InputError when nothing matches or the file cannot be read.
 */
export async function expandLocal(path: string): Promise<string[]> {
  if (!path.includes('*')) return [path];
  const root = parsePath(path).root;
  const parts = path.slice(root.length).split(sep).filter((part) => part !== '');
  let current = [root];
  for (const [i, part] of parts.entries()) {
    const last = i === parts.length - 1;
    if (!part.includes('*')) {
      current = current.map((dir) => join(dir, part));
      continue;
    }
    const pattern = globToRegExp(part);
    const next: string[] = [];
    for (const dir of current) {
      let entries;
      try {
        entries = await fs.readdir(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      const names = entries
        .filter((entry) => pattern.test(entry.name) && (part.startsWith('.') || !entry.name.startsWith('.')))
        .filter((entry) => (last ? entry.isFile() || entry.isSymbolicLink() : entry.isDirectory() || entry.isSymbolicLink()))
        .map((entry) => entry.name)
        .sort();
      for (const name of names) next.push(join(dir, name));
    }
    current = next;
  }
  if (current.length === 0) throw new InputError(`no file matches ${path}`);
  return current;
}

/**
 * Reads a local source: the file, or the concatenation of its wildcard matches (each ending in
 * a newline, so the last row of one file never runs into the first of the next).
 */
export async function readLocalSource(path: string, folders?: readonly string[]): Promise<{ content: string; files: string[] }> {
  const files = await expandLocal(path);
  const parts: string[] = [];
  for (const file of files) {
    if (folders !== undefined && !(await insideAny(file, folders))) {
      throw new InputError(`${file} is outside the metadata file's folder ${folders[0] ?? ''}; vizmeta view reads sources there only (--allow-outside reads it)`);
    }
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new InputError(code === 'ENOENT' ? `${file}: no such file` : code === 'EISDIR' ? `${file}: is a directory` : `${file}: cannot read (${(error as Error).message})`);
    }
    parts.push(files.length > 1 && text !== '' && !text.endsWith('\n') ? text + '\n' : text);
  }
  return { content: parts.join(''), files };
}

async function realOrResolved(path: string): Promise<string> {
  try {
    return await fs.realpath(path);
  } catch {
    return resolve(path);
  }
}

/**
 * Whether `path` is `folder` or under it once symbolic links are followed (a link in the folder
 * to /proc/self/environ is outside). A path that does not exist is judged as written.
 */
export async function isInside(path: string, folder: string): Promise<boolean> {
  const [real, root] = await Promise.all([realOrResolved(path), realOrResolved(folder)]);
  const rest = relative(root, real);
  return rest === '' || (!rest.startsWith('..') && !isAbsolute(rest));
}

async function insideAny(path: string, folders: readonly string[]): Promise<boolean> {
  for (const folder of folders) if (await isInside(path, folder)) return true;
  return false;
}

/**
 * The folders `view` reads sources from: the metadata file's, and, when the file is a link, the
 * folder it really is in (artifacts linked in beside it from there).
 */
export async function sourceFolders(input: string, cwd: string): Promise<string[]> {
  const folder = baseDirOf(input, cwd);
  if (input === '-') return [folder];
  try {
    return [folder, dirname(await fs.realpath(resolve(cwd, input)))];
  } catch {
    return [folder];
  }
}

/** The folder relative sources are read from: the metadata file's, or cwd for stdin. */
export function baseDirOf(input: string, cwd: string): string {
  return input === '-' ? cwd : dirname(resolve(cwd, input));
}

/** The metadata file's text: stdin read whole, or the file; errors name the file as given. */
export async function readUiMetadataFile(input: string, stdin: Readable, cwd: string): Promise<string> {
  if (input === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
    return Buffer.concat(chunks).toString('utf8');
  }
  const path = resolve(cwd, input);
  try {
    await checkReadable(path);
    return await fs.readFile(path, 'utf8');
  } catch (error) {
    const message = error instanceof InputError ? error.message : describeFsError(path, error);
    throw new InputError(message.startsWith(path) ? input + message.slice(path.length) : message);
  }
}

/**
 * What was read for an output: its data (`text`), the size of a local web-app page (undefined
 * when it is not there), the error that kept its data from being read, or nothing (`none`: an
 * unknown type, a tensorboard logdir, a remote source).
 */
export type LoadedSource =
  | { kind: 'none' }
  | { kind: 'text'; text: string }
  | { kind: 'size'; size: number | undefined }
  | { kind: 'error'; error: InputError };

/**
 * Reads what showing an output needs. Errors reading its data are returned, not thrown. With
 * `folders`, a local source outside them (after symbolic links) is not read: the metadata file is
 * as untrusted as a log, and `/proc/self/environ` or `file:///etc/passwd` would print secrets.
 */
export async function loadSource(output: UiOutput, location: SourceLocation, folders?: readonly string[], fetchRemote?: (url: string) => Promise<string>): Promise<LoadedSource> {
  if (output.type === 'web-app') return { kind: 'size', size: location.kind === 'local' ? await sizeOf(location.path) : undefined };
  if (!(OUTPUT_TYPES as readonly string[]).includes(output.type) || output.type === 'tensorboard' || (location.kind === 'remote' && fetchRemote === undefined)) return { kind: 'none' };
  try {
    if (location.kind === 'inline') return { kind: 'text', text: location.content };
    // `fetchRemote` throws InputError naming the URL: no such object, access denied, …
    if (location.kind === 'remote' && fetchRemote !== undefined) return { kind: 'text', text: await fetchRemote(location.url) };
    if (location.kind === 'local') return { kind: 'text', text: (await readLocalSource(location.path, folders)).content };
    throw new InputError('the output has no source');
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return { kind: 'error', error };
  }
}

async function sizeOf(path: string): Promise<number | undefined> {
  try {
    return (await fs.stat(path)).size;
  } catch {
    return undefined;
  }
}
