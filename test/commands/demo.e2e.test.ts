import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

describe('vizmeta demo (built binary)', () => {
  it('runs the bundled job to the end: curves, a learning rate, one NaN, a confusion matrix', async () => {
    const result = await runCli(['demo'], { env: { VIZMETA_DEMO_DELAY_MS: '0' } });
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('UserWarning: gradient norm 13.7 clipped to 5.0\n');
    expect(result.stdout).toContain('{"step":123,"loss":NaN,');
    expect(result.stdout).toContain('{"data":[["cat","dog","bird"],[812,97,91],[88,861,51],[64,42,894]]}');
    expect(result.stdout).toMatch(/vizmeta run · demo: examples\/train\.mjs · exited 0 · \d+s · 230 lines · 212 records/);
    // Train/validation pairs share a chart: val_loss is in the loss chart's legend.
    expect(result.stdout).toMatch(/\n── loss .*━━ val_loss /);
    expect(result.stdout).toMatch(/\n── accuracy .*━━ val_accuracy /);
    expect(result.stdout).toMatch(/\n── lr /);
    // The confusion matrix is data for `matrix`, not a setting.
    expect(result.stdout).not.toMatch(/^settings .*data/m);
    expect(result.stdout).toContain('× 1 NaN');
  });

  it('can be stopped by a rule', async () => {
    const result = await runCli(['demo', '--quiet', '--stop-when', 'accuracy > 0.5'], { env: { VIZMETA_DEMO_DELAY_MS: '5' } });
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/^vizmeta: early stop: --stop-when 'accuracy > 0.5': true at step \d+/m);
    expect(result.stdout).toMatch(/· stopped ·/);
  });

  it('the plateau example in --help does what it says: val_loss turns up after step 120, and patience 2 stops the job at step 160', async () => {
    const result = await runCli(['demo', '--quiet', '--monitor', 'val_loss', '--patience', '2'], { env: { VIZMETA_DEMO_DELAY_MS: '5' } });
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/early stop: --monitor val_loss --patience 2: val_loss = 0\.6508 at step 160, no improvement on 0\.633 \(step 120\)/);
    expect(result.stdout).toMatch(/· stopped ·/);
  });
});
