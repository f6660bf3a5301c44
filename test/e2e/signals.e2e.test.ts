/**
 * Stopping keeps data, and pipes and signals end things cleanly (built binary):
 * - `run` ending a job by a stop rule, Ctrl-C (130) or SIGTERM (143): the saved log holds every
 *   byte the job wrote, flushed; on a terminal (a pty from util-linux `script`) the screen is given
 *   back — scroll region reset, cursor shown — after the last whole frame;
 * - a producer that stalls leaves `watch` redrawing and quick to answer Ctrl-C;
 * - `| head -1` ends quietly with status 0; a closed stderr loses diagnostics, not the result;
 *   `run | head` closes the job's stdout as a plain pipe would and still saves the log;
 * - the job's whole process group is reached: a stop rule, `--grace`'s SIGKILL and a forwarded
 *   signal leave nothing it started running, and one Ctrl-C is one SIGINT for the job.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unstampLog } from '../../src/live/save.js';
import { BIN } from '../helpers/run-cli.js';
import { FAULT_CHILDREN, NODE, exited, inPty, readReport, sha256, shellQuote, sleep, startCli, until } from '../helpers/faults.js';

const JOB = join(FAULT_CHILDREN, 'job.mjs');
const STALL = join(FAULT_CHILDREN, 'stall.mjs');
const FAMILY = join(FAULT_CHILDREN, 'family.mjs');
const tmp = (): string => mkdtempSync(join(tmpdir(), 'vizmeta-sig-'));
const ROWS = 30;

const FRAME_START = '\x1b7\x1b[?7l';
const FRAME_END = '\x1b[?7h\x1b8';

/** Frames drawn so far, after checking that each one is whole (its end before the next start). */
function wholeFrames(out: string): number {
  let frames = 0;
  let at = out.indexOf(FRAME_START);
  while (at !== -1) {
    const end = out.indexOf(FRAME_END, at);
    const next = out.indexOf(FRAME_START, at + 1);
    if (end === -1) return frames; // the frame being written right now
    if (next !== -1 && next < end) throw new Error(`frame at ${at} not finished before the next one`);
    frames++;
    at = next;
  }
  return frames;
}

/** The terminal given back: after the last whole frame, the region reset, the cursor shown, and nothing after. */
function expectRestored(out: string): void {
  expect(wholeFrames(out)).toBeGreaterThan(0);
  const lastEnd = out.lastIndexOf(FRAME_END);
  const leave = out.lastIndexOf('\x1b[r');
  expect(leave).toBeGreaterThan(lastEnd);
  expect(out.lastIndexOf(FRAME_START)).toBeLessThan(lastEnd);
  // The pty turns \n into \r\n.
  expect(out.slice(leave)).toMatch(new RegExp(`^\\x1b\\[r\\x1b\\[${ROWS};1H\\r+\\n\\x1b\\[\\?25h$`));
}

/** The pid of the command `script` runs (it execs vizmeta). */
async function ptyCommandPid(scriptPid: number): Promise<number> {
  let pid: number | undefined;
  await until(() => {
    try {
      const children = readFileSync(`/proc/${scriptPid}/task/${scriptPid}/children`, 'utf8').trim();
      if (children !== '') pid = Number(children.split(' ')[0]);
    } catch {
      // not yet
    }
    return pid !== undefined;
  }, 5000, 'the command in the pty');
  return pid as number;
}

function expectSavedIsJob(saved: string, report: string): void {
  const job = readReport(report);
  const bytes = unstampLog(readFileSync(saved));
  expect(bytes.length).toBe(job.bytes);
  expect(sha256(bytes)).toBe(job.sha);
}

