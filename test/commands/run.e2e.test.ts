import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, runCli } from '../helpers/run-cli.js';
import { BYTES, STDERR_BYTES } from '../children/bytes.mjs';

const CHILD = join(ROOT, 'test/children/emit.mjs');
const node = process.execPath;
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe('vizmeta run (built binary)', () => {
  it('passes stdout through byte for byte (invalid UTF-8, ANSI, CRLF, no final newline), then the dashboard', async () => {
    const result = await runCli(['run', '--', node, CHILD, 'bytes']);
    expect(result.status).toBe(0);
    const passthrough = result.stdoutBytes.subarray(0, BYTES.length);
    expect(sha(passthrough)).toBe(sha(BYTES));
    const rest = result.stdoutBytes.subarray(BYTES.length).toString();
    // The last line had no newline: the dashboard starts on a line of its own.
    expect(rest).toMatch(/^\n\nvizmeta run · node .*emit\.mjs bytes · exited 0 · \d+s · \d+ lines · 3 records\n/);
    expect(rest).toMatch(/\nloss +0\.25 +0\.25 +0\.5 +3 /);
    // stderr is passed through unchanged and not parsed.
    expect(result.stderr).toBe(STDERR_BYTES.toString());
    expect(rest).not.toContain('err_metric');
  });

  it('--quiet passes nothing through; --parse-stderr reads stderr too', async () => {
    const result = await runCli(['run', '--quiet', '--parse-stderr', '--', node, CHILD, 'bytes']);
    expect(result.stdout).toMatch(/^vizmeta run · /);
    expect(result.stdout).toContain('err_metric');
    expect(result.stderr).toBe(STDERR_BYTES.toString());
  });

  it('stops the job when --stop-when fires, long before it would finish, and exits 0', async () => {
    const started = Date.now();
    // 200 steps of 50 ms would take 10 s; loss = 1/step is below 0.2 at step 6.
    const result = await runCli(['run', '--stop-when', 'loss < 0.2', '--', node, CHILD, 'steps', '200', '50']);
    const elapsed = Date.now() - started;
    expect(result.status).toBe(0);
    expect(result.stderr).toBe("vizmeta: early stop: --stop-when 'loss < 0.2': true at step 6 (loss = 0.1667)\n");
    expect(result.stdout).toContain('{"step": 6, "loss": 0.1667}');
    expect(result.stdout).not.toContain('"step": 20,');
    expect(result.stdout).toMatch(/vizmeta run · .* · stopped · /);
    expect(elapsed).toBeLessThan(5000);
  });

  it('the plateau rule stops too, and --stop-exit-code sets the status', async () => {
    const result = await runCli(['run', '--monitor', 'loss', '--mode', 'max', '--patience', '2', '--stop-exit-code', '4', '--', node, CHILD, 'steps', '200', '20']);
    expect(result.status).toBe(4);
    expect(result.stderr).toMatch(/^vizmeta: early stop: .*--monitor loss --patience 2 --mode max.*step 3/);
  });

  it('SIGKILLs a job that ignores SIGTERM after --grace seconds', async () => {
    const started = Date.now();
    const result = await runCli(['run', '--grace', '0.3', '--stop-when', 'step >= 3', '--', node, CHILD, 'stubborn']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('ignoring SIGTERM');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('a bad expression exits 2 before anything is spawned', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vizmeta-run-'));
    const marker = join(dir, 'spawned');
    const result = await runCli(['run', '--stop-when', 'loss <', '--', node, '-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, 'x')`]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/bad expression at column 7/);
    expect(() => readFileSync(marker)).toThrow();
  });

  it('exits with the job\'s status, 128+N for a signal, 127 when the command is not found', async () => {
    expect((await runCli(['run', '--', node, CHILD, 'exit', '3'])).status).toBe(3);
    expect((await runCli(['run', '--', node, CHILD, 'signal', 'SIGTERM'])).status).toBe(143);
    expect((await runCli(['run', '--', node, CHILD, 'signal', 'SIGKILL'])).status).toBe(137);
    const missing = await runCli(['run', '--', 'no-such-command-vizmeta']);
    expect(missing.status).toBe(127);
    expect(missing.stderr).toBe('vizmeta: no-such-command-vizmeta: command not found\n');
  });

  it('forwards SIGTERM to the job and exits with its status', async () => {
    const child = spawn(node, [BIN, 'run', '--', node, CHILD, 'echo-signal'], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let out = '';
    let sent = false;
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('ready') && !sent) {
        sent = true;
        child.kill('SIGTERM');
      }
    });
    const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    expect(out).toContain('got SIGTERM');
    expect(status).toBe(0);
  });

  it('--save writes every line with a timestamp that extract reads back as _time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vizmeta-save-'));
    const saved = join(dir, 'run.log');
    const before = Date.now();
    const result = await runCli(['run', '--save', saved, '--', node, CHILD, 'steps', '3', '200']);
    const after = Date.now();
    expect(result.status).toBe(0);
    const lines = readFileSync(saved, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(6);
    for (const line of lines) expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (epoch \d|\{"step")/);
    const extracted = await runCli(['extract', saved]);
    const records = extracted.stdout.trim().split('\n').map((l) => JSON.parse(l) as { step: number; _time: string });
    expect(records.map((r) => r.step)).toEqual([1, 2, 3]);
    const times = records.map((r) => Date.parse(r._time));
    for (const t of times) {
      expect(t).toBeGreaterThanOrEqual(before - 5);
      expect(t).toBeLessThanOrEqual(after);
    }
    // The job slept 200 ms between steps: the saved times show it.
    expect((times[2] as number) - (times[0] as number)).toBeGreaterThanOrEqual(350);
  });

  it('--save makes the folders it names, and says so in one line when it cannot', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vizmeta-save-'));
    const saved = join(dir, 'logs', 'deep', 'run.log');
    const result = await runCli(['run', '--quiet', '--save', saved, '--', node, CHILD, 'steps', '2', '1']);
    expect(result.status).toBe(0);
    expect(readFileSync(saved, 'utf8')).toMatch(/\{"step": 2/);
    // A file where a folder should be: exit 2, one line, the job never started.
    const blocked = await runCli(['run', '--quiet', '--save', join(saved, 'under-a-file.log'), '--', node, CHILD, 'steps', '2', '1']);
    expect(blocked.status).toBe(2);
    expect(blocked.stderr).toMatch(/^vizmeta: --save: .*run\.log.*\n$/);
    expect(blocked.stdout).toBe('');
  });

  it.skipIf(process.platform !== 'linux')('--save onto a full disk: every line still passes through, one warning, the job runs to its end; exit 2 if it succeeded, its own status if not', async () => {
    // 20,000 steps a timer tick apart take 20 s or more on a busy machine: room for twice that.
    const ok = await runCli(['run', '--save', '/dev/full', '--', node, CHILD, 'steps', '20000', '0'], { timeoutMs: 100_000 });
    expect(ok.status).toBe(2);
    expect(ok.stdout.match(/^\{"step": \d+/gm)).toHaveLength(20000);
    expect(ok.stderr).toBe('vizmeta: --save: /dev/full: no space left on the device; the log stops here, the job goes on\n');
    const failed = await runCli(['run', '--quiet', '--save', '/dev/full', '--', node, CHILD, 'exit', '3']);
    expect(failed.status).toBe(3);
  }, 150_000);

  it.skipIf(process.platform !== 'linux')('its own stdout on a full disk (>/dev/full): one line, the job runs to its end with its output dropped, --save has every line; exit 2 if the job succeeded, its own status if not', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vizmeta-full-'));
    const [saved, marker] = [join(dir, 'run.log'), join(dir, 'done')];
    // 20,000 lines, then a mark that the job got to its end.
    const job = 'i=0; while [ $i -lt 20000 ]; do i=$((i+1)); echo "{\\"step\\": $i}"; done; touch "$0"; exit "$1"';
    const toFull = (status: number): { status: number | null; stderr: string } => {
      const full = openSync('/dev/full', 'w');
      try {
        const result = spawnSync(node, [BIN, 'run', '--save', saved, '--', 'sh', '-c', job, marker, String(status)], { stdio: ['ignore', full, 'pipe'], encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 });
        return { status: result.status, stderr: result.stderr };
      } finally {
        closeSync(full);
      }
    };
    const ok = toFull(0);
    // Before: the job was killed on its next write (279 lines in the log) and the line came twice.
    expect(ok.stderr).toBe('vizmeta: cannot write the output: stdout: no space left on the device\n');
    expect(existsSync(marker)).toBe(true);
    const lines = readFileSync(saved, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(20_000);
    expect(lines[19_999]).toMatch(/Z \{"step": 20000\}$/);
    expect(ok.status).toBe(2);
    expect(toFull(3).status).toBe(3);
  });

  it('--save has what the job wrote within a second even without a newline: a kill of vizmeta loses no more', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vizmeta-save-'));
    const saved = join(dir, 'progress.log');
    // Thirty \r-separated records and no newline, then the job waits.
    const job = "for (let i = 1; i <= 30; i++) process.stdout.write(`\\r{\"step\": ${i}}`); setTimeout(() => {}, 60000);";
    const child = spawn(node, [BIN, 'run', '--quiet', '--save', saved, '--', node, '-e', job], { stdio: 'ignore' });
    await new Promise((resolve) => setTimeout(resolve, 2500));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const extracted = await runCli(['extract', saved]);
    expect(extracted.stdout.trim().split('\n').map((line) => (JSON.parse(line) as { step: number }).step)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });

  it('saves stderr lines too, and keeps the bytes of the last unterminated line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vizmeta-save-'));
    const saved = join(dir, 'bytes.log');
    await runCli(['run', '--quiet', '--save', saved, '--', node, CHILD, 'bytes']);
    const text = readFileSync(saved);
    const stripped = Buffer.from(text.toString('latin1').replace(/^\S+Z /gm, ''), 'latin1');
    expect(stripped.includes(Buffer.from([0xff, 0xfe, 0x80, 0x0a]))).toBe(true);
    expect(stripped.toString('latin1')).toContain('no newline at the end\n');
    expect(stripped.toString('latin1')).toContain('warning: something\n');
  });

  it('has --help with examples', async () => {
    const help = await runCli(['run', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/Examples:\n {2}vizmeta run -- python train.py/);
  });
});
