import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../helpers/visualizations-io.js';

const K = 'fixtures/kubeflow/mlpipeline-ui-metadata.json';

const dir = mkdtempSync(join(tmpdir(), 'vizmeta-view-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function headings(stdout: string): string[] {
  return stdout.split('\n').filter((line) => /^\d+\. /.test(line));
}

describe('vizmeta view (in-process)', () => {
  it('renders all six output types of the fixture in order', async () => {
    const result = await runInProcess(['view', K]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(headings(result.stdout)).toEqual([
      '1. confusion_matrix · confusion_matrix.csv',
      '2. roc · roc.csv',
      '3. table · inline',
      '4. markdown · inline',
      '5. web-app · inline',
      '6. tensorboard · gs://vizmeta-example/logs/run-42',
    ]);
    const out = result.stdout;
    expect(out).toContain('Confusion matrix: confusion_matrix.csv (rows: target, columns: predicted)');
    expect(out).toContain('accuracy                                0.840      150');
    expect(out).toMatch(/roc\.csv\s+0\.9220\s+47/);
    expect(out).toMatch(/\nmodel +accuracy +val_loss +params\n/);
    expect(out).toMatch(/vit_tiny\s+0\.9461\s+0\.2012\s+5\.7M/);
    expect(out).toContain('Training summary\n════════════════');
    expect(out).toContain('Best checkpoint: `gs://vizmeta-example/ckpt/epoch-20.pt`');
    expect(out).toMatch(/web-app: an inline HTML page \(\d+ bytes\), not rendered in a terminal/);
    expect(out).toContain('tensorboard: TensorBoard logs at gs://vizmeta-example/logs/run-42; browse them with:\n  tensorboard --logdir gs://vizmeta-example/logs/run-42\n');
    // The order of sections is the order of outputs.
    const at = (text: string): number => out.indexOf(text);
    expect(at('Confusion matrix:')).toBeLessThan(at('ROC curve'));
    expect(at('ROC curve')).toBeLessThan(at('vit_tiny'));
    expect(at('vit_tiny')).toBeLessThan(at('Training summary'));
  });

  it('reads a local source and the same data inline to the same matrix', async () => {
    const result = await runInProcess(['view', 'fixtures/matrix/mlpipeline-ui-metadata.json']);
    expect(result.status).toBe(0);
    const [first, second] = result.stdout.split(/^2\. confusion_matrix · inline$/m);
    const body = (text: string): string => text.slice(text.indexOf('3 classes'));
    expect(body(second ?? '')).toBe(body(first ?? '').replace(/\n\n$/, '\n'));
  });

  it('says a remote source is not read without --allow-remote, skips an unknown type, and keeps going', async () => {
    const json = file('remote.json', JSON.stringify({
      version: 1,
      outputs: [
        { type: 'table', format: 'csv', header: ['a'], source: 'gs://bucket/table.csv' },
        { type: 'plotly', source: 'x' },
        { type: 'markdown', storage: 'inline', source: '**still here**' },
        { type: 'roc', format: 'csv', source: 'https://example.com/roc.csv' },
        'not an object',
      ],
    }));
    const result = await runInProcess(['view', json], { columns: 200 });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe([
      '1. table · gs://bucket/table.csv',
      'not shown: gs://bucket/table.csv is remote; --allow-remote fetches it (s3://, gs://, minio://, https://)',
      '',
      '2. plotly',
      'skipped: unknown output type "plotly" (vizmeta shows confusion_matrix, roc, table, markdown, web-app, tensorboard)',
      '',
      '3. markdown · inline',
      'still here',
      '',
      '4. roc · https://example.com/roc.csv',
      'not shown: https://example.com/roc.csv is remote; --allow-remote fetches it (s3://, gs://, minio://, https://)',
      '',
      '5. (no type)',
      'skipped: the output has no type (vizmeta shows confusion_matrix, roc, table, markdown, web-app, tensorboard)',
      '',
    ].join('\n'));
  });

  it('reads wildcard sources relative to the JSON file, concatenated in name order', async () => {
    mkdirSync(join(dir, 'wild', 'parts'), { recursive: true });
    writeFileSync(join(dir, 'wild', 'parts', 'b.csv'), 'y,2\n');
    writeFileSync(join(dir, 'wild', 'parts', 'a.csv'), 'x,1');
    writeFileSync(join(dir, 'wild', 'parts', 'c.txt'), 'z,3\n');
    writeFileSync(join(dir, 'wild', 'ui.json'), JSON.stringify({ outputs: [{ type: 'table', format: 'csv', header: ['k', 'v'], source: 'parts/*.csv' }] }));
    const result = await runInProcess(['view', join(dir, 'wild', 'ui.json')]);
    expect(result.stdout).toBe('1. table · parts/*.csv\nk  v\n─  ─\nx  1\ny  2\n(2 rows)\n');
  });

  it('reports a missing local file and bad data on stderr with exit 2, and renders the rest', async () => {
    const json = file('broken.json', JSON.stringify({
      outputs: [
        { type: 'table', format: 'csv', source: 'nope.csv' },
        { type: 'confusion_matrix', format: 'csv', labels: ['a', 'b'], storage: 'inline', source: 'a,a,1\na,b,2\nb,a,x\nb,b,4' },
        { type: 'markdown', storage: 'inline', source: 'after' },
      ],
    }));
    const result = await runInProcess(['view', json]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe([
      `vizmeta: ${json}: output 1 (table): ${join(dir, 'nope.csv')}: no such file`,
      `vizmeta: ${json}: output 2 (confusion_matrix): inline source:3: count (a value) is not a number`,
      '',
    ].join('\n'));
    expect(headings(result.stdout)).toEqual(['1. table · nope.csv', '2. confusion_matrix · inline', '3. markdown · inline']);
    expect(result.stdout).toMatch(/3\. markdown · inline\nafter\n$/);
  });

  it('says clearly when outputs is missing or the file is not JSON', async () => {
    const none = file('none.json', '{"version": 1}');
    expect((await runInProcess(['view', none])).stderr).toBe(`vizmeta: ${none}: "outputs" field required but not found; expected {"version": 1, "outputs": [...]}\n`);
    const junk = file('junk.json', 'outputs: []');
    const result = await runInProcess(['view', junk]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^vizmeta: ${junk.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: not valid JSON; expected `));
    // The file's text is not quoted: it may be a file that should not be shown.
    expect(result.stderr).not.toContain('outputs: []');
  });

  it('reads a file that was JSON-escaped twice, as Kubeflow retries', async () => {
    const pretty = JSON.stringify({ version: 1, outputs: [{ type: 'table', format: 'csv', header: ['k', 'v'], source: 'kv.csv' }] }, null, 2);
    file('kv.csv', 'a,1\n');
    const twice = file('twice.json', JSON.stringify(pretty).slice(1, -1));
    const result = await runInProcess(['view', twice]);
    expect(result.stderr).toBe(`vizmeta: ${twice}: read after removing newlines and backslashes (the file was JSON-escaped twice)\n`);
    expect(result.stdout).toBe('1. table · kv.csv\nk  v\n─  ─\na  1\n(1 row)\n');
    const string = file('string.json', JSON.stringify(JSON.stringify({ outputs: [{ type: 'markdown', storage: 'inline', source: 'ok' }] })));
    expect((await runInProcess(['view', string])).stdout).toBe('1. markdown · inline\nok\n');
  });

  it('renders several files in argument order with a heading each, and markdown for CI', async () => {
    const result = await runInProcess(['view', K, 'fixtures/matrix/mlpipeline-ui-metadata.json']);
    const titles = result.stdout.split('\n').filter((line) => line.startsWith('== '));
    expect(titles).toEqual([`== ${K} (6 outputs) ==`, '== fixtures/matrix/mlpipeline-ui-metadata.json (2 outputs) ==']);
    const markdown = await runInProcess(['view', '--format', 'markdown', K]);
    expect(markdown.stdout).toMatch(/^### 1\. confusion_matrix · confusion_matrix\.csv\n\n### Confusion matrix/);
    expect(markdown.stdout).toMatch(/\| vit\\?_tiny \| 0\.9461 \| 0\.2012 \| 5\.7M \|/);
    expect(markdown.stdout).toContain('# Training summary\n');
    expect(markdown.stdout).toContain('> tensorboard: TensorBoard logs at gs\\://vizmeta-example/logs/run-42');
  });
});
