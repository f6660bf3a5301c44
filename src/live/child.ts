/**
 * Supervising the wrapped command of `vizmeta run`: spawned directly (no shell), its stdout and
 * stderr read with backpressure, signals forwarded, stopped with SIGTERM then SIGKILL after a
 * grace period, and its end turned into an exit status the way a shell does.
 *
 * With `pty`, the job runs on a pseudo-terminal under util-linux `script` instead (see pty.ts):
 * its stdout and stderr arrive merged as stdout, and signals go to the job itself, not to `script`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { accessSync, constants as fsConstants, statSync } from 'node:fs';
import { constants } from 'node:os';
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

/** Signals a terminal sends to its whole foreground process group; the rest go to the job alone, as without a pty. */
const GROUP_SIGNALS: ReadonlySet<NodeJS.Signals> = new Set(['SIGINT', 'SIGQUIT', 'SIGHUP']);

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
  private killTimer: NodeJS.Timeout | undefined;
  private ended: ChildEnd | undefined;
  private readonly exited: Promise<ChildEnd>;
  private readonly pumped: Promise<void>;
  /** Under a pty: the job's pid once its shell has reported it, and signals that came before. */
  private readonly onPty: boolean;
  private jobPid: number | undefined;
  private pending: NodeJS.Signals[] = [];

  private constructor(process: ChildProcess, options: ChildOptions) {
    this.process = process;
    this.onPty = options.pty !== undefined;
    if (this.onPty) void readPid(process.stdio[PID_FD] as Readable | null | undefined).then((pid) => this.jobStarted(pid));
    this.exited = new Promise((resolve) => {
      process.once('exit', (code, signal) => {
        this.ended = { code, signal };
        if (this.killTimer) clearTimeout(this.killTimer);
        resolve(this.ended);
      });
    });
    this.pumped = Promise.all([pump(process.stdout, options.stdout), pump(process.stderr, options.stderr)]).then(() => undefined);
  }

  /** Starts `command` with `args`, no shell; resolves once it runs, throws {@link SpawnError} if it cannot. */
  static async start(command: string, args: readonly string[], options: ChildOptions): Promise<Child> {
    if (options.pty) return Child.startOnPty(command, args, options, options.pty);
    const process = spawn(command, [...args], { cwd: options.cwd, env: options.env, stdio: [options.stdin ?? 'inherit', 'pipe', 'pipe'] });
    await started(process, command);
    return new Child(process, options);
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
    return new Child(process, options);
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  /** Sends a signal if the child still runs. */
  signal(signal: NodeJS.Signals): void {
    if (this.ended) return;
    if (this.onPty) {
      this.signalJob(signal);
      return;
    }
    try {
      this.process.kill(signal);
    } catch {
      // Already gone.
    }
  }

  /** Under a pty: to the job's process group as its terminal would, or to the job; held until its pid is known. */
  private signalJob(signal: NodeJS.Signals): void {
    const pid = this.jobPid;
    if (pid === undefined) {
      this.pending.push(signal);
      return;
    }
    try {
      kill(GROUP_SIGNALS.has(signal) ? -pid : pid, signal);
    } catch {
      try {
        kill(pid, signal);
      } catch {
        // Already gone.
      }
    }
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
    this.process.stdout?.destroy();
  }

  /** SIGTERM now, SIGKILL if it is still running `graceMs` later. */
  stop(graceMs: number): void {
    if (this.ended || this.killTimer) return;
    this.signal('SIGTERM');
    this.killTimer = setTimeout(() => this.signal('SIGKILL'), graceMs);
  }

  /**
   * Resolves when the child has exited and its output is read. If something it started keeps the
   * pipes open after it exited, waiting stops after the `drainMs()` it returns then, if any.
   */
  async wait(drainMsAfterExit: () => number | undefined = () => undefined): Promise<ChildEnd> {
    const end = await this.exited;
    const drainMs = drainMsAfterExit();
    if (drainMs === undefined) {
      await this.pumped;
    } else {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          this.process.stdout?.destroy();
          this.process.stderr?.destroy();
          resolve();
        }, drainMs);
      });
      await Promise.race([this.pumped, late]);
      clearTimeout(timer);
    }
    return end;
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
