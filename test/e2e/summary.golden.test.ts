/**
 * Golden outputs of the execution commands (sort, compare, table, stats, gate) on fixtures/runs/.
 * Each golden records the command, stdout, stderr and exit status; colour off, 100 columns
 * (80 where named). Regenerate with UPDATE_GOLDEN=1 npx vitest run test/e2e/summary.golden.test.ts
 * and read the diff before committing.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/run-cli.js';

const DIR = join(ROOT, 'test/e2e/golden/executions');
const RUNS = ['fixtures/runs/run-1.log', 'fixtures/runs/run-2.log', 'fixtures/runs/run-3.log', 'fixtures/runs/run-4.log', 'fixtures/runs/run-5.log', 'fixtures/runs/run-6.log', 'fixtures/runs/run-7.log', 'fixtures/runs/run-8.log'];
const EXTRA = ['fixtures/valohai-utils.log', 'fixtures/timestamps.log', 'fixtures/nan.log', 'fixtures/kubeflow/mlpipeline-metrics.json'];

const CASES: Array<{ name: string; args: string[]; columns?: number }> = [
  { name: 'sort-accuracy', args: ['sort', '--by', 'accuracy', ...RUNS, ...EXTRA] },
  { name: 'sort-accuracy-80', args: ['sort', '--by', 'accuracy', ...RUNS, ...EXTRA], columns: 80 },
  { name: 'sort-val-loss-min-asc', args: ['sort', '--by', 'val_loss', '--agg', 'min', '--asc', '--keys', 'loss,step', ...RUNS] },
  { name: 'sort-val-loss', args: ['sort', '--by', 'val_loss', '--keys', 'val_accuracy,step', ...RUNS] },
  { name: 'sort-lr-no-direction', args: ['sort', '--by', 'lr', '--keys', 'lr0,optimizer', ...RUNS] },
  { name: 'sort-json-top3', args: ['sort', '--by', 'metadata.accuracy', '--top', '3', '--format', 'json', '--keys', 'loss,val_accuracy', ...RUNS] },
  { name: 'sort-csv', args: ['sort', '--by', 'accuracy', '--format', 'csv', '--keys', 'loss,f1', ...RUNS] },
  { name: 'sort-markdown', args: ['sort', '--by', 'accuracy', '--format', 'markdown', ...RUNS] },
  { name: 'compare', args: ['compare', RUNS[0] as string, RUNS[1] as string, RUNS[2] as string] },
  { name: 'compare-80', args: ['compare', '--keys', 'accuracy,loss', RUNS[0] as string, RUNS[3] as string], columns: 80 },
  { name: 'compare-markdown', args: ['compare', '--format', 'markdown', '--keys', 'accuracy,val_accuracy,loss,val_loss', RUNS[0] as string, RUNS[5] as string, RUNS[6] as string] },
  { name: 'compare-markdown-settings', args: ['compare', '--format', 'markdown', RUNS[0] as string, RUNS[1] as string] },
  { name: 'compare-json', args: ['compare', '--format', 'json', '--keys', 'accuracy,loss', '--lower-is-better', 'accuracy', RUNS[0] as string, RUNS[1] as string] },
  { name: 'compare-join', args: ['compare', '--join', 'step', '--keys', 'loss', RUNS[2] as string, RUNS[7] as string] },
  { name: 'table-limit', args: ['table', '--limit', '8', RUNS[2] as string] },
  { name: 'table-where-sort', args: ['table', '--where', 'val_loss < 0.3', '--sort', '-val_accuracy', '--columns', 'step,val_loss,val_accuracy', RUNS[2] as string, RUNS[7] as string] },
  { name: 'table-group', args: ['table', '--group-by', 'optimizer', '--agg', 'count(),mean(lr0),max(batch_size)', '--sort', '-count()', ...RUNS] },
  { name: 'table-csv', args: ['table', '--format', 'csv', '--where', 'step >= 4500', '--columns', 'step,loss,accuracy', RUNS[0] as string] },
  { name: 'table-json-nan', args: ['table', '--format', 'json', '--where', 'isnan(loss) or step == 3550', RUNS[2] as string] },
  { name: 'stats', args: ['stats', ...RUNS] },
  { name: 'stats-80', args: ['stats', 'fixtures/nan.log'], columns: 80 },
  { name: 'stats-markdown', args: ['stats', '--format', 'markdown', '--keys', 'loss,accuracy,val_loss', ...RUNS] },
  { name: 'gate-pass', args: ['gate', '--when', 'accuracy >= 0.8', '--when', 'min(loss) < 1', ...RUNS] },
  { name: 'gate-fail', args: ['gate', '--when', 'metadata.accuracy >= 0.9', '--when', 'val_accuracy > 0.85', ...RUNS] },
  { name: 'gate-markdown', args: ['gate', '--format', 'markdown', '--when', 'accuracy >= 0.9', RUNS[0] as string, RUNS[1] as string] },
  { name: 'gate-baseline', args: ['gate', '--baseline', RUNS[0] as string, '--max-drop', 'accuracy=0.02', '--max-drop', 'val_loss=10%', RUNS[3] as string, RUNS[1] as string] },
  { name: 'gate-github', args: ['gate', '--github', '--when', 'accuracy >= 0.9', '--missing', 'fail', RUNS[1] as string, RUNS[3] as string, 'fixtures/kubeflow/mlpipeline-metrics.json'] },
];

function transcript(args: string[], result: { stdout: string; stderr: string; status: number | null }): string {
  return `$ vizmeta ${args.map((arg) => (/^[\w./=,:-]+$/.test(arg) ? arg : `'${arg}'`)).join(' ')}\n${result.stdout}${result.stderr === '' ? '' : `--- stderr ---\n${result.stderr}`}--- exit ${result.status} ---\n`;
}

describe('golden outputs on fixtures/runs', () => {
  for (const testCase of CASES) {
    it(testCase.name, async () => {
      const result = await runCli(testCase.args, { env: { COLUMNS: String(testCase.columns ?? 100) } });
      const text = transcript(testCase.args, result);
      const file = join(DIR, `${testCase.name}.txt`);
      if (process.env['UPDATE_GOLDEN'] || !existsSync(file)) writeFileSync(file, text);
      expect(text).toBe(readFileSync(file, 'utf8'));
      expect(result.stdout).not.toMatch(/\x1b/);
    });
  }
});
