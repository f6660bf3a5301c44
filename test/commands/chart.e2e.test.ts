import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

function logs(): { dir: string; a: string; b: string } {
  const dir = mkdtempSync(join(tmpdir(), 'vizmeta-chart-'));
  const a = join(dir, 'a.log');
  const b = join(dir, 'b.log');
  writeFileSync(a, '\n' + Array.from({ length: 40 }, (_, i) => JSON.stringify({ step: i, loss: 2 / (i + 1), accuracy: i / 40 })).join('\n') + '\n');
  writeFileSync(b, Array.from({ length: 30 }, (_, i) => `Epoch ${i}\n${JSON.stringify({ step: i * 2, loss: 3 / (i + 1) })}`).join('\n') + '\n{"step": 60, "loss": NaN}\n');
  return { dir, a, b };
}

describe('vizmeta chart (built binary)', () => {
  it('prints the charts once, several files overlaid per key with the files named', async () => {
    const { dir } = logs();
    const result = await runCli(['chart', 'a.log', 'b.log', '--width', '80', '--height', '6'], { cwd: dir });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^a\.log, b\.log · 71 records\n/);
    expect(result.stdout).toContain('loss · a.log');
    expect(result.stdout).toMatch(/\n── a\.log 0\.05 +━━ b\.log NaN +× 1 NaN\n/);
    for (const line of result.stdout.split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
    await expect(result.stdout).toMatchFileSnapshot('golden/live/chart-two-files.txt');
  });

  it('--keys, --no-table and --smooth', async () => {
    const { a } = logs();
    const result = await runCli(['chart', a, '--keys', 'accuracy', '--no-table', '--smooth', '0.5', '--width', '60', '--height', '4']);
    expect(result.stdout.split('\n')[1]).toMatch(/^── accuracy /);
    expect(result.stdout).not.toContain('loss');
  });

  it('uses the fixture logs when they exist', async () => {
    const fixtures = ['fixtures/keras.log', 'fixtures/valohai-utils.log', 'fixtures/nan.log'].filter((f) => existsSync(f));
    for (const fixture of fixtures) {
      const result = await runCli(['chart', fixture, '--width', '100']);
      expect(result.status, fixture).toBe(0);
      expect(result.stdout, fixture).toMatch(/records\n/);
    }
  });

  it('--renderer hands the records to a module of the user\'s', async () => {
    const { dir } = logs();
    writeFileSync(join(dir, 'viz.mjs'), 'export default (records, options) => `${records.length} records from ${options.files.join(",")}\\n`;\n');
    const result = await runCli(['chart', 'a.log', 'b.log', '--renderer', './viz.mjs'], { cwd: dir });
    expect(result.stdout).toBe('71 records from a.log,b.log\n');
    const missing = await runCli(['chart', 'a.log', '--renderer', './nope.mjs'], { cwd: dir });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/renderer \.\/nope\.mjs: no such file/);
  });

  it('reports a missing file and exits 2 after charting the rest', async () => {
    const { dir } = logs();
    const result = await runCli(['chart', 'a.log', 'missing.log'], { cwd: dir });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('vizmeta: missing.log: no such file\n');
    expect(result.stdout).toContain('── loss');
  });
});
