import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { plannedJobs, summarizeExecutions, summarizeFile } from '../../src/input/executions.js';
import { parseKubeflowMetrics } from '../../src/formats/kubeflow-metrics.js';
import { Series } from '../../src/analyse/series.js';
import { aggregateOf, directionOf, stepAtBest, summarizeRecords, SummaryBuilder } from '../../src/analyse/summary.js';
import type { JsonObject, MetadataRecord } from '../../src/core/types.js';
import { Readable } from 'node:stream';

function records(values: JsonObject[]): MetadataRecord[] {
  return values.map((v, i) => ({ values: v, time: '2026-01-01T00:00:00.000Z', source: 'a.log', line: i + 1 }));
}

describe('execution summary', () => {
  const summary = summarizeRecords('a.log', records([
    { step: 1, loss: 2, acc: 0.1, note: 'start' },
    { step: 2, loss: Number.NaN, acc: 0.5 },
    { step: 3, loss: 1, acc: 0.4, val: { loss: 3 } },
    { step: 4, loss: 1.5, acc: Number.POSITIVE_INFINITY },
  ]));

  it('reads numeric strings as numbers for min, max and mean, as gate and the charts do; latest stays as printed', () => {
    const strings = summarizeRecords('hf.log', records([{ step: 1, loss: '0.6933' }, { step: 2, loss: '0.5738' }, { step: 3, loss: '0.6621' }, { step: 4, loss: 'n/a' }]));
    expect(strings.keys.get('loss')).toMatchObject({ count: 4, numeric: 3, min: 0.5738, max: 0.6933, minStep: 2, latest: 'n/a' });
    expect(aggregateOf(strings, 'loss', 'mean')).toBeCloseTo((0.6933 + 0.5738 + 0.6621) / 3, 12);
  });

  it('keeps latest, first, min, max, mean, count and NaN count per key', () => {
    const loss = summary.keys.get('loss');
    expect(loss).toMatchObject({ count: 4, numeric: 4, nan: 1, first: 2, latest: 1.5, min: 1, max: 2, minStep: 3, maxStep: 1, latestLine: 4 });
    expect(aggregateOf(summary, 'loss', 'mean')).toBeCloseTo(1.5);
    expect(aggregateOf(summary, 'loss', 'count')).toBe(4);
    expect(aggregateOf(summary, 'metadata.loss', 'latest')).toBe(1.5);
    expect(aggregateOf(summary, 'val.loss', 'latest')).toBe(3);
    expect(aggregateOf(summary, 'note', 'latest')).toBe('start');
    expect(aggregateOf(summary, 'note', 'max')).toBeUndefined();
    expect(aggregateOf(summary, 'nope', 'latest')).toBeUndefined();
    expect(aggregateOf(summary, 'nope', 'count')).toBe(0);
    expect(summary.keys.get('acc')).toMatchObject({ inf: 1, max: Number.POSITIVE_INFINITY });
  });

  it('knows the step at the best value by direction', () => {
    const loss = summary.keys.get('loss');
    expect(loss && stepAtBest(loss, directionOf('loss'))).toBe(3);
    expect(loss && stepAtBest(loss, directionOf('acc'))).toBe(1);
  });

  it('reads a direction from the vocabulary, min where a name has none (Keras), overrides first', () => {
    expect(directionOf('val_accuracy')).toBe('max');
    expect(directionOf('eval_samples_per_second')).toBe('max');
    expect(directionOf('metadata.eval.f1')).toBe('max');
    expect(directionOf('train_loss_epoch')).toBe('min');
    expect(directionOf('learning_rate')).toBe('min');
    expect(directionOf('my_metric')).toBe('min');
    expect(directionOf('loss', { higher: ['metadata.loss'] })).toBe('max');
    expect(directionOf('val_accuracy', { lower: ['val_accuracy'] })).toBe('min');
  });

  it('aggregates only the asked keys, and keeps a bounded history', () => {
    const builder = new SummaryBuilder('big', { keys: new Set(['loss']), history: new Set(['loss']), makeHistory: () => new Series(64) });
    for (let i = 0; i < 100_000; i++) builder.add({ values: { step: i, loss: Math.sin(i), other: i }, time: '', source: 'big', line: i + 1 });
    const result = builder.finish(100_000);
    expect([...result.keys.keys()]).toEqual(['loss']);
    expect(result.keys.get('loss')?.history?.length).toBeLessThanOrEqual(64);
    expect(result.records).toBe(100_000);
  });

  it('decides direction the Keras way unless told', () => {
    expect(directionOf('val_accuracy')).toBe('max');
    expect(directionOf('top5_acc')).toBe('max');
    expect(directionOf('roc_auc')).toBe('max');
    expect(directionOf('macro_f1')).toBe('max');
    expect(directionOf('val_loss')).toBe('min');
    expect(directionOf('error_rate')).toBe('min');
    expect(directionOf('val_loss', { higher: ['val_loss'] })).toBe('max');
    expect(directionOf('metadata.accuracy', { lower: ['accuracy'] })).toBe('min');
  });
});

