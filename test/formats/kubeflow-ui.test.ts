import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { baseDirOf, expandLocal, loadSource, locateSource, parseUiMetadata, readLocalSource, type UiOutput } from '../../src/formats/kubeflow-ui.js';

describe('parseUiMetadata', () => {
  it('pulls out the fields of each output', () => {
    const parsed = parseUiMetadata(JSON.stringify({
      version: 1,
      outputs: [{ type: 'confusion_matrix', format: 'csv', labels: ['a', 1], schema: [{ name: 'target', type: 'CATEGORY' }, { name: 'predicted' }], source: 's.csv', storage: 'minio' }, 7],
    }), 'ui.json');
    expect(parsed.version).toBe(1);
    expect(parsed.unescaped).toBe(false);
    expect(parsed.outputs[0]).toMatchObject({ index: 1, type: 'confusion_matrix', format: 'csv', labels: ['a', '1'], schema: ['target', 'predicted'], source: 's.csv', storage: 'minio' });
    expect(parsed.outputs[1]).toEqual({ index: 2, type: '', raw: {} });
  });

  it('requires outputs, as the Kubeflow UI does', () => {
    expect(() => parseUiMetadata('{"version": 1}', 'ui.json')).toThrow('ui.json: "outputs" field required but not found');
    expect(() => parseUiMetadata('{"outputs": {}}', 'ui.json')).toThrow('ui.json: "outputs" must be an array of outputs');
    expect(() => parseUiMetadata('[1]', 'ui.json')).toThrow('ui.json: expected a JSON object');
  });

  it('retries a file escaped twice, and unwraps a JSON string', () => {
    const inner = '{"outputs": [{"type": "markdown", "storage": "inline", "source": "# A\\nb \\"q\\""}]}';
    const twice = JSON.stringify(inner).slice(1, -1);
    const parsed = parseUiMetadata(twice, 'x');
    expect(parsed.unescaped).toBe(true);
    expect(parsed.outputs[0]?.source).toBe('# A\nb "q"');
    // Kubeflow's own retry: real newlines in the escaped text, so only stripping works.
    const stripped = parseUiMetadata('{\\"outputs\\":\n [{\\"type\\": \\"roc\\"}]}', 'x');
    expect(stripped.outputs[0]?.type).toBe('roc');
    expect(parseUiMetadata(JSON.stringify(inner), 'x').outputs[0]?.type).toBe('markdown');
  });
});

describe('sources', () => {
  const base = '/data/run';
  it('tells inline, local, file:// and remote apart', () => {
    expect(locateSource({ index: 1, type: 'table', source: 'a,b', storage: 'inline', raw: {} }, base)).toEqual({ kind: 'inline', content: 'a,b' });
    expect(locateSource({ index: 1, type: 'table', source: 'sub/t.csv', raw: {} }, base)).toEqual({ kind: 'local', path: '/data/run/sub/t.csv' });
    expect(locateSource({ index: 1, type: 'table', source: '/abs/t.csv', raw: {} }, base)).toEqual({ kind: 'local', path: '/abs/t.csv' });
    expect(locateSource({ index: 1, type: 'table', source: pathToFileURL('/abs/a b.csv').href, raw: {} }, base)).toEqual({ kind: 'local', path: '/abs/a b.csv' });
    for (const url of ['gs://b/t.csv', 's3://b/t.csv', 'minio://b/t.csv', 'https://x/t.csv', 'http://x/t.csv']) {
      expect(locateSource({ index: 1, type: 'table', source: url, raw: {} }, base)).toEqual({ kind: 'remote', url });
    }
    expect(locateSource({ index: 1, type: 'table', raw: {} }, base)).toEqual({ kind: 'missing' });
    expect(baseDirOf('-', '/cwd')).toBe('/cwd');
    expect(baseDirOf('a/ui.json', '/cwd')).toBe('/cwd/a');
  });

  it('expands * in any segment in name order and concatenates with newlines', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vizmeta-kfui-'));
    for (const part of ['p1', 'p2']) mkdirSync(join(dir, part));
    writeFileSync(join(dir, 'p2', 'x.csv'), '3\n');
    writeFileSync(join(dir, 'p1', 'y.csv'), '2\n');
    writeFileSync(join(dir, 'p1', 'x.csv'), '1');
    writeFileSync(join(dir, 'p1', '.hidden.csv'), 'no\n');
    expect(await expandLocal(join(dir, 'p*', '*.csv'))).toEqual([join(dir, 'p1', 'x.csv'), join(dir, 'p1', 'y.csv'), join(dir, 'p2', 'x.csv')]);
    expect((await readLocalSource(join(dir, 'p*', '*.csv'))).content).toBe('1\n2\n3\n');
    await expect(expandLocal(join(dir, '*.tsv'))).rejects.toThrow(`no file matches ${join(dir, '*.tsv')}`);
    await expect(readLocalSource(join(dir, 'none.csv'))).rejects.toThrow(`${join(dir, 'none.csv')}: no such file`);
  });
});

describe('loadSource', () => {
  it('reads inline and local data, the size of a web-app page, and returns read errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vizmeta-load-'));
    writeFileSync(join(dir, 'page.html'), '<p>hi</p>');
    const out = (fields: object): UiOutput => ({ index: 1, type: 'table', raw: {}, ...fields }) as UiOutput;
    expect(await loadSource(out({}), { kind: 'inline', content: 'a,b' })).toEqual({ kind: 'text', text: 'a,b' });
    expect(await loadSource(out({ type: 'web-app' }), { kind: 'local', path: join(dir, 'page.html') })).toEqual({ kind: 'size', size: 9 });
    expect(await loadSource(out({ type: 'web-app' }), { kind: 'local', path: join(dir, 'gone.html') })).toEqual({ kind: 'size', size: undefined });
    expect(await loadSource(out({ type: 'tensorboard' }), { kind: 'local', path: dir })).toEqual({ kind: 'none' });
    expect(await loadSource(out({}), { kind: 'remote', url: 'gs://b/t.csv' })).toEqual({ kind: 'none' });
    const missing = await loadSource(out({}), { kind: 'local', path: join(dir, 'nope.csv') });
    expect(missing.kind === 'error' && missing.error.message).toBe(`${join(dir, 'nope.csv')}: no such file`);
  });
});
