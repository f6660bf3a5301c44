import { describe, expect, it } from 'vitest';
import { runInProcess } from '../helpers/visualizations-io.js';

const RUN = 'fixtures/runs/run-1.log';

describe('vizmeta stats (in-process)', () => {
  it('refuses a --keys key no input has (exit 2), naming the closest, before printing anything', async () => {
    const one = await runInProcess(['stats', '--keys', 'loss,val_acuracy', RUN]);
    expect(one.status).toBe(2);
    expect(one.stdout).toBe('');
    expect(one.stderr).toBe(`vizmeta: no key "val_acuracy" in ${RUN}; did you mean val_accuracy?\n`);
    const two = await runInProcess(['stats', '--keys', 'los', RUN, 'fixtures/runs/run-2.log']);
    expect(two.stderr).toBe('vizmeta: no key "los" in 2 inputs; did you mean loss or val_loss?\n');
  });

  it('accepts metadata., dotted paths and a key only some inputs have', async () => {
    const nested = await runInProcess(['stats', '--keys', 'metadata.val.loss,accuracy', '--format', 'json', '-'], { input: '{"val": {"loss": 0.5}}\n{"val": {"loss": 0.3}, "accuracy": 0.9}\n' });
    expect(nested.status).toBe(0);
    expect((JSON.parse(nested.stdout) as Array<{ key: string; count: number }>).map((k) => [k.key, k.count])).toEqual([['val.loss', 2], ['accuracy', 1]]);
    const some = await runInProcess(['stats', '--keys', 'val_accuracy', '--format', 'csv', RUN, 'fixtures/runs/run-2.log']);
    expect(some.status).toBe(0);
  });
});