describe('stopping keeps data (run, not a terminal)', () => {
  it('a stop rule: the job\'s last words after SIGTERM are passed through and saved, status 0', async () => {
    const dir = tmp();
    const [saved, report] = [join(dir, 'run.log'), join(dir, 'report')];
    const cli = startCli(['run', '--save', saved, '--stop-when', 'step >= 20', '--', NODE, JOB, 'graceful', report, '5'], ['ignore', 'pipe', 'pipe']);
    const out: Buffer[] = [];
    let stderr = '';
    cli.stdout!.on('data', (c: Buffer) => out.push(c));
    cli.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const { status } = await exited(cli);
    expect(status).toBe(0);
    expect(stderr).toMatch(/^vizmeta: early stop: --stop-when 'step >= 20': true at step 20 /);
    const job = readReport(report);
    const stdout = Buffer.concat(out);
    expect(sha256(stdout.subarray(0, job.bytes))).toBe(job.sha);
    expect(stdout.subarray(job.bytes).toString()).toMatch(/^\n\nvizmeta run · .* · stopped · /);
    expectSavedIsJob(saved, report);
    expect(readFileSync(saved, 'utf8')).toMatch(/Z got SIGTERM, saving checkpoint\n.*Z \{"checkpoint": "saved"\}\n.*\+00:00 bye, no newline\n$/);
  });

  for (const [signal, status] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`${signal} to vizmeta: forwarded, the job ends by it, status ${status}, the saved log complete`, async () => {
      const dir = tmp();
      const [saved, report] = [join(dir, 'run.log'), join(dir, 'report')];
      const cli = startCli(['run', '--save', saved, '--', NODE, JOB, 'plain', report, '2'], ['ignore', 'pipe', 'pipe']);
      let stdout = '';
      cli.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
      await until(() => stdout.includes('"step": 30,'), 10_000, 'step 30');
      cli.kill(signal);
      const end = await exited(cli);
      expect(end.status).toBe(status);
      expect(stdout).toMatch(new RegExp(`\\nvizmeta run · .* · killed by ${signal} · `));
      expectSavedIsJob(saved, report);
    });
  }
});

describe('stopping on a terminal (pty)', () => {
  it('Ctrl-C: status 130, the saved log complete, the terminal given back after the last whole frame', async () => {
    const dir = tmp();
    const [saved, report] = [join(dir, 'run.log'), join(dir, 'report')];
    const pty = inPty(`${shellQuote(NODE)} ${shellQuote(BIN)} run --save ${shellQuote(saved)} -- ${shellQuote(NODE)} ${shellQuote(JOB)} plain ${shellQuote(report)} 3`, { rows: ROWS });
    await until(() => wholeFrames(pty.output().toString('latin1')) >= 3, 10_000, 'three frames');
    pty.type('\x03');
    const { status } = await pty.done;
    expect(status).toBe(130);
    const out = pty.output().toString('latin1');
    expect(pty.output().toString()).toMatch(/vizmeta run · .* · killed by SIGINT/);
    expectRestored(out);
    expectSavedIsJob(saved, report);
  });

  it('SIGTERM: status 143 and the terminal given back', async () => {
    const dir = tmp();
    const report = join(dir, 'report');
    const pty = inPty(`${shellQuote(NODE)} ${shellQuote(BIN)} run -- ${shellQuote(NODE)} ${shellQuote(JOB)} plain ${shellQuote(report)} 3`, { rows: ROWS });
    const pid = await ptyCommandPid(pty.child.pid!);
    await until(() => wholeFrames(pty.output().toString('latin1')) >= 2, 10_000, 'two frames');
    process.kill(pid, 'SIGTERM');
    const { status } = await pty.done;
    expect(status).toBe(143);
    expectRestored(pty.output().toString('latin1'));
  });

  it('a stop rule: status 0, the terminal given back', async () => {
    const dir = tmp();
    const report = join(dir, 'report');
    const pty = inPty(`${shellQuote(NODE)} ${shellQuote(BIN)} run --stop-when 'step >= 40' -- ${shellQuote(NODE)} ${shellQuote(JOB)} plain ${shellQuote(report)} 5`, { rows: ROWS });
    const { status } = await pty.done;
    expect(status).toBe(0);
    const out = pty.output().toString('latin1');
    expect(out).toContain("early stop: --stop-when 'step >= 40'");
    expectRestored(out);
  });

  it('watch with a producer that stalls: still redraws (the clock moves), and Ctrl-C ends it at once with 130', async () => {
    const dir = tmp();
    const fifo = join(dir, 'in');
    execFileSync('mkfifo', [fifo]);
    const pty = inPty(`${shellQuote(NODE)} ${shellQuote(BIN)} watch < ${shellQuote(fifo)}`, { rows: ROWS });
    const producer = createWriteStream(fifo);
    producer.on('error', () => {});
    producer.write('{"step": 1, "loss": 1}\n{"step": 2, "loss": 0.5}\n');
    await until(() => /· 2 records/.test(pty.output().toString()), 10_000, 'the records on screen');
    const before = wholeFrames(pty.output().toString('latin1'));
    await sleep(2500); // the producer says nothing
    const during = wholeFrames(pty.output().toString('latin1')) - before;
    expect(during).toBeGreaterThanOrEqual(2);
    const asked = Date.now();
    pty.type('\x03');
    const { status } = await pty.done;
    expect(Date.now() - asked).toBeLessThan(1500);
    expect(status).toBe(130);
    const out = pty.output().toString('latin1');
    expect(pty.output().toString()).toMatch(/vizmeta watch · stdin · interrupted/);
    expectRestored(out);
    producer.destroy();
  });
});

