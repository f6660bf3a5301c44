/**
 * The dashboard commands read key names as every command does: a --keys name no record had is a
 * mistake said with the closest keys (watch and chart: exit 2; run: a warning, since its exit
 * status is the job's), `metadata.` is dropped, `+` shares a chart, numeric strings are numbers.
 */
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../helpers/visualizations-io.js';

const log = ['{"step": 1, "loss": 0.9, "val_loss": 1.0, "seed": 42}', '{"step": 2, "loss": "0.5", "val_loss": 0.8, "seed": 42}', ''].join('\n');

describe('dashboard keys', () => {
  it('watch: an unknown --keys name is exit 2 with the closest keys, after the dashboard', async () => {
    const result = await runInProcess(['watch', '--quiet', '--keys', 'los'], { input: log });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/no key "los" in stdin; did you mean loss( or val_loss)?\?/);
  });

  it('chart: the same for a file', async () => {
    const result = await runInProcess(['chart', '--keys', 'loss,val_los'], { input: log });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/no key "val_los" in stdin; did you mean val_loss/);
  });

  it('metadata. and + : one chart for loss and val_loss, the numeric string read as a number', async () => {
    const result = await runInProcess(['chart', '--no-color', '--keys', 'metadata.loss+val_loss'], { input: log });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^── loss 0\.5 +━━ val_loss 0\.8$/m);
    expect(result.stdout).toMatch(/^loss +0\.5 +0\.5 +0\.9 +2 /m);
  });

  it('settings go to the settings line, the step to the x axis', async () => {
    const result = await runInProcess(['chart', '--no-color'], { input: log });
    expect(result.stdout).toMatch(/^settings seed 42$/m);
    expect(result.stdout).not.toMatch(/^(seed|step) /m);
    expect(result.stdout).toMatch(/^ *step 1 +2$/m);
  });
});
