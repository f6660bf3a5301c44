import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../helpers/visualizations-io.js';

const M = 'fixtures/matrix';
const FORMS = ['triples.log', 'numeric.log', 'header.log', 'kubeflow.csv', 'samples.csv', 'samples.jsonl', 'evolving.log'];
const MATRIX = [[42, 6, 2], [5, 38, 7], [0, 4, 46]];

const dir = mkdtempSync(join(tmpdir(), 'vizmeta-matrix-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** Everything after the title line (which names the file and key). */
function body(text: string): string {
  return text.split('\n').slice(1).join('\n');
}

describe('vizmeta matrix (in-process)', () => {
  it('gives the same matrix, metrics and render for every form of the fixture matrix', async () => {
    const renders: string[] = [];
    for (const form of FORMS) {
      const json = await runInProcess(['matrix', '--format', 'json', '--labels', 'cat,dog,bird', `${M}/${form}`]);
      expect(json.stderr).toBe('');
      expect(json.status).toBe(0);
      const [entry] = JSON.parse(json.stdout) as Array<{ labels: string[]; matrix: number[][]; metrics: { accuracy: number } }>;
      expect(entry?.labels, form).toEqual(['cat', 'dog', 'bird']);
      expect(entry?.matrix, form).toEqual(MATRIX);
      expect(entry?.metrics.accuracy).toBeCloseTo(0.84, 12);
      const text = await runInProcess(['matrix', '--labels', 'cat,dog,bird', `${M}/${form}`]);
      expect(text.status).toBe(0);
      renders.push(body(text.stdout));
    }
    for (const render of renders) expect(render).toBe(renders[0]);
    expect(renders[0]).toContain('cat               0.894      0.840      0.866       50');
  });

  it('reads every form from stdin too (CSV sniffed from content)', async () => {
    const { readFileSync } = await import('node:fs');
    for (const form of ['kubeflow.csv', 'samples.csv', 'header.log', 'samples.jsonl']) {
      const result = await runInProcess(['matrix', '--format', 'json', '--labels', 'cat,dog,bird'], { input: readFileSync(`${M}/${form}`, 'utf8') });
      expect(result.status, form).toBe(0);
      expect((JSON.parse(result.stdout) as Array<{ matrix: number[][] }>)[0]?.matrix).toEqual(MATRIX);
    }
  });

  it('shows the latest matrix by default and every one with --all, in order', async () => {
    const latest = JSON.parse((await runInProcess(['matrix', '--format', 'json', `${M}/evolving.log`])).stdout) as Array<{ line: number }>;
    expect(latest.map((e) => e.line)).toEqual([45]);
    const all = JSON.parse((await runInProcess(['matrix', '--all', '--format', 'json', `${M}/evolving.log`, `${M}/kubeflow.csv`])).stdout) as Array<{ key: string | null; line: number | null; source: string; metrics: { accuracy: number } }>;
    expect(all.map((e) => [e.source, e.line])).toEqual([[`${M}/evolving.log`, 12], [`${M}/evolving.log`, 23], [`${M}/evolving.log`, 34], [`${M}/evolving.log`, 45], [`${M}/kubeflow.csv`, null]]);
    expect(all.map((e) => e.metrics.accuracy)).toEqual([...all.map((e) => e.metrics.accuracy)].sort((a, b) => a - b));
    const text = await runInProcess(['matrix', `${M}/evolving.log`]);
    expect(text.stdout.split('\n')[0]).toBe(`Confusion matrix: confusion_matrix · ${M}/evolving.log:45 (latest of 4)`);
  });

  it('writes json entries {key, labels, matrix, metrics} in the order found', async () => {
    const result = await runInProcess(['matrix', '--format', 'json', '--normalize', 'true', `${M}/header.log`, `${M}/kubeflow.csv`]);
    const entries = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
    expect(entries).toHaveLength(2);
    expect(Object.keys(entries[0] ?? {})).toEqual(['key', 'labels', 'matrix', 'normalized', 'metrics', 'source', 'line', 'form']);
    expect(entries[0]?.['key']).toBe('confusion');
    expect(entries[1]?.['key']).toBeNull();
    expect(entries[1]?.['form']).toBe('kubeflow-csv');
    const metrics = entries[0]?.['metrics'] as { classes: Array<{ label: string; precision: number; f1: number; support: number }>; macro: { f1: number }; weighted: { recall: number }; mostConfused: Array<{ actual: string; predicted: string; count: number }> };
    expect(metrics.classes[0]?.precision).toBeCloseTo(42 / 47, 12);
    expect(metrics.classes[2]?.f1).toBeCloseTo(0.8762, 4);
    expect(metrics.weighted.recall).toBeCloseTo(0.84, 12);
    expect(metrics.mostConfused[0]).toMatchObject({ actual: 'dog', predicted: 'bird', count: 7 });
    expect((entries[0]?.['normalized'] as number[][])[0]).toEqual([0.84, 0.12, 0.04]);
  });

  it('renders markdown for a CI summary', async () => {
    const result = await runInProcess(['matrix', '--format', 'markdown', `${M}/header.log`]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^### Confusion matrix: confusion · fixtures\/matrix\/header\.log:3\n/);
    expect(result.stdout).toContain('| **cat** |');
  });

  it('names file:line for a malformed matrix asked for by --key', async () => {
    const log = file('ragged.log', '{"step": 1}\n{"cm": [[1, 2], [3]]}\n');
    const result = await runInProcess(['matrix', '--key', 'cm', log]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`vizmeta: ${log}:2: cm: confusion matrix row 2 has 1 cells, expected 2 (a confusion matrix must be square)\n`);
  });

  it('names the closest keys when --key names one an input lacks', async () => {
    const result = await runInProcess(['matrix', '--key', 'metadata.confusion_matrx', '--format', 'json', `${M}/numeric.log`, `${M}/evolving.log`]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('[]\n');
    expect(result.stderr).toBe([
      `vizmeta: no key "metadata.confusion_matrx" in ${M}/numeric.log; did you mean confusion_matrix?`,
      `vizmeta: no key "metadata.confusion_matrx" in ${M}/evolving.log; did you mean confusion_matrix?`,
      '',
    ].join('\n'));
  });

  it('reports a near miss when no matrix is found, and warns about it beside good ones', async () => {
    const bad = file('negative.log', '{"cm": [[1, -2], [3, 4]]}\n');
    const result = await runInProcess(['matrix', bad]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`vizmeta: ${bad}:1: cm is not a confusion matrix: confusion matrix row 1 cell 2 is -2, counts cannot be negative\n`);
    const mixed = file('mixed.log', '{"cm": [[1, 2], [3, 4]]}\n{"cm": [[1, 2], [3, NaN]]}\n{"cm": [[5, 0], [0, 5]]}\n');
    const ok = await runInProcess(['matrix', '--all', '--format', 'json', mixed]);
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout)).toHaveLength(2);
    expect(ok.stderr).toBe(`vizmeta: ${mixed}:2: cm is not a confusion matrix (confusion matrix row 2 cell 2 is NaN, expected a finite number), skipped\n`);
  });

  it('names file:line for a bad CSV row and a label count mismatch', async () => {
    const csv = file('bad.csv', 'a,a,1\na,b,x\nb,a,0\nb,b,2\n');
    const result = await runInProcess(['matrix', csv]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`vizmeta: ${csv}:2: count "x" is not a number\n`);
    const mismatch = await runInProcess(['matrix', '--labels', 'a,b', `${M}/kubeflow.csv`]);
    expect(mismatch.stderr).toBe(`vizmeta: ${M}/kubeflow.csv: Data dimensions 9 do not match the number of labels passed 2\n`);
    const unknown = await runInProcess(['matrix', '--labels', 'cat,dog,cow', `${M}/kubeflow.csv`]);
    expect(unknown.stderr).toBe(`vizmeta: ${M}/kubeflow.csv:3: label "bird" is not in the labels list\n`);
    const relabel = await runInProcess(['matrix', '--labels', 'a,b', `${M}/numeric.log`]);
    expect(relabel.stderr).toBe(`vizmeta: ${M}/numeric.log:3: --labels has 2 labels but the matrix has 3 classes\n`);
  });

  it('reads per-sample columns named with --actual-col and --predicted-col', async () => {
    const csv = file('named.csv', 'truth,guess,p\nx,x,0.9\nx,y,0.4\ny,y,0.8\n');
    const result = await runInProcess(['matrix', '--format', 'json', '--actual-col', 'truth', '--predicted-col', 'guess', csv]);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)[0]).toMatchObject({ labels: ['x', 'y'], matrix: [[1, 1], [0, 1]], form: 'samples-csv' });
  });

  it('goes on with the other files when one cannot be read, and prints in argument order', async () => {
    const result = await runInProcess(['matrix', 'missing.log', `${M}/header.log`, `${M}/kubeflow.csv`]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('vizmeta: missing.log: no such file\n');
    const titles = result.stdout.split('\n').filter((line) => line.startsWith('Confusion matrix:'));
    expect(titles).toEqual([`Confusion matrix: confusion · ${M}/header.log:3`, `Confusion matrix: target,predicted,count · ${M}/kubeflow.csv`]);
  });

  it('says when a log holds no matrix', async () => {
    const result = await runInProcess(['matrix', 'fixtures/keras.log']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^vizmeta: fixtures\/keras\.log: no confusion matrix found/);
  });
});
