/**
 * Supervising the wrapped command of `vizmeta run`: spawned directly (no shell), its stdout and
 * stderr read with backpressure, signals forwarded, stopped with SIGTERM then SIGKILL after a
 * grace period, and its end turned into an exit status the way a shell does.
 *
 * The job runs in a session and process group of its own, and every signal goes to that group,
 * as a terminal or a shell's job control would send it: a stop rule, `--grace`'s SIGKILL and a
 * forwarded Ctrl-C reach what the job started too (`sh -c 'python train.py; …'` leaves no python
 * running), and the terminal's own SIGINT reaches vizmeta only, which passes on exactly one. The
 * price: the job has no controlling terminal (it cannot open /dev/tty; its stdin is still the
 * terminal's when vizmeta gives it one).
 *
 * Its stdout is a real pipe (a FIFO, opened at both ends and unlinked), not the socket pair Node
 * makes for `stdio: 'pipe'`: when vizmeta closes its end because its own reader went away, the
 * job's next write fails with EPIPE and SIGPIPE as in `job | head`. On a socket pair it fails
 * with ECONNRESET and no signal, and `yes` says "Connection reset by peer".
 *
 * With `pty`, the job runs on a pseudo-terminal under util-linux `script` instead (see pty.ts):
 * its stdout and stderr arrive merged as stdout, and signals go to the job's group on that
 * terminal (the job leads it), never to `script`.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { accessSync, closeSync, constants as fsConstants, mkdtempSync, openSync, rmSync, statSync } from 'node:fs';
import { Socket } from 'node:net';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { kill } from 'node:process';
import type { Readable } from 'node:stream';
import { InputError } from '../core/errors.js';
import { PID_FD, findCommand, scriptInvocation, scriptVersionProblem, type PtyWindow } from './pty.js';

/** How the child ended. */
export interface ChildEnd {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** The shell's convention: the exit code, or 128 + N when killed by signal N. */
export function exitStatus(end: ChildEnd): number {
  if (end.signal) return 128 + (constants.signals[end.signal] ?? 0);
  return end.code ?? 0;
}

export interface ChildOptions {
  cwd: string;
  env: Record<string, string | undefined>;
  /** Called for each chunk of stdout; reading waits for the returned promise (backpressure). */
  stdout(chunk: Buffer): Promise<void>;
  stderr(chunk: Buffer): Promise<void>;
  /**
   * Run the job on a pseudo-terminal of this size (util-linux `script`): it then sees a
   * terminal, and what it writes to stdout and stderr arrives merged, as `stdout`, with CRLF
   * line ends; `stderr` gets only `script`'s own messages. Default: pipes.
   */
  pty?: PtyWindow;
  /**
   * The job's stdin: the terminal's (`inherit`, the default), or none (`ignore`) when vizmeta
   * reads keys from that terminal, so a key is never read by both.
   */
  stdin?: 'inherit' | 'ignore';
}

/** How often the job's process group is looked at while vizmeta waits for it to empty, ms. */
const GROUP_POLL_MS = 50;

/** After a SIGKILL to the group, how long vizmeta waits for it to be gone (a process stuck in the kernel cannot die sooner), ms. */
const AFTER_KILL_MS = 2000;

/** Thrown when the command cannot be started; `status` is the shell's 127 (not found) or 126. */
export class SpawnError extends InputError {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export class Child {
  private readonly process: ChildProcess;
  /** What the job writes to stdout: our end of its pipe. */
  private readonly stdout: Readable | null;
  private killTimer: NodeJS.Timeout | undefined;
  private ended: ChildEnd | undefined;
  private readonly exited: Promise<ChildEnd>;
  private readonly pumped: Promise<void>;
  /** Under a pty: the job's pid once its shell has reported it, and signals that came before. */
  private readonly onPty: boolean;
  private jobPid: number | undefined;
  private pending: NodeJS.Signals[] = [];
  /** Set once vizmeta asked the job to stop: when whatever is left of its group gets SIGKILL (Date.now() ms). */
  private killDeadline: number | undefined;
  /** Set once the job's process group was seen empty: no signal is sent after (its id may be reused). */
  private groupGone = false;

  private constructor(process: ChildProcess, options: ChildOptions, stdout: Readable | null) {
    this.process = process;
    this.stdout = stdout;
    this.onPty = options.pty !== undefined;
    if (this.onPty) void readPid(process.stdio[PID_FD] as Readable | null | undefined).then((pid) => this.jobStarted(pid));
    this.exited = new Promise((resolve) => {
      process.once('exit', (code, signal) => {
        this.ended = { code, signal };
        resolve(this.ended);
      });
    });
    this.pumped = Promise.all([pump(stdout, options.stdout), pump(process.stderr, options.stderr)]).then(() => undefined);
  }

