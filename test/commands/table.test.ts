import { describe, expect, it } from 'vitest';
import { runInProcess } from '../helpers/visualizations-io.js';

const RUN = 'fixtures/runs/run-1.log';

describe('vizmeta table (in-process)', () => {
  it.each([
    [['--columns', 'step,los'], 'los', 'loss or val_loss'],
    [['--sort', '-val_acc'], 'val_acc', 'val_accuracy'],
    [['--group-by', 'optimiser'], 'optimiser', 'optimizer'],
    [['--group-by', 'optimizer', '--agg', 'mean(los)'], 'los', 'loss or val_loss'],
  ])('refuses %j naming a key no record has (exit 2), with the closest', async (flags, name, near) => {
    const result = await runInProcess(['table', '--format', 'csv', ...flags, RUN]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`vizmeta: no key "${name}" in ${RUN}; did you mean ${near}?\n`);
  });

  it('streams its rows before saying a --columns key is unknown; sorted and joined tables say it first', async () => {
    const streamed = await runInProcess(['table', '--format', 'csv', '--columns', 'step,los', '--limit', '1', RUN]);
    expect(streamed.stdout).toBe('step,los\n,\n');
    expect(streamed.status).toBe(2);
    const sorted = await runInProcess(['table', '--format', 'csv', '--columns', 'los', '--sort', 'step', RUN]);
    expect(sorted.stdout).toBe('');
    const joined = await runInProcess(['table', '--join', 'step', '--columns', 'los', RUN, 'fixtures/runs/run-2.log']);
    expect(joined.status).toBe(2);
    expect(joined.stdout).toBe('');
    expect(joined.stderr).toBe('vizmeta: no key "los" in 2 inputs; did you mean loss or val_loss?\n');
  });

  it('accepts metadata., dotted paths, a key some records lack and a --sort over group columns', async () => {
    const ok = await runInProcess(['table', '--format', 'csv', '--columns', 'metadata.val.loss,step', '--sort', '-val.loss', '-'], { input: '{"step": 1}\n{"step": 2, "val": {"loss": 0.3}}\n' });
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toBe('val.loss,step\n0.3,2\n,1\n');
    const grouped = await runInProcess(['table', '--format', 'csv', '--group-by', 'optimizer', '--sort', '-count()', RUN]);
    expect(grouped.status).toBe(0);
  });
});