/** Whether a process has ended: no such pid (ESRCH), or a zombie that init has yet to reap. */
function gone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
  try {
    return /^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

/** The pid `family.mjs leaf` wrote, once it has. */
async function leafPid(file: string): Promise<number> {
  await until(() => existsSync(file) && readFileSync(file, 'utf8').endsWith('\n'), 15_000, 'the grandchild to start');
  return Number(readFileSync(file, 'utf8').trim());
}

describe('the job\'s whole process group (issue 15, items 3 and 4)', () => {
  // The form the README recommends for a job with steps before or after: vizmeta's child is sh,
  // the training process its grandchild.
  const shJob = (pidFile: string, stubborn = false): string[] => ['sh', '-c', `"$0" "$1" leaf "$2"${stubborn ? ' stubborn' : ''}; echo after`, NODE, FAMILY, pidFile];

  for (const how of ['a stop rule', 'SIGTERM to vizmeta'] as const) {
    it(`${how}: nothing the job started is left running once vizmeta exits (sh -c 'node …; echo after')`, async () => {
      const pidFile = join(tmp(), 'leaf.pid');
      const flags = how === 'a stop rule' ? ['--stop-when', 'a >= 3'] : [];
      const cli = startCli(['run', ...flags, '--', ...shJob(pidFile)], ['ignore', 'pipe', 'pipe']);
      let stdout = '';
      cli.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
      const pid = await leafPid(pidFile);
      try {
        if (how === 'SIGTERM to vizmeta') {
          await until(() => stdout.includes('{"a": 3}'), 15_000, 'three records');
          cli.kill('SIGTERM');
        }
        const { status } = await exited(cli);
        expect(status).toBe(how === 'a stop rule' ? 0 : 143);
        // Killed, it may be a zombie for a moment until init reaps it; alive, it prints for a minute.
        await until(() => gone(pid), 3000, 'the grandchild to be gone').catch(() => {});
        expect(gone(pid)).toBe(true);
      } finally {
        if (!gone(pid)) process.kill(pid, 'SIGKILL');
      }
    });
  }

  it('--grace: the SIGKILL reaches a grandchild that ignores SIGTERM, after what it wrote meanwhile was passed through', async () => {
    const pidFile = join(tmp(), 'leaf.pid');
    const cli = startCli(['run', '--grace', '1', '--stop-when', 'a >= 3', '--', ...shJob(pidFile, true)], ['ignore', 'pipe', 'pipe']);
    let stdout = '';
    cli.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
    const pid = await leafPid(pidFile);
    try {
      const { status } = await exited(cli);
      expect(status).toBe(0);
      expect(stdout).toContain('ignoring SIGTERM');
      expect(stdout).toMatch(/ · stopped · /);
      await until(() => gone(pid), 3000, 'the grandchild to be gone').catch(() => {});
      expect(gone(pid)).toBe(true);
    } finally {
      if (!gone(pid)) process.kill(pid, 'SIGKILL');
    }
  });

  // The terminal sends Ctrl-C to its foreground process group. The job is in a group (a session)
  // of its own, so only vizmeta gets it, and passes on one; before, the job got it from the
  // terminal and again from vizmeta, and a second KeyboardInterrupt aborted its checkpoint.
  for (const [name, flags, redirect] of [
    ['--no-keyboard, on a live dashboard', '--no-keyboard ', ''],
    ['stdout not a terminal', '', ' > out.txt'],
    ['the keyboard read by vizmeta (Ctrl-C is a key)', '', ''],
  ] as const) {
    it(`one Ctrl-C in a terminal is one SIGINT for the job: ${name}`, async () => {
      const dir = tmp();
      const count = join(dir, 'sigints');
      const out = join(dir, 'out.txt');
      const pty = inPty(`${shellQuote(NODE)} ${shellQuote(BIN)} run ${flags}-- ${shellQuote(NODE)} ${shellQuote(FAMILY)} count-sigint ${shellQuote(count)}${redirect ? ` > ${shellQuote(out)}` : ''}`, { rows: ROWS });
      const ready = (): boolean => pty.output().toString().includes('{"a": 2}') || (existsSync(out) && readFileSync(out, 'utf8').includes('{"a": 2}'));
      await until(ready, 15_000, 'the job to be ready');
      pty.type('\x03');
      const { status } = await pty.done;
      expect(status).toBe(0);
      expect(readFileSync(count, 'utf8')).toBe('SIGINT\n');
    });
  }

  it('Ctrl-Z (keyboard off) stops the job with vizmeta, and continuing vizmeta (fg) continues it', async () => {
    const dir = tmp();
    const count = join(dir, 'sigints');
    const pty = inPty(`${shellQuote(NODE)} ${shellQuote(BIN)} run --no-keyboard -- ${shellQuote(NODE)} ${shellQuote(FAMILY)} count-sigint ${shellQuote(count)}`, { rows: ROWS });
    const vizmeta = await ptyCommandPid(pty.child.pid!);
    await until(() => pty.output().toString().includes('{"a": 2}') && existsSync(`${count}.pid`), 15_000, 'the job to be ready');
    const job = Number(readFileSync(`${count}.pid`, 'utf8').trim());
    const state = (pid: number): string => /^\d+ \(.*\) (\S)/.exec(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.[1] ?? '?';
    try {
      pty.type('\x1a');
      await until(() => state(vizmeta) === 'T' && state(job) === 'T', 10_000, 'vizmeta and the job stopped');
      // What a shell's `fg` sends. `script` stopped itself when vizmeta stopped; continued, it
      // continues vizmeta, as a shell would continue vizmeta's group.
      await until(() => state(pty.child.pid!) === 'T', 10_000, 'script stopped');
      process.kill(pty.child.pid!, 'SIGCONT');
      await until(() => state(job) !== 'T', 10_000, 'the job continued');
      const lines = pty.output().toString().split('{"a": ').length;
      await until(() => pty.output().toString().split('{"a": ').length > lines + 2, 10_000, 'more records');
      pty.type('\x03');
      const { status } = await pty.done;
      expect(status).toBe(0);
      expect(readFileSync(count, 'utf8')).toBe('SIGINT\n');
    } finally {
      for (const pid of [job, vizmeta]) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone, as it should be
        }
      }
    }
  });
});

