/**
 * `run --pty`: the job runs on a pseudo-terminal (util-linux `script`), so a program that
 * buffers its output unless stdout is a terminal is live. The saved log's timestamps (`--save`
 * stamps each line as it arrives) prove when the records arrived; the job's exit status, its
 * stderr (merged into stdout) and the signals vizmeta forwards all reach it through `script`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, runCli } from '../helpers/run-cli.js';

const hasScript = /util-linux/.test(spawnSync('script', ['--version'], { encoding: 'utf8' }).stdout ?? '');
const NODE = process.execPath;

/**
 * Prints six records 300 ms apart, as C stdio does: line by line on a terminal, all at once at
 * exit on a pipe. Each says whether it saw a terminal; one goes to stderr. Exits 3.
 */
const BUFFERING_JOB = `
const tty = Boolean(process.stdout.isTTY);
let held = '';
let step = 0;
const timer = setInterval(() => {
  step++;
  const line = JSON.stringify({ step, loss: 1 / step, tty }) + '\\n';
  if (tty) process.stdout.write(line); else held += line;
  if (step === 6) {
    clearInterval(timer);
    process.stdout.write(held);
    process.stderr.write(JSON.stringify({ stderr_metric: 7 }) + '\\n');
    process.exitCode = 3;
  }
}, 300);
`;

/** Prints a record every 100 ms; on SIGINT or SIGTERM prints which and a last record, then exits 5. */
const SIGNALLED_JOB = `
let step = 0;
setInterval(() => process.stdout.write(JSON.stringify({ step: ++step, loss: 1 / step }) + '\\n'), 100);
for (const name of ['SIGINT', 'SIGTERM']) process.on(name, () => {
  process.stdout.write('got ' + name + ', saving checkpoint\\n{"checkpoint": "saved"}\\n', () => process.exit(5));
});
`;

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'vizmeta-pty-'));
}

/** The arrival times of the saved log's JSON lines, and those lines without their stamps. */
function savedRecords(path: string): { times: number[]; lines: string[] } {
  const saved = readFileSync(path, 'utf8').split('\n').filter((line) => line.includes('{'));
  return { times: saved.map((line) => Date.parse(line.slice(0, line.indexOf(' ')))), lines: saved.map((line) => line.slice(line.indexOf(' ') + 1)) };
}

describe.skipIf(!hasScript)('run --pty (util-linux script)', () => {
  it('without --pty, a job that buffers a pipe delivers everything at exit (the case --pty is for)', async () => {
    const saved = join(tmp(), 'job.log');
    const result = await runCli(['run', '--quiet', '--save', saved, '--', NODE, '-e', BUFFERING_JOB]);
    expect(result.status).toBe(3);
    const { times, lines } = savedRecords(saved);
    expect(lines.filter((line) => line.includes('"step"'))).toHaveLength(6);
    expect(lines[0]).toContain('"tty":false');
    expect((times[5] as number) - (times[0] as number)).toBeLessThan(300);
  });

  it('with --pty, the job sees a terminal: records arrive as printed, and its exit status passes through', async () => {
    const saved = join(tmp(), 'job.log');
    const result = await runCli(['run', '--pty', '--save', saved, '--', NODE, '-e', BUFFERING_JOB]);
    expect(result.status).toBe(3);
    const { times, lines } = savedRecords(saved);
    const steps = lines.filter((line) => line.includes('"step"'));
    expect(steps).toHaveLength(6);
    expect(steps.every((line) => line.includes('"tty":true'))).toBe(true);
    // Printed 300 ms apart: they arrived spread over more than a second, not in one burst at exit.
    expect((times[5] as number) - (times[0] as number)).toBeGreaterThan(1000);
    // The terminal ends lines with CRLF; stderr arrives merged into stdout, and is read too.
    expect(result.stdout).toContain('{"step":1,"loss":1,"tty":true}\r\n');
    expect(result.stdout).toContain('{"stderr_metric":7}\r\n');
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/\nvizmeta run · .* · exited 3 · \d+s · 7 lines · 7 records\n/);
    expect(result.stdout).toMatch(/\nsettings .*stderr_metric 7\n/);
  });

  it('passes every argument to the job as given (spaces, quotes, $, backticks, newlines)', async () => {
    const args = ['two words', "it's", '$HOME', '`id`', '$(id)', 'a\nb', ''];
    const result = await runCli(['run', '--pty', '--quiet', '--', NODE, '-e', 'process.exitCode = JSON.stringify(process.argv.slice(1)) === process.env.EXPECTED ? 0 : 9', ...args], { env: { EXPECTED: JSON.stringify(args) } });
    expect(result.status).toBe(0);
  });

  it('a command that is not found: 127 and one line, as without --pty', async () => {
    const result = await runCli(['run', '--pty', '--', 'no-such-command-vizmeta']);
    expect(result.status).toBe(127);
    expect(result.stderr).toBe('vizmeta: no-such-command-vizmeta: command not found\n');
  });

  it('without script on the PATH: 127 and one line naming it', async () => {
    const result = await runCli(['run', '--pty', '--', NODE, '-e', '1'], { env: { PATH: join(ROOT, 'no-such-folder') } });
    expect(result.status).toBe(127);
    expect(result.stderr).toMatch(/^vizmeta: --pty: script not found \(.*util-linux.*\)\n$/);
  });

  it('an early stop sends SIGTERM to the job itself: its last lines are kept and the stop status is vizmeta\'s', async () => {
    const saved = join(tmp(), 'job.log');
    const result = await runCli(['run', '--pty', '--save', saved, '--stop-when', 'step >= 3', '--stop-exit-code', '4', '--', NODE, '-e', SIGNALLED_JOB]);
    expect(result.status).toBe(4);
    expect(result.stderr).toMatch(/^vizmeta: early stop: --stop-when 'step >= 3': true at step 3/);
    expect(readFileSync(saved, 'utf8')).toMatch(/Z got SIGTERM, saving checkpoint\r\n.*Z \{"checkpoint": "saved"\}\r\n/);
    expect(result.stdout).toMatch(/vizmeta run · .* · stopped · /);
  });

  it('SIGINT to vizmeta reaches the job through its terminal; the job\'s status is vizmeta\'s', async () => {
    const saved = join(tmp(), 'job.log');
    const cli = spawn(NODE, [BIN, 'run', '--pty', '--save', saved, '--', NODE, '-e', SIGNALLED_JOB], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    cli.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const status = new Promise<number | null>((resolve) => cli.on('close', (code) => resolve(code)));
    const deadline = Date.now() + 30_000;
    while (!stdout.includes('"step": 3') && !stdout.includes('"step":3') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stdout).toContain('"step":3');
    cli.kill('SIGINT');
    expect(await status).toBe(5);
    expect(stdout).toContain('got SIGINT, saving checkpoint\r\n{"checkpoint": "saved"}\r\n');
    expect(stdout).toMatch(/vizmeta run · .* · exited 5 · /);
  });
});
