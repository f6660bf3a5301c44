/**
 * Custom renderers under plain Node (the built dist/), where import errors read as users see them.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'vizmeta-renderer-e2e-'));
mkdirSync(join(dir, 'a #dir'));
writeFileSync(join(dir, 'syntax.mjs'), 'export default (records => ;\n');
writeFileSync(join(dir, 'dep.mjs'), 'import x from "./nope.mjs";\nexport default x;\n');
writeFileSync(join(dir, 'a #dir', 'v.mjs'), 'export default (records, options) => `${records.length} ${options.title}`;\n');

const api = pathToFileURL(join(ROOT, 'dist', 'render', 'custom-renderer.js')).href;
const script = `
import { loadRenderer, runRenderer } from ${JSON.stringify(api)};
for (const path of JSON.parse(process.argv[1])) {
  try {
    const renderer = await loadRenderer(path, process.cwd());
    console.log(await runRenderer(renderer, [{ values: {}, time: '', source: '-', line: 1 }], { title: 't' }));
  } catch (error) {
    console.log(error.name + ': ' + error.message);
  }
}`;

function run(paths: string[]): string[] {
  return execFileSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(paths)], { cwd: dir, encoding: 'utf8' }).trim().split('\n');
}

describe('custom renderers under Node', () => {
  it('imports paths with spaces and # through a file URL', () => {
    expect(run(['a #dir/v.mjs', './a #dir/v.mjs'])).toEqual(['1 t', '1 t']);
  });

  it('reports a syntax error and a missing dependency with the module name', () => {
    const [syntax, dep, missing] = run(['syntax.mjs', 'dep.mjs', 'missing.mjs']);
    expect(syntax).toBe("InputError: renderer syntax.mjs: cannot import: SyntaxError: Unexpected token ';'");
    expect(dep).toMatch(/^InputError: renderer dep\.mjs: cannot import: Cannot find module '.*nope\.mjs' imported from .*dep\.mjs \(ERR_MODULE_NOT_FOUND\)$/);
    expect(missing).toBe(`InputError: renderer missing.mjs: no such file (resolved to ${join(dir, 'missing.mjs')})`);
  });
});