describe('pipes', () => {
  const bash = (script: string): { stdout: string; stderr: string } => {
    const stdout = execFileSync('bash', ['-c', script], { cwd: tmp(), env: { ...process.env, NO_COLOR: '1' }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { stdout, stderr: '' };
  };
  const bigLog = (): string => {
    const path = join(tmp(), 'big.log');
    const lines: string[] = [];
    for (let i = 1; i <= 200_000; i++) lines.push(`{"step": ${i}, "loss": ${1 / i}}`);
    writeFileSync(path, lines.join('\n') + '\n');
    return path;
  };
  const vizmeta = `${shellQuote(NODE)} ${shellQuote(BIN)}`;

  it('extract big.log | head -1 and cat big.log | watch | head -1 end quietly: status 0, nothing on stderr', () => {
    const big = shellQuote(bigLog());
    const { stdout } = bash(
      `${vizmeta} extract ${big} 2>err1 | head -1; echo "status \${PIPESTATUS[0]}"; cat err1;` +
        `cat ${big} | ${vizmeta} watch 2>err2 | head -1; echo "status \${PIPESTATUS[1]}"; cat err2`,
    );
    expect(stdout).toMatch(/^\{"step":1,"loss":1,"_time":"[^"]+"\}\nstatus 0\n\{"step": 1, "loss": 1\}\nstatus 0\n$/);
  });

  it('a closed stderr loses the diagnostics, not the result: a failing gate still exits 1, extract still writes every record', () => {
    const path = join(tmp(), 'noisy.log');
    const lines: string[] = [];
    for (let i = 1; i <= 20_000; i++) lines.push(`{"broken": ${i}`, `{"loss": ${i}}`);
    writeFileSync(path, lines.join('\n') + '\n');
    const log = shellQuote(path);
    const { stdout } = bash(
      // stderr into a reader that leaves after one byte, stdout elsewhere
      `${vizmeta} gate --when 'loss < 0' ${log} 2>&1 >/dev/null | head -c 1 >/dev/null; echo "gate \${PIPESTATUS[0]}";` +
        `${vizmeta} extract ${log} 2>&1 >out.jsonl | head -c 1 >/dev/null; echo "extract \${PIPESTATUS[0]} $(wc -l < out.jsonl)";` +
        `${vizmeta} gate --when 'loss < 0' ${log} 2>&- >/dev/null; echo "closed $?"`,
    );
    expect(stdout).toBe('gate 1\nextract 0 20000\nclosed 1\n');
  });

  it('run -- job | head: the job\'s stdout is closed as a plain pipe would do it; the log is saved and its status passed on', () => {
    const dir = tmp();
    const saved = join(dir, 'run.log');
    const { stdout } = bash(
      `${vizmeta} run --save ${shellQuote(saved)} -- ${shellQuote(NODE)} -e 'let i = 0; setInterval(() => console.log(JSON.stringify({step: ++i})), 2)' 2>err | head -2; echo "status \${PIPESTATUS[0]}"`,
    );
    // Node's console.log on a closed pipe throws EPIPE: exit status 1, as without vizmeta.
    expect(stdout).toBe('{"step":1}\n{"step":2}\nstatus 1\n');
    const text = readFileSync(saved, 'utf8');
    expect(text).toMatch(/^\S+Z \{"step":1\}\n\S+Z \{"step":2\}\n/);
    expect(text).toContain('EPIPE');
  });

  it('run -- yes … | head -1 ends as the plain pipe does: the job dies of SIGPIPE (141) without a word, nothing hangs', () => {
    const { stdout } = bash(
      `yes '{"a": 1}' 2>err0 | head -1; echo "plain \${PIPESTATUS[0]}"; cat err0;` +
        `timeout 30 ${vizmeta} run -- yes '{"a": 1}' 2>err | head -1; echo "run \${PIPESTATUS[0]}"; cat err`,
    );
    // Before: "yes: standard output: Connection reset by peer" and status 1 (a socket pair, not a pipe).
    expect(stdout).toBe('{"a": 1}\nplain 141\n{"a": 1}\nrun 141\n');
  });

  it('stdin closed early is a normal end: a truncated last line is reported, the records before it count', async () => {
    const cli = startCli(['watch'], ['pipe', 'pipe', 'pipe']);
    let stdout = '';
    let stderr = '';
    cli.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
    cli.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    cli.stdin!.end('{"step": 1, "loss": 0.5}\n{"step": 2, "lo');
    const { status } = await exited(cli);
    expect(status).toBe(0);
    expect(stderr).toMatch(/^stdin:2: looks like metadata but is not valid JSON .*, skipped\n$/);
    expect(stdout).toMatch(/^\{"step": 1, "loss": 0.5\}\n\{"step": 2, "lo\n\nvizmeta watch · stdin · done · .* · 2 lines · 1 record\n/);

    const empty = spawn(NODE, [BIN, 'extract'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const end = await exited(empty);
    expect(end.status).toBe(0);
  });

  it('watch reacts to SIGINT while the producer stalls (not a terminal): 130 and the final dashboard', async () => {
    const cli = startCli(['watch'], ['pipe', 'pipe', 'pipe']);
    const producer = spawn(NODE, [STALL, '5000'], { stdio: ['ignore', cli.stdin!, 'ignore'] });
    cli.stdin!.destroy();
    let stdout = '';
    cli.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
    await until(() => stdout.includes('"step": 3'), 10_000, 'the first lines');
    const asked = Date.now();
    cli.kill('SIGINT');
    const { status } = await exited(cli);
    expect(Date.now() - asked).toBeLessThan(1500);
    expect(status).toBe(130);
    expect(stdout).toMatch(/vizmeta watch · stdin · interrupted · .* · 3 records/);
    producer.kill();
  });
});
