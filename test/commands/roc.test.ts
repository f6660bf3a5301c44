import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../helpers/visualizations-io.js';

const R = 'fixtures/roc';
const AUC = 0.9220142602495544;

const dir = mkdtempSync(join(tmpdir(), 'vizmeta-roc-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

interface CurveJson {
  name: string;
  form: string;
  auc: number;
  fpr: number[];
  tpr: number[];
  thresholds: Array<number | null>;
}

describe('vizmeta roc (in-process)', () => {
  it('gives sklearn\'s curve and AUC from metadata arrays, the generated CSV and raw scores', async () => {
    const result = await runInProcess(['roc', '--format', 'json', `${R}/roc.log`, `${R}/generated.csv`, `${R}/scores.csv`, 'fixtures/kubeflow/roc.csv']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const curves = JSON.parse(result.stdout) as CurveJson[];
    expect(curves.map((c) => c.form)).toEqual(['metadata', 'kubeflow-csv', 'scores-csv', 'kubeflow-csv']);
    for (const curve of curves) {
      expect(curve.auc, curve.name).toBeCloseTo(AUC, 12);
      expect(curve.fpr).toHaveLength(47);
      expect(curve.thresholds[0]).toBeNull();
    }
    // The computed curve is the one sklearn wrote.
    const [fromLog, , computed] = curves;
    expect(computed?.fpr).toEqual(fromLog?.fpr);
    expect(computed?.tpr).toEqual(fromLog?.tpr);
    expect(computed?.thresholds).toEqual(fromLog?.thresholds);
  });

  it('overlays several curves with a legend, the chance line and an AUC table', async () => {
    const result = await runInProcess(['roc', `${R}/roc.log`, `${R}/scores.csv`], { columns: 90 });
    expect(result.status).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe('ROC curve: true-positive rate (y) by false-positive rate (x)');
    expect(lines[1]).toContain('chance (AUC 0.5)');
    // Names lose the folder they share, which is said once under the table.
    expect(result.stdout).toContain('roc.log (AUC 0.9220)');
    expect(result.stdout).not.toContain('fixtures/roc/roc.log (AUC');
    expect(result.stdout).toMatch(/\nscores\.csv\s+0\.9220\s+47\nfiles in fixtures\/roc\/\n$/);
    expect(lines.every((line) => line.length <= 90)).toBe(true);
  });

  it('leaves the latest tpr (always 1) out of the legend, even where a legend entry fills the width', async () => {
    for (const columns of [40, 90]) {
      const result = await runInProcess(['roc', `${R}/roc.log`, `${R}/scores.csv`], { columns });
      const legend = result.stdout.split('\n').slice(1).filter((line) => line.includes('AUC'));
      expect(legend.join('\n')).toContain('scores.csv (AUC 0.9220)');
      for (const line of legend) {
        expect(line).not.toMatch(/\) 1\b/);
        expect(line).not.toContain('…');
      }
    }
  });

  it('plots fpr on its true scale: a step at fpr 0.5 lands in the middle column', async () => {
    const log = file('step.log', '{"fpr": [0, 0.5, 0.5, 1], "tpr": [0, 0, 1, 1]}\n');
    const result = await runInProcess(['roc', '--height', '4', log], { columns: 60 });
    const rows = result.stdout.split('\n').filter((line) => /^\s*[\d.]+ [┤┼]/.test(line));
    const top = rows[0] as string;
    const axis = top.indexOf('┤') + 1;
    const rise = [...top].findIndex((ch, i) => i > axis && ch !== ' ' && ch !== '┄' && ch !== '╭' && ch !== '╯' && ch !== '─');
    const plotWidth = 60 - axis;
    expect(Math.abs((rise - axis) / plotWidth - 0.5)).toBeLessThan(0.05);
  });

  it('takes --score-col, --target-col and --true-class for raw scores', async () => {
    const csv = file('named.csv', 'y,p_cat\ncat,0.9\ndog,0.8\ncat,0.7\ndog,0.1\n');
    const result = await runInProcess(['roc', '--format', 'json', '--target-col', 'y', '--score-col', 'p_cat', '--true-class', 'cat', csv]);
    expect(result.status).toBe(0);
    expect((JSON.parse(result.stdout) as CurveJson[])[0]?.auc).toBe(0.75);
    const ask = await runInProcess(['roc', '--target-col', 'y', '--score-col', 'p_cat', csv]);
    expect(ask.status).toBe(2);
    expect(ask.stderr).toBe(`vizmeta: ${csv}: the targets are "cat", "dog": name the positive class with --true-class\n`);
  });

  it('reads per-sample JSON lines and configurable metadata keys', async () => {
    const samples = file('samples.jsonl', '{"target": 1, "score": 0.9}\n{"target": 0, "score": 0.2}\n{"target": 1, "score": 0.4}\n{"target": 0, "score": 0.6}\n');
    const result = await runInProcess(['roc', '--format', 'json', samples]);
    expect((JSON.parse(result.stdout) as CurveJson[])[0]).toMatchObject({ form: 'scores-jsonl', auc: 0.75 });
    const keyed = file('keyed.log', '{"val": {"f": [0, 0, 1], "t": [0, 1, 1]}}\n');
    const custom = await runInProcess(['roc', '--format', 'json', '--fpr-key', 'val.f', '--tpr-key', 'val.t', keyed]);
    expect((JSON.parse(custom.stdout) as CurveJson[])[0]).toMatchObject({ auc: 1, thresholds: [] });
  });

  it('names file:line for bad curves and bad CSV rows', async () => {
    const log = file('bad.log', '{"step": 1}\n{"fpr": [0, 0.5, 1], "tpr": [0, 1]}\n');
    const result = await runInProcess(['roc', log]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`vizmeta: ${log}:2: fpr has 3 values but tpr has 2\n`);
    const csv = file('bad.csv', '0,0,inf\n0.5,x,0.5\n1,1,0\n');
    expect((await runInProcess(['roc', csv])).stderr).toBe(`vizmeta: ${csv}:2: tpr "x" is not a finite number\n`);
    expect((await runInProcess(['roc', 'fixtures/keras.log'])).stderr).toMatch(/^vizmeta: fixtures\/keras\.log: no ROC data/);
  });

  it('writes markdown with an AUC table and the chart in a code block', async () => {
    const result = await runInProcess(['roc', '--format', 'markdown', `${R}/generated.csv`]);
    expect(result.stdout).toMatch(/^### ROC curves\n\n\| curve \| AUC \| points \|\n\|---\|---:\|---:\|\n\| fixtures/);
    expect(result.stdout).toContain('\n```text\nROC curve');
    expect(result.stdout).toMatch(/```\n$/);
  });
});