  /** Starts `command` with `args`, no shell; resolves once it runs, throws {@link SpawnError} if it cannot. */
  static async start(command: string, args: readonly string[], options: ChildOptions): Promise<Child> {
    if (options.pty) return Child.startOnPty(command, args, options, options.pty);
    const pipe = await realPipe();
    let process: ChildProcess;
    try {
      // detached: setsid(), a session and process group of its own (see the top of this file).
      process = spawn(command, [...args], { cwd: options.cwd, env: options.env, stdio: [options.stdin ?? 'inherit', pipe?.writeFd ?? 'pipe', 'pipe'], detached: true });
    } finally {
      // The job has its copy; ours would keep the pipe open after the job ends (no end of file).
      if (pipe) closeSync(pipe.writeFd);
    }
    try {
      await started(process, command);
    } catch (error) {
      pipe?.reader.destroy();
      throw error;
    }
    return new Child(process, options, pipe?.reader ?? process.stdout);
  }

  /**
   * `script` runs in a session of its own, so that Ctrl-C on vizmeta's terminal reaches vizmeta
   * (which passes it on to the job) and never `script`. Its stdin is /dev/null: the job reads
   * end-of-file from its terminal, and `script` leaves vizmeta's terminal alone (it would put a
   * terminal stdin into raw mode). A command that is not found is the shell's 127, reported
   * in the job's output.
   */
  private static async startOnPty(command: string, args: readonly string[], options: ChildOptions, window: PtyWindow): Promise<Child> {
    if (findCommand(command, options.env['PATH'], options.cwd, isExecutableFile) === undefined) {
      const there = findCommand(command, options.env['PATH'], options.cwd, isFile) !== undefined;
      throw there ? new SpawnError(`${command}: permission denied`, 126) : new SpawnError(`${command}: command not found`, 127);
    }
    await checkScript(options);
    const invocation = scriptInvocation([command, ...args], window, options.env);
    const process = spawn(invocation.command, invocation.args, { cwd: options.cwd, env: invocation.env, stdio: ['ignore', 'pipe', 'pipe', 'pipe'], detached: true });
    await started(process, 'script');
    return new Child(process, options, process.stdout);
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  /**
   * The job's process group: the job leads it (its pid is the group's id). Under a pty that is
   * the job `script` runs, the session leader on its terminal; `script` itself is not in it, and
   * must not be signalled (see pty.ts).
   */
  private get group(): number | undefined {
    return this.onPty ? this.jobPid : this.process.pid;
  }

  /** Sends a signal to the job's process group while anything of it runs. */
  signal(signal: NodeJS.Signals): void {
    if (this.onPty && this.jobPid === undefined) {
      this.pending.push(signal);
      return;
    }
    const group = this.group;
    if (group === undefined || this.groupGone) return;
    try {
      kill(-group, signal);
    } catch {
      // No group (gone; or a job that left it, which only a pty's session leader cannot do): the job itself.
      if (this.onPty || !this.ended) {
        try {
          kill(group, signal);
        } catch {
          // Already gone.
        }
      }
    }
  }

  /**
   * A signal vizmeta passes on to stop the job (Ctrl-C, SIGTERM, q): sent to the group, and once
   * the job has exited, what is left of its group is waited for until `graceMs` after the first
   * such request, then killed (see {@link wait}).
   */
  forward(signal: NodeJS.Signals, graceMs: number): void {
    this.killDeadline ??= Date.now() + graceMs;
    this.signal(signal);
  }

  private jobStarted(pid: number | undefined): void {
    const pending = this.pending;
    this.pending = [];
    if (pid === undefined) return;
    this.jobPid = pid;
    for (const signal of pending) this.signal(signal);
  }

  /**
   * Stops reading the job's stdout and closes our end of the pipe: its next write fails (SIGPIPE or
   * EPIPE), exactly as when the reader of its output goes away without vizmeta in between.
   */
  closeStdout(): void {
    this.stdout?.destroy();
  }

  /** SIGTERM to the group now, SIGKILL to whatever of it still runs `graceMs` later. */
  stop(graceMs: number): void {
    if (this.killTimer) return;
    this.killDeadline = Math.min(this.killDeadline ?? Infinity, Date.now() + graceMs);
    this.signal('SIGTERM');
    this.killTimer = setTimeout(() => this.signal('SIGKILL'), graceMs);
  }

  /**
   * Resolves when the child has exited and its output is read. After vizmeta asked it to stop,
   * the rest of its process group is waited for too, until the stop's deadline, when it is
   * killed; and if something outside the group keeps the pipes open, waiting stops `drainMs` later.
   */
  async wait(drainMs: number): Promise<ChildEnd> {
    const end = await this.exited;
    if (this.killDeadline === undefined) {
      await this.pumped;
    } else {
      await this.groupEnded();
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          this.stdout?.destroy();
          this.process.stderr?.destroy();
          resolve();
        }, drainMs);
      });
      await Promise.race([this.pumped, late]);
      clearTimeout(timer);
    }
    if (this.killTimer) clearTimeout(this.killTimer);
    return end;
  }

  /** Whether any process of the job's group is left (a zombie not yet reaped counts). */
  private groupAlive(): boolean {
    const group = this.group;
    if (group === undefined || this.groupGone) return false;
    try {
      kill(-group, 0);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EPERM') return true;
      this.groupGone = true;
      return false;
    }
  }

  /** Until the job's group is empty: at the stop's deadline, SIGKILL to what is left. */
  private async groupEnded(): Promise<void> {
    let killedAt: number | undefined;
    while (this.groupAlive()) {
      const now = Date.now();
      if (killedAt === undefined && now >= (this.killDeadline ?? Infinity)) {
        this.signal('SIGKILL');
        killedAt = now;
      }
      if (killedAt !== undefined && now - killedAt > AFTER_KILL_MS) return;
      await new Promise((resolve) => setTimeout(resolve, GROUP_POLL_MS));
    }
  }
}