describe('Kubeflow mlpipeline-metrics', () => {
  it('reads metrics as one record, first of a repeated name winning', () => {
    const parsed = parseKubeflowMetrics(JSON.stringify({ metrics: [
      { name: 'accuracy-score', numberValue: 0.9, format: 'PERCENTAGE' },
      { name: 'accuracy-score', numberValue: 0.1 },
      { name: 'roc', numberValue: 'NaN' },
      { name: 'bad', numberValue: 'x' },
    ] }));
    expect(parsed?.values).toEqual({ 'accuracy-score': 0.9, roc: Number.NaN });
    expect(parsed?.skipped).toHaveLength(1);
  });

  it('refuses documents that are not KFP metrics', () => {
    expect(parseKubeflowMetrics('{"metrics": [1]}')).toBeUndefined();
    expect(parseKubeflowMetrics('{"metrics": [], "other": 1}')).toBeUndefined();
    expect(parseKubeflowMetrics('{"a": 1}\n{"a": 2}')).toBeUndefined();
    expect(parseKubeflowMetrics('{"metrics": null}')?.values).toEqual({});
  });

  it('is detected by content when summarising a file', async () => {
    const summary = await summarizeFile('fixtures/kubeflow/mlpipeline-metrics.json');
    expect(summary.kind).toBe('kubeflow');
    expect(summary.records).toBe(1);
    expect(aggregateOf(summary, 'accuracy-score', 'latest')).toBe(0.912);
  });
});

describe('multi-file driver', () => {
  it('keeps input order, reports unreadable files in their slot, reads stdin as -', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vizmeta-summary-'));
    const paths = Array.from({ length: 12 }, (_, i) => {
      const path = join(dir, `r${i}.log`);
      // Later files are smaller, so they finish first when read concurrently.
      writeFileSync(path, Array.from({ length: (12 - i) * 500 }, (_, s) => `{"step": ${s}, "id": ${i}}`).join('\n'));
      return path;
    });
    const inputs = [...paths.slice(0, 6), join(dir, 'missing.log'), '-', ...paths.slice(6)];
    const results = await summarizeExecutions(inputs, { jobs: 1, stdin: Readable.from([Buffer.from('{"id": "stdin"}\n')]) });
    expect(results.map((r) => r.execution)).toEqual(inputs);
    expect(results.map((r) => aggregateOf(r, 'id', 'latest'))).toEqual([0, 1, 2, 3, 4, 5, undefined, 'stdin', 6, 7, 8, 9, 10, 11]);
    expect(results[6]?.error).toMatch(/missing\.log: no such file/);
  });

  it('plans worker threads only where they pay', () => {
    expect(plannedJobs(3, undefined)).toBe(1);
    expect(plannedJobs(1, 4)).toBe(1);
    expect(plannedJobs(5, 2)).toBe(2);
    expect(plannedJobs(5, 1)).toBe(1);
  });
});
