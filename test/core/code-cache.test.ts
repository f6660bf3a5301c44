/**
 * The CLI bundles' code cache (src/core/code-cache.ts): a bundle loads the same with and without
 * it, the cache is written at exit and then accepted, a damaged cache is rejected and replaced,
 * and the switch and the folder choice hold. Each case runs in a child Node, since the cache is
 * written when a process exits.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { codeCacheDir, codeCacheFile } from '../../src/core/code-cache.js';

const LOADER = pathToFileURL(join(import.meta.dirname, '../../dist/core/code-cache.js')).href;

/** A CommonJS "bundle" that uses require, module, __filename, and import() through the loader. */
const BUNDLE = `
  const { basename } = require('node:path');
  function work(n) { let sum = 0; for (let i = 0; i < n; i++) sum += i; return sum; }
  module.exports = {
    answer: work(10) + ':' + basename(__filename),
    importOs: () => (typeof __vizmetaImport === 'function' ? __vizmetaImport('node:os') : import('node:os')).then((os) => typeof os.cpus),
  };
`;

function setUp(): { dir: string; bundle: string; cache: string } {
  const dir = mkdtempSync(join(tmpdir(), 'vizmeta-code-cache-'));
  const bundle = join(dir, 'sample.cjs');
  writeFileSync(bundle, BUNDLE);
  return { dir, bundle, cache: join(dir, 'cache') };
}

/** Loads `bundle` in a child Node with the cache in `cache` and prints what it exports. */
function load(bundle: string, cache: string | undefined, env: Record<string, string> = {}, run: { cacheThisRun?: boolean; exitCode?: number } = {}): { stdout: string; stderr: string; status: number | null } {
  const script = `
    import { requireWithCodeCache } from ${JSON.stringify(LOADER)};
    const loaded = requireWithCodeCache(${JSON.stringify(bundle)}, ${cache === undefined ? 'undefined' : JSON.stringify(cache)}, ${String(run.cacheThisRun ?? true)});
    console.log(loaded.answer, await loaded.importOs());
    process.exitCode = ${String(run.exitCode ?? 0)};
  `;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}

function cacheFiles(cache: string): string[] {
  try {
    return readdirSync(cache).filter((name) => name.endsWith('.v8'));
  } catch {
    return [];
  }
}

describe('code cache for the CLI bundles', () => {
  it('writes the cache at the first run and runs the bundle the same from it', () => {
    const { bundle, cache } = setUp();
    const first = load(bundle, cache);
    expect(first).toEqual({ stdout: '45:sample.cjs function\n', stderr: '', status: 0 });
    const files = cacheFiles(cache);
    expect(files).toHaveLength(1);
    const stat = statSync(bundle);
    expect(join(cache, files[0] as string)).toBe(codeCacheFile(cache, bundle, stat.size, stat.mtimeMs));
    const written = statSync(join(cache, files[0] as string)).mtimeMs;
    const second = load(bundle, cache);
    expect(second).toEqual(first);
    // Accepted, so not written again.
    expect(statSync(join(cache, files[0] as string)).mtimeMs).toBe(written);
  });

  it('leaves the cache to a later run when this one only shows help or fails with exit code 2 or more', () => {
    const { bundle, cache } = setUp();
    expect(load(bundle, cache, {}, { cacheThisRun: false }).status).toBe(0);
    expect(cacheFiles(cache)).toEqual([]);
    expect(load(bundle, cache, {}, { exitCode: 2 }).status).toBe(2);
    expect(cacheFiles(cache)).toEqual([]);
    // A failed gate (exit code 1) did the usual work.
    expect(load(bundle, cache, {}, { exitCode: 1 }).status).toBe(1);
    expect(cacheFiles(cache)).toHaveLength(1);
  });

  it('replaces a damaged cache and still runs the bundle', () => {
    const { bundle, cache } = setUp();
    load(bundle, cache);
    const [file] = cacheFiles(cache);
    const path = join(cache, file as string);
    writeFileSync(path, 'not V8 code');
    expect(load(bundle, cache)).toEqual({ stdout: '45:sample.cjs function\n', stderr: '', status: 0 });
    expect(readFileSync(path).toString()).not.toBe('not V8 code');
  });

  it('drops the cache of an earlier build of the same bundle when it writes a new one, and keeps the cache of another install', () => {
    const { dir, bundle, cache } = setUp();
    mkdirSync(join(dir, 'other'));
    const other = join(dir, 'other', 'sample.cjs');
    writeFileSync(other, BUNDLE);
    load(other, cache);
    load(bundle, cache);
    writeFileSync(bundle, `${BUNDLE}\n// changed\n`);
    load(bundle, cache);
    const files = cacheFiles(cache);
    expect(files).toHaveLength(2);
    expect(files).toContain(basename(codeCacheFile(cache, bundle, statSync(bundle).size, statSync(bundle).mtimeMs)));
    expect(files).toContain(basename(codeCacheFile(cache, other, statSync(other).size, statSync(other).mtimeMs)));
  });

  it('loads with a plain require when there is no cache folder, and writes nothing', () => {
    const { dir, bundle } = setUp();
    expect(load(bundle, undefined)).toEqual({ stdout: '45:sample.cjs function\n', stderr: '', status: 0 });
    expect(readdirSync(dir)).toEqual(['sample.cjs']);
  });

  it('keeps working where the cache cannot be written', () => {
    const { dir, bundle } = setUp();
    const blocked = join(dir, 'file-not-folder');
    writeFileSync(blocked, '');
    expect(load(bundle, join(blocked, 'cache'))).toEqual({ stdout: '45:sample.cjs function\n', stderr: '', status: 0 });
  });

  it('chooses the folder: off with NODE_DISABLE_COMPILE_CACHE=1, XDG_CACHE_HOME when absolute, else ~/.cache', () => {
    expect(codeCacheDir({ NODE_DISABLE_COMPILE_CACHE: '1' }, () => '/home/u')).toBeUndefined();
    expect(codeCacheDir({ XDG_CACHE_HOME: '/var/cache/u' }, () => '/home/u')).toBe('/var/cache/u/vizmeta/code-cache');
    expect(codeCacheDir({ XDG_CACHE_HOME: 'relative' }, () => '/home/u')).toBe('/home/u/.cache/vizmeta/code-cache');
    expect(codeCacheDir({}, () => '/home/u')).toBe('/home/u/.cache/vizmeta/code-cache');
    expect(codeCacheDir({}, () => '')).toBeUndefined();
    expect(codeCacheDir({}, () => {
      throw new Error('no home');
    })).toBeUndefined();
  });

  it('makes its folder private to the user', () => {
    const { dir, bundle } = setUp();
    const cache = join(dir, 'a', 'cache');
    mkdirSync(join(dir, 'a'));
    load(bundle, cache);
    expect(statSync(cache).mode & 0o077).toBe(0);
  });
});
