/**
 * Loading a CommonJS bundle with V8's code cache kept between runs.
 *
 * On a small log, most of a `vizmeta sort` run is V8 compiling our code: the bundle's top level
 * when it loads, then each function the first time it runs (V8 compiles lazily). Node 22.1+ can
 * keep compiled code between runs (module.enableCompileCache), but it saves the cache right after
 * the first compile, before anything has run, so only the top level is in it; Node 20 has no such
 * cache. Here the cache is made when the process ends (`script.createCachedData()` after the
 * command has run), so it holds every function this command compiled, and the next run compiles
 * almost nothing. On Node 20 that is about 13 ms of a 1,000-line `sort`; on Node 24 about 10 ms
 * (README, Performance).
 *
 * The cache is a file per bundle, Node version and bundle file (its size and mtime), in the user's
 * own cache folder (XDG_CACHE_HOME or ~/.cache, then vizmeta/code-cache): never beside the package,
 * which may be read-only, and never in a folder other users can write. V8 checks the data against
 * the source and its own version and flags and rejects what does not fit; rejected or missing, the
 * bundle is compiled as usual and the cache written anew at exit. Any failure to read or write the
 * cache is silent and costs nothing but the time it would have saved. NODE_DISABLE_COMPILE_CACHE=1,
 * Node's switch for its own cache, turns this one off too.
 */
import { isAscii } from 'node:buffer';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';

/** The folder for cached code, or undefined when there is none to use. */
export function codeCacheDir(env: Record<string, string | undefined>, home: () => string = homedir): string | undefined {
  if (env['NODE_DISABLE_COMPILE_CACHE'] === '1') return undefined;
  const xdg = env['XDG_CACHE_HOME'];
  if (xdg !== undefined && xdg.startsWith('/')) return join(xdg, 'vizmeta', 'code-cache');
  try {
    const dir = home();
    return dir === '' ? undefined : join(dir, '.cache', 'vizmeta', 'code-cache');
  } catch {
    return undefined;
  }
}

/**
 * The cache file for `file` as it is now on disk, under `dir`. Named by the bundle, a hash of the
 * folder it is in (so two installs of vizmeta keep a cache each), the Node version and the file's
 * size and mtime.
 */
export function codeCacheFile(dir: string, file: string, size: number, mtimeMs: number): string {
  return join(dir, `${basename(file)}-${folderHash(dirname(file))}-${process.version}-${process.arch}-${size}-${Math.trunc(mtimeMs)}.v8`);
}

/** FNV-1a of a path, in base 36: short, stable, and enough to tell a user's installs apart. */
function folderHash(path: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < path.length; i++) hash = Math.imul(hash ^ path.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(36);
}

/** The Node wrapper around a CommonJS module's source (what `require` compiles). */
function wrap(source: string): string {
  return `(function (exports, require, module, __filename, __dirname, __vizmetaImport) { ${source}\n});`;
}

/**
 * import() for the bundle (core/import-module.ts, as bundled): one written in code that vm
 * compiled has no loader to go to without an experimental flag, one written here does.
 */
function importForBundle(specifier: string): Promise<unknown> {
  return import(specifier);
}

/**
 * `require(file)` for a CommonJS file that requires only Node's built-ins and packages (no
 * relative files of its own, as a bundle), compiled with the cached code from `cacheDir` when
 * there is some, and caching what it compiled when the process exits.
 *
 * The cache holds what the run that wrote it compiled, and is kept until the bundle changes. So
 * only a run that does the usual work writes it: not one that `cacheThisRun` says only shows help,
 * and not one that ends with exit code 2 or more (a missing file, a usage error), which took a
 * path unlike the usual one. Such a run leaves the cache to the next.
 */
export function requireWithCodeCache(file: string, cacheDir: string | undefined, cacheThisRun = true): unknown {
  if (cacheDir === undefined) return createRequire(file)(file);
  // The bundles are ASCII (scripts/bundle.mjs checks): read so, the source is a one-byte string,
  // half the memory of the two-byte one a single other character makes, and quicker to decode.
  const bytes = readFileSync(file);
  const source = bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
  let cacheFile: string | undefined;
  let cachedData: Buffer | undefined;
  try {
    const stat = statSync(file);
    cacheFile = codeCacheFile(cacheDir, file, stat.size, stat.mtimeMs);
    cachedData = readFileSync(cacheFile);
  } catch {
    // No cache yet (or no file to key it by): compile, and write one at exit.
  }
  const script = new Script(wrap(source), { filename: file, cachedData });
  if (cacheThisRun && cacheFile !== undefined && (cachedData === undefined || script.cachedDataRejected === true)) {
    const target = cacheFile;
    process.once('exit', (code) => {
      if (code <= 1) writeCodeCache(script, target);
    });
  }
  const module = { exports: {} as unknown };
  const run = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string, importModule: typeof importForBundle) => void;
  run.call(module.exports, module.exports, createRequire(file), module, file, dirname(file), importForBundle);
  return module.exports;
}

/**
 * Writes the code compiled so far, whole or not at all (a rename), so a concurrent run never reads
 * half a file; and removes this bundle's caches for this install and Node from earlier builds of
 * it, so that upgrades do not pile them up.
 */
function writeCodeCache(script: Script, cacheFile: string): void {
  try {
    const dir = dirname(cacheFile);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const partial = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(partial, script.createCachedData(), { mode: 0o600 });
    renameSync(partial, cacheFile);
    const sameBundleAndNode = basename(cacheFile).replace(/-\d+-\d+\.v8$/, '-');
    for (const name of readdirSync(dir)) {
      if (name.startsWith(sameBundleAndNode) && name.endsWith('.v8') && name !== basename(cacheFile)) rmSync(join(dir, name), { force: true });
    }
  } catch {
    // A read-only home or a full disk: the next run compiles, as this one did.
  }
}
