/**
 * Supervising the wrapped command of `vizmeta run`: spawned directly (no shell), its stdout and
 * stderr read with backpressure, signals forwarded, stopped with SIGTERM then SIGKILL after a
 * grace period, and its end turned into an exit status the way a shell does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { constants } from 'node:os';
import { InputError } from '../core/errors.js';

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
}

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

  private constructor(process: ChildProcess, options: ChildOptions) {
    this.process = process;
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
    const process = spawn(command, [...args], { cwd: options.cwd, env: options.env, stdio: ['inherit', 'pipe', 'pipe'] });
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
    return new Child(process, options);
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  /** Sends a signal if the child still runs. */
  signal(signal: NodeJS.Signals): void {
    if (this.ended) return;
    try {
      this.process.kill(signal);
    } catch {
      // Already gone.
    }
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

async function pump(stream: NodeJS.ReadableStream | null, sink: (chunk: Buffer) => Promise<void>): Promise<void> {
  if (!stream) return;
  try {
    for await (const chunk of stream) await sink(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  } catch {
    // A destroyed pipe ends reading; what was read has been passed on.
  }
}