/**
 * A pipe for the job's stdout, made as a FIFO in a private folder: opened for reading (not
 * blocking, so no writer is needed yet), then for writing, then unlinked, so only the two ends
 * are left. Node makes no pipe(2) of its own. Undefined when that fails (no `mkfifo`, a
 * read-only temporary folder): the job then gets Node's socket pair.
 */
async function realPipe(): Promise<{ reader: Socket; writeFd: number } | undefined> {
  let dir: string | undefined;
  let readFd: number | undefined;
  try {
    dir = mkdtempSync(join(tmpdir(), 'vizmeta-'));
    const path = join(dir, 'stdout');
    // Not util.promisify: importing node:util in an ES module evaluates every export, and on Node 24
    // one of them loads the colour code that warns on stderr when NO_COLOR and FORCE_COLOR are both set.
    await new Promise<void>((resolve, reject) => execFile('mkfifo', ['-m', '600', path], (error) => (error ? reject(error) : resolve())));
    readFd = openSync(path, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
    // Blocking: the job's end must not be non-blocking; with a reader there, this open returns at once.
    const writeFd = openSync(path, fsConstants.O_WRONLY);
    return { reader: new Socket({ fd: readFd, readable: true, writable: false }), writeFd };
  } catch {
    if (readFd !== undefined) closeSync(readFd);
    return undefined;
  } finally {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  }
}

/** Waits for a spawned process to run; a failure to start becomes a {@link SpawnError} with the shell's status. */
async function started(process: ChildProcess, command: string): Promise<void> {
  try {
    await Promise.race([once(process, 'spawn'), once(process, 'error').then(([error]) => Promise.reject(error as Error))]);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new SpawnError(`${command}: command not found`, 127);
    if (code === 'EACCES') throw new SpawnError(`${command}: permission denied`, 126);
    throw new SpawnError(`${command}: cannot start (${(error as Error).message})`, 126);
  }
  // Errors after the start (e.g. kill on an exited process) are not fatal.
  process.on('error', () => {});
}

/** `--pty` needs util-linux's `script`: a missing one is 127, another kind (BSD, macOS) or an old one 126, each said in one line. */
async function checkScript(options: ChildOptions): Promise<void> {
  const probe = spawn('script', ['--version'], { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  probe.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  probe.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
  try {
    await started(probe, 'script');
  } catch (error) {
    if (error instanceof SpawnError && error.status === 127) throw new SpawnError('--pty: script not found (it comes with util-linux; on Debian and Ubuntu in bsdutils)', 127);
    throw error;
  }
  await once(probe, 'close');
  const problem = scriptVersionProblem(text);
  if (problem !== undefined) throw new SpawnError(problem, 126);
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, fsConstants.X_OK);
    return isFile(file);
  } catch {
    return false;
  }
}

/** The pid the job's shell writes to {@link PID_FD} before it execs the job; undefined if it never does. */
async function readPid(stream: Readable | null | undefined): Promise<number | undefined> {
  if (!stream) return undefined;
  let text = '';
  try {
    for await (const chunk of stream) {
      text += String(chunk);
      const end = text.indexOf('\n');
      if (end >= 0) {
        stream.destroy();
        const pid = Number(text.slice(0, end));
        return Number.isInteger(pid) && pid > 0 ? pid : undefined;
      }
    }
  } catch {
    // A destroyed pipe: no pid.
  }
  return undefined;
}

async function pump(stream: NodeJS.ReadableStream | null, sink: (chunk: Buffer) => Promise<void>): Promise<void> {
  if (!stream) return;
  try {
    for await (const chunk of stream) await sink(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  } catch {
    // A destroyed pipe ends reading; what was read has been passed on.
  }
}
