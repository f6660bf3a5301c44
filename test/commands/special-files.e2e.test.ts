/**
 * Issue 15, item 13: a FIFO, `/dev/stdin` or any file whose size reads 0 is streamed like stdin,
 * with bounded memory (before, `sort`, `gate` and `compare` read it whole: `head -c 1G | gate
 * /dev/stdin` peaked at 2.0 GB), and a line that never ends (`/dev/zero`, 24 GB before the OOM
 * killer) stops the read with a clear error, exit 2. Built binary; each child runs under a memory
 * watchdog that kills it past 700 MB, so a regression fails the test instead of the machine.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN_PATH, FLOOD, NODE, cliEnv, exited, procStatusKb, startCli, until } from '../helpers/faults.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'vizmeta-special-'));

/** Samples VmHWM every 20 ms and kills the child (SIGKILL) past `killMb`: the peak seen, and whether it was killed. */
function memoryWatchdog(target: ChildProcess | number, killMb = 700): { peakMb(): number; killed(): boolean; stop(): void } {
  const pid = typeof target === 'number' ? target : (target.pid as number);
  let peak = 0;
  let killed = false;
  const timer = setInterval(() => {
    const kb = procStatusKb(pid, 'VmHWM');
    if (kb === undefined) return;
    peak = Math.max(peak, kb / 1024);
    if (peak > killMb && !killed) {
      killed = true;
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
  }, 20);
  return { peakMb: () => peak, killed: () => killed, stop: () => clearInterval(timer) };
}

function collect(child: ChildProcess): { stdout: () => string; stderr: () => string } {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  return { stdout: () => stdout, stderr: () => stderr };
}

describe('special files are streamed (issue 15, item 13)', () => {
  it('gate --when ... /dev/stdin fed 200 MB through a pipe stays under 300 MB', async () => {
    // A real pipe, as a shell makes it (Node's 'pipe' stdio is a socket, which /dev/stdin cannot open).
    // The inner sh writes its pid, then becomes vizmeta, so the watchdog knows whom to watch.
    const dir = tmp();
    const pidFile = join(dir, 'pid');
    const script = `${NODE} ${FLOOD} lines 200 ${join(dir, 'report')} | sh -c 'echo $$ > ${pidFile}; exec ${NODE} ${BIN_PATH} gate --when "step >= 0" /dev/stdin'`;
    const shell = spawn('sh', ['-c', script], { stdio: ['ignore', 'pipe', 'pipe'], env: cliEnv() });
    const out = collect(shell);
    await until(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').endsWith('\n'), 30_000, 'the pid file');
    const pid = Number(readFileSync(pidFile, 'utf8'));
    const watchdog = memoryWatchdog(pid);
    const { status } = await exited(shell);
    watchdog.stop();
    expect(watchdog.killed(), `killed at ${watchdog.peakMb().toFixed(0)} MB`).toBe(false);
    expect(out.stderr()).toBe('');
    expect(status).toBe(0);
    expect(out.stdout()).toMatch(/PASS\s+step >= 0: step = \d{7}/);
    expect(watchdog.peakMb()).toBeGreaterThan(10);
    expect(watchdog.peakMb()).toBeLessThan(300);
  }, 120_000);

  it('sort and compare read a FIFO as it comes, in bounded memory', async () => {
    const dir = tmp();
    const fifo = join(dir, 'run.fifo');
    spawn('mkfifo', [fifo], { stdio: 'inherit' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    writeFileSync(join(dir, 'other.log'), '{"step": 1, "loss": 0.25}\n');
    for (const args of [['sort', '--by', 'loss', '--lower-is-better', 'loss', fifo, join(dir, 'other.log')], ['compare', fifo, join(dir, 'other.log')]]) {
      const cli = startCli(args, ['ignore', 'pipe', 'pipe']);
      const writer = spawn('sh', ['-c', `${NODE} ${FLOOD} lines 100 ${join(dir, 'report')} > ${fifo}`], { stdio: 'inherit' });
      const watchdog = memoryWatchdog(cli);
      const out = collect(cli);
      const [{ status }] = await Promise.all([exited(cli), exited(writer)]);
      watchdog.stop();
      expect(watchdog.killed(), `${args[0]}: killed at ${watchdog.peakMb().toFixed(0)} MB`).toBe(false);
      expect(status, `${args[0]}: ${out.stderr()}`).toBe(0);
      expect(out.stdout()).toContain('run.fifo');
      expect(watchdog.peakMb(), args[0]).toBeLessThan(300);
    }
  }, 180_000);

  it('gate --baseline /dev/zero ends with a clear error, exit 2, within seconds and bounded memory', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'run.log'), '{"accuracy": 0.9}\n');
    const started = Date.now();
    const cli = startCli(['gate', '--baseline', '/dev/zero', '--max-drop', 'accuracy=0.01', join(dir, 'run.log')], ['ignore', 'pipe', 'pipe']);
    const watchdog = memoryWatchdog(cli);
    const out = collect(cli);
    const timer = setTimeout(() => cli.kill('SIGKILL'), 60_000);
    const { status } = await exited(cli);
    clearTimeout(timer);
    watchdog.stop();
    expect(watchdog.killed(), `killed at ${watchdog.peakMb().toFixed(0)} MB`).toBe(false);
    expect(out.stderr()).toBe('vizmeta: --baseline /dev/zero:1: a line with no newline in 4 GiB (the limit is 16 MiB): not a log, stopped reading\n');
    expect(status).toBe(2);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(watchdog.peakMb()).toBeLessThan(300);
  }, 90_000);

  it('sort over /dev/zero says which input and why, exit 2; a line past --max-line-bytes that ends is still skipped', async () => {
    const cli = startCli(['sort', '--by', 'a', '--max-line-bytes', '1M', '/dev/zero'], ['ignore', 'pipe', 'pipe']);
    const watchdog = memoryWatchdog(cli);
    const out = collect(cli);
    const { status } = await exited(cli);
    watchdog.stop();
    expect(out.stderr()).toContain('vizmeta: /dev/zero:1: a line with no newline in 1 GiB (the limit is 1 MiB): not a log, stopped reading');
    expect(status).toBe(2);
    expect(watchdog.peakMb()).toBeLessThan(300);
    // A long line that ends is skipped as before, and the record after it read.
    const dir = tmp();
    writeFileSync(join(dir, 'long.log'), `${'x'.repeat(3 * 1024 * 1024)}\n{"a": 5}\n`);
    const long = startCli(['sort', '--by', 'a', '--higher-is-better', 'a', '--max-line-bytes', '1M', join(dir, 'long.log')], ['ignore', 'pipe', 'pipe']);
    const read = collect(long);
    expect((await exited(long)).status).toBe(0);
    expect(read.stdout()).toMatch(/long\.log\s+5/);
    expect(read.stderr()).toContain('long.log:1: line longer than 1 MiB, skipped');
  }, 90_000);
});
