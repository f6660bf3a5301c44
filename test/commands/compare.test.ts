import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

describe('compare', () => {
  it('needs two executions', async () => {
    const result = await runCli(['compare', 'fixtures/runs/run-1.log']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('at least two executions');
  });

  it('gives identical results with worker threads and in-process', async () => {
    const files = Array.from({ length: 8 }, (_, i) => `fixtures/runs/run-${i + 1}.log`);
    const one = await runCli(['sort', '--by', 'accuracy', '--format', 'json', '--keys', 'all', '--jobs', '1', ...files]);
    const two = await runCli(['sort', '--by', 'accuracy', '--format', 'json', '--keys', 'all', '--jobs', '2', ...files]);
    expect(one.status).toBe(0);
    expect(two.stdout).toBe(one.stdout);
  });
});
