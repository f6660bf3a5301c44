import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, runCli } from '../helpers/run-cli.js';
import { BYTES } from '../children/bytes.mjs';

describe('vizmeta watch (built binary, stdout a pipe)', () => {
  it('passes the input through byte for byte, then prints the final dashboard once', async () => {
    const result = await runCli(['watch'], { input: BYTES });
    expect(result.status).toBe(0);
    expect(result.stdoutBytes.subarray(0, BYTES.length).equals(BYTES)).toBe(true);
    const rest = result.stdoutBytes.subarray(BYTES.length).toString();
    expect(rest).toMatch(/^\n\nvizmeta watch · stdin · done · \d+s · \d+ lines · 3 records\n/);
    expect(rest.match(/vizmeta watch/g)).toHaveLength(1);
    expect(rest).toContain('× 1 NaN');
    expect(rest).not.toContain('\x1b');
  });

  it('--quiet prints only the dashboard; --keys and --x pick what is charted', async () => {
    const input = Array.from({ length: 20 }, (_, i) => JSON.stringify({ epoch: i, loss: 1 / (i + 1), acc: i / 20 })).join('\n') + '\n';
    const result = await runCli(['watch', '--quiet', '--keys', 'acc', '--x', 'epoch'], { input });
    expect(result.stdout).toMatch(/^vizmeta watch · stdin/);
    expect(result.stdout).toContain('── acc 0.95');
    expect(result.stdout).not.toContain('loss');
    expect(result.stdout).toMatch(/\nepoch 0 +10 +19\n$/);
  });

  it('stops reading and exits when a rule fires', async () => {
    const input = Array.from({ length: 1000 }, (_, i) => `{"step": ${i}, "loss": ${1000 - i}}`).join('\n');
    const result = await runCli(['watch', '--stop-when', 'loss <= 990', '--stop-exit-code', '5'], { input });
    expect(result.status).toBe(5);
    expect(result.stderr).toBe("vizmeta: early stop: --stop-when 'loss <= 990': true at step 10 (loss = 990)\n");
    expect(result.stdout).toContain('early stop: ');
    expect(result.stdout).not.toContain('"step": 999,');
  });

  it('rejects bad flags with status 2', async () => {
    expect((await runCli(['watch', '--smooth', '1'], { input: '' })).status).toBe(2);
    expect((await runCli(['watch', '--smooth', 'abc'], { input: '' })).stderr).toMatch(/--smooth: expected a weight/);
    expect((await runCli(['watch', '--patience', '3'], { input: '' })).stderr).toBe('vizmeta: --patience needs --monitor KEY\n');
    expect((await runCli(['watch', '--stop-when', 'constructor > 1'], { input: '' })).status).toBe(2);
  });

  it('reads files, reports a missing one and exits 2', async () => {
    const result = await runCli(['watch', '--quiet', 'fixtures/e2e/two.log', 'missing.log']);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('vizmeta: missing.log: no such file\n');
    expect(result.stdout).toMatch(/^vizmeta watch · fixtures\/e2e\/two\.log, missing\.log · done/);
  });

  it('--follow keeps reading a growing file until a rule fires', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vizmeta-follow-'));
    const log = join(dir, 'train.log');
    writeFileSync(log, '{"step": 1, "loss": 1}\n');
    const child = spawn(process.execPath, [BIN, 'watch', '--follow', '--stop-when', 'loss < 0.5', log], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const timer = setInterval(() => appendFileSync(log, '{"step": 2, "loss": 0.9}\n'), 100);
    setTimeout(() => appendFileSync(log, '{"step": 3, "loss": 0.25}\n'), 600);
    const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    clearInterval(timer);
    expect(status).toBe(0);
    expect(out).toMatch(/^\{"step": 1, "loss": 1\}\n\{"step": 2, "loss": 0.9\}\n/);
    expect(out).toContain('{"step": 3, "loss": 0.25}');
    expect(out).toMatch(/vizmeta watch · .* · stopped · /);
  }, 15_000);

  it('on a pipe with no metadata, says so once the input has ended', async () => {
    const result = await runCli(['watch'], { input: 'no metadata here\n' });
    expect(result.stdout).toBe('no metadata here\n\nvizmeta watch · stdin · done · 0s · 1 line · 0 records\nstdin: no metadata in 1 line\n');
  });
});
