import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRenderer, runRenderer } from '../../src/render/custom-renderer.js';
import { InputError } from '../../src/core/errors.js';
import type { MetadataRecord } from '../../src/core/types.js';

const dir = mkdtempSync(join(tmpdir(), 'vizmeta-renderer-'));
function module(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return name;
}

const records: MetadataRecord[] = [
  { values: { step: 1, loss: 0.5 }, time: '2026-01-01T00:00:00.000Z', source: 'a.log', line: 1 },
  { values: { step: 2, loss: 0.25 }, time: '2026-01-01T00:00:01.000Z', source: 'a.log', line: 2 },
];

async function failure(promise: Promise<unknown>): Promise<InputError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('expected an InputError');
}

describe('custom renderers', () => {
  it('loads a module relative to cwd and passes records and options', async () => {
    const name = module('ok.mjs', 'export default (records, options) => `${records.length} records, width ${options.width}, last loss ${records.at(-1).values.loss}\\n`;');
    const renderer = await loadRenderer(name, dir);
    expect(renderer.file).toBe(join(dir, name));
    expect(await runRenderer(renderer, records, { width: 80 })).toBe('2 records, width 80, last loss 0.25\n');
  });

  it('awaits an async renderer and puts no cap on the output', async () => {
    const renderer = await loadRenderer(module('big.mjs', 'export default async () => "x".repeat(5 * 1024 * 1024);'), dir);
    expect((await runRenderer(renderer, records, {})).length).toBe(5 * 1024 * 1024);
  });

  it('accepts an absolute path', async () => {
    writeFileSync(join(dir, 'abs.mjs'), 'export default () => "ok";');
    expect(await runRenderer(await loadRenderer(join(dir, 'abs.mjs'), '/'), [], {})).toBe('ok');
  });

  it('names the module when the file is missing', async () => {
    const error = await failure(loadRenderer('./missing-viz.mjs', dir));
    expect(error.message).toMatch(/^renderer \.\/missing-viz\.mjs: no such file/);
  });

  // Vitest routes dynamic imports through its own loader, whose messages differ from Node's;
  // custom-renderer.e2e.test.ts checks the exact messages under plain Node.
  it('names the module when the import fails', async () => {
    expect((await failure(loadRenderer(module('syntax.mjs', 'export default (records => ;'), dir))).message).toMatch(/^renderer syntax\.mjs: cannot import: /);
    expect((await failure(loadRenderer(module('top.mjs', 'throw new Error("boom at load");'), dir))).message).toBe('renderer top.mjs: cannot import: boom at load');
  });

  it('names the module when the default export is not a function', async () => {
    expect((await failure(loadRenderer(module('none.mjs', 'export const render = () => "";'), dir))).message).toBe('renderer none.mjs: has no default export; export a function (records, options) => string');
    expect((await failure(loadRenderer(module('obj.mjs', 'export default { render() {} };'), dir))).message).toMatch(/^renderer obj\.mjs: default export is an object, not a function/);
  });

  it('names the module when the renderer throws or rejects', async () => {
    const thrower = await loadRenderer(module('throw.mjs', 'export default () => { throw new TypeError("no loss key"); };'), dir);
    expect((await failure(runRenderer(thrower, records, {}))).message).toBe('renderer throw.mjs failed: TypeError: no loss key');
    const rejecter = await loadRenderer(module('reject.mjs', 'export default async () => { throw "plain string"; };'), dir);
    expect((await failure(runRenderer(rejecter, records, {}))).message).toBe('renderer reject.mjs failed: plain string');
  });

  it('names the module when the result is not a string', async () => {
    const renderer = await loadRenderer(module('number.mjs', 'export default () => 42;'), dir);
    expect((await failure(runRenderer(renderer, records, {}))).message).toBe('renderer number.mjs returned a number, expected a string');
    const nothing = await loadRenderer(module('undef.mjs', 'export default () => {};'), dir);
    expect((await failure(runRenderer(nothing, records, {}))).message).toBe('renderer undef.mjs returned undefined, expected a string');
  });
});
