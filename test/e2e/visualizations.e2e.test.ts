/**
 * matrix, roc, view and custom renderers through the built binary, against goldens under
 * test/e2e/golden/visualizations/ (no colour, 100 columns). UPDATE_GOLDEN=1 rewrites them.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/run-cli.js';

const GOLDEN = join(ROOT, 'test', 'e2e', 'golden', 'visualizations');

function golden(name: string, actual: string): void {
  const path = join(GOLDEN, name);
  if (process.env['UPDATE_GOLDEN'] === '1' || !existsSync(path)) writeFileSync(path, actual);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

describe('visualizations (built binary)', () => {
  it('matrix: every form of the fixture renders the same', async () => {
    const forms = ['triples.log', 'numeric.log', 'header.log', 'kubeflow.csv', 'samples.csv', 'samples.jsonl', 'evolving.log'];
    const outputs = await Promise.all(forms.map((form) => runCli(['matrix', '--labels', 'cat,dog,bird', `fixtures/matrix/${form}`])));
    for (const result of outputs) {
      expect(result.status).toBe(0);
      expect(result.stderr).toBe('');
    }
    const bodies = outputs.map((result) => result.stdout.split('\n').slice(1).join('\n'));
    for (const body of bodies) expect(body).toBe(bodies[0]);
    golden('matrix-header.txt', (outputs[2] as { stdout: string }).stdout);
  });

  it('matrix: --all, normalized and markdown goldens', async () => {
    const all = await runCli(['matrix', '--all', '--normalize', 'true', 'fixtures/matrix/evolving.log']);
    expect(all.status).toBe(0);
    golden('matrix-evolving-all-true.txt', all.stdout);
    const markdown = await runCli(['matrix', '--format', 'markdown', 'fixtures/matrix/kubeflow.csv']);
    golden('matrix-kubeflow.md', markdown.stdout);
  });

  it('roc: overlay of the fixtures, and markdown', async () => {
    const result = await runCli(['roc', 'fixtures/roc/roc.log', 'fixtures/roc/scores.csv']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/\nroc\.log\s+0\.9220\s+47\n/);
    expect(result.stdout).toMatch(/files in fixtures\/roc\/\n$/);
    golden('roc-overlay.txt', result.stdout);
    golden('roc-generated.md', (await runCli(['roc', '--format', 'markdown', 'fixtures/roc/generated.csv'])).stdout);
  });

  it('view: the Kubeflow fixture, text and markdown', async () => {
    const result = await runCli(['view', 'fixtures/kubeflow/mlpipeline-ui-metadata.json']);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    golden('view-kubeflow.txt', result.stdout);
    golden('view-kubeflow.md', (await runCli(['view', '--format', 'markdown', 'fixtures/kubeflow/mlpipeline-ui-metadata.json'])).stdout);
  });

  it('view: reads stdin, sources relative to the working directory', async () => {
    const input = readFileSync(join(ROOT, 'fixtures/kubeflow/mlpipeline-ui-metadata.json'));
    const result = await runCli(['view'], { input, cwd: join(ROOT, 'fixtures/kubeflow') });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(readFileSync(join(GOLDEN, 'view-kubeflow.txt'), 'utf8'));
  });

  it('has --help with examples', async () => {
    for (const command of ['matrix', 'roc', 'view']) {
      const help = await runCli([command, '--help']);
      expect(help.status).toBe(0);
      expect(help.stdout).toContain('Examples:');
    }
  });
});

describe('custom renderers (built binary, through chart)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vizmeta-renderers-'));
  const write = (name: string, text: string): string => {
    writeFileSync(join(dir, name), text);
    return name;
  };
  const log = 'fixtures/keras.log';
  const chart = (renderer: string): ReturnType<typeof runCli> => runCli(['chart', join(ROOT, log), '--renderer', renderer], { cwd: dir });

  it('runs the shipped example', async () => {
    const result = await runCli(['chart', log, '--renderer', 'examples/renderers/leaderboard.mjs']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Top 10 of 20 by val_accuracy\n 1\. epoch {4}8 {2}0\.9821 /);
  });

  it('reports each failure in one line naming the module, exit 2', async () => {
    const cases: Array<[string, string, RegExp]> = [
      ['throws.mjs', 'export default () => { throw new Error("no accuracy key"); };', /^vizmeta: renderer throws\.mjs failed: no accuracy key\n$/],
      ['no-default.mjs', 'export const render = () => "x";', /^vizmeta: renderer no-default\.mjs: has no default export; export a function \(records, options\) => string\n$/],
      ['number.mjs', 'export default () => 42;', /^vizmeta: renderer number\.mjs returned a number, expected a string\n$/],
      ['syntax.mjs', 'export default (records => ;', /^vizmeta: renderer syntax\.mjs: cannot import: SyntaxError: .*\n$/],
      ['missing.mjs', '', /^vizmeta: renderer missing\.mjs: no such file \(resolved to .*missing\.mjs\)\n$/],
    ];
    for (const [name, text, expected] of cases) {
      if (text !== '') write(name, text);
      const result = await chart(name);
      expect(result.status, name).toBe(2);
      expect(result.stderr, name).toMatch(expected);
      expect(result.stderr.split('\n')).toHaveLength(2);
    }
  });

  it('passes records and options, with no cap on the output', async () => {
    write('big.mjs', 'export default async (records, options) => `${records.length} ${options.width}\\n` + "x".repeat(8 * 1024 * 1024) + "\\nend\\n";');
    const result = await chart('big.mjs');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^21 100\nxxx/);
    expect(result.stdout.endsWith('\nend\n')).toBe(true);
    expect(result.stdout.length).toBeGreaterThan(8 * 1024 * 1024);
  });
});
