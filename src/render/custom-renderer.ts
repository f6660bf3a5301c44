/**
 * Custom visualizations: a user's ES module whose default export turns records into a string.
 *
 *   // my-viz.mjs
 *   export default function (records, options) { return `${records.length} records\n`; }
 *
 * Kubeflow ran custom visualization code in one shared notebook kernel, with a 30-second
 * timeout and a 4 MB output cap, and reported failures as opaque server errors. Here the
 * module runs in-process with neither limit, and every failure (the import, a throw, a wrong
 * export, a result that is not a string) becomes one InputError naming the module file, so
 * the caller can print it as a single line and carry on with the rest of its output.
 */
import { statFile } from '../core/files.js';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InputError } from '../core/errors.js';
import { importModule } from '../core/import-module.js';
import type { MetadataRecord } from '../core/types.js';

/** What a renderer module's default export must be. */
export type RendererFunction = (records: MetadataRecord[], options: Record<string, unknown>) => string | Promise<string>;

/** A loaded renderer: the function and where it came from, for error messages. */
export interface CustomRenderer {
  /** The path as the user gave it (shown in messages). */
  path: string;
  /** The absolute file the module was imported from. */
  file: string;
  render: RendererFunction;
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    // Node's import errors carry a code (ERR_MODULE_NOT_FOUND…) that says more than the class name.
    const code = (error as NodeJS.ErrnoException).code;
    const name = error.name && error.name !== 'Error' ? `${error.name}: ` : '';
    const message = error.message.split('\n')[0] ?? '';
    return code && !message.includes(code) ? `${name}${message} (${code})` : `${name}${message}`;
  }
  return String(error);
}

/**
 * Imports a renderer module. `path` is resolved from `cwd` (not from vizmeta's own folder) and
 * imported through a file URL, so Windows paths and names with `#` or `?` work.
 * Throws InputError naming the file when the module cannot be imported or its default export
 * is not a function.
 */
export async function loadRenderer(path: string, cwd: string): Promise<CustomRenderer> {
  if (path.trim() === '') throw new InputError('--renderer: empty module path');
  const file = isAbsolute(path) ? path : resolve(cwd, path);
  try {
    const stats = await statFile(file);
    if (stats.isDirectory()) throw new InputError(`renderer ${path}: is a directory, not a module file`);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`renderer ${path}: no such file (resolved to ${file})`);
  }
  let module: unknown;
  try {
    module = await importModule(pathToFileURL(file).href);
  } catch (error) {
    // A syntax error, a missing dependency of the module, or a throw at its top level.
    throw new InputError(`renderer ${path}: cannot import: ${describeError(error)}`);
  }
  const render = (module as { default?: unknown } | null)?.default;
  if (typeof render !== 'function') {
    const what = render === undefined ? 'has no default export' : `default export is ${describeKind(render)}, not a function`;
    throw new InputError(`renderer ${path}: ${what}; export a function (records, options) => string`);
  }
  return { path, file, render: render as RendererFunction };
}

function describeKind(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return type === 'object' ? 'an object' : `a ${type}`;
}

/**
 * Runs a loaded renderer over the records. No timeout and no cap on the output's size: the
 * user's code is trusted as much as the user's shell. A throw, a rejected promise or a result
 * that is not a string becomes an InputError naming the module file.
 */
export async function runRenderer(renderer: CustomRenderer, records: MetadataRecord[], options: Record<string, unknown>): Promise<string> {
  let result: unknown;
  try {
    result = await renderer.render(records, options);
  } catch (error) {
    throw new InputError(`renderer ${renderer.path} failed: ${describeError(error)}`);
  }
  if (typeof result !== 'string') {
    throw new InputError(`renderer ${renderer.path} returned ${describeKind(result)}, expected a string`);
  }
  return result;
}
