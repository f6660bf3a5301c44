/**
 * Supervising a training job live: start it without a shell, pass its output through (and to
 * `--save`), feed its stdout (and with `--parse-stderr` its stderr) to the live dashboard, forward
 * signals, stop it when a rule fires (SIGTERM, then SIGKILL after the grace), and give back its
 * exit status. `run` and `demo` are this with different commands.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { basename, dirname, resolve as resolvePath } from 'node:path';
import { ExitCode, InputError, UsageError } from '../core/errors.js';
import { describeWriteError, onClosedPipe, resolveColor, warn, type CommandIO } from '../core/io.js';
import { Child, SpawnError, exitStatus } from './child.js';
import { checkStopFlags, type DashboardFlags, type StopFlags } from './options.js';
import { ptyWindow } from './pty.js';
import { buildStopRule } from './rules.js';
import { TimestampedLog } from './save.js';
import { LiveSession } from './session.js';
import type { Timers } from './scheduler.js';
import { describeFsError, type ReadOptions } from '../parsers/source.js';

/** Test seams: the clock and timers of the live dashboard, and whether stdout counts as a terminal. */
export interface LiveDeps {
  now?: () => number;
  timers?: Timers;
  live?: boolean;
}

export interface JobOptions extends DashboardFlags, StopFlags {
  /** Parse stderr for metadata too. Default false (stdout only, as Valohai does). */
  parseStderr?: boolean;
  /** Write the output, each line prefixed with an RFC 3339 timestamp, to this file. */
  save?: string;
  /** Seconds between SIGTERM and SIGKILL when a rule stops the job. Default 10. */
  grace?: number;
  /** Run the job on a pseudo-terminal (util-linux `script`); its stderr then arrives merged into stdout. Default false. */
  pty?: boolean;
}

/**
 * Signals passed on to the job's process group; the rest keep their default meaning for vizmeta.
 * The job is in a session of its own (child.ts), so the terminal's Ctrl-C, Ctrl-\ and hang-up
 * reach vizmeta only: passing them on is what makes them reach the job, exactly once.
 */
const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'] as const;

/** After the job (and its process group) is gone, how long its pipes may stay open (held by something that left the group) once it was stopped, ms. */
const DRAIN_AFTER_STOP_MS = 2000;

/**
 * Runs `argv` under the live dashboard and returns the job's exit status (or `--stop-exit-code`
 * after an early stop). `title` names the job in the dashboard; default: the command line.
 */
export async function superviseJob(argv: readonly string[], options: JobOptions, readOptions: ReadOptions, io: CommandIO, deps: LiveDeps & { title?: string } = {}): Promise<number> {
  const [command, ...args] = argv;
  if (command === undefined || command === '') throw new UsageError('no command to run: vizmeta run [options] -- CMD [ARGS...]');
  checkStopFlags(options);
  // Everything that can be wrong with the flags is reported before the job starts.
  const stopRule = buildStopRule(options);
  const grace = options.grace ?? 10;
  const saveStream = options.save === undefined ? undefined : await openSave(resolvePath(io.cwd, options.save));
  // A log that fails (a full disk) is said once and let go; the job and its output go on.
  const save = saveStream
    ? new TimestampedLog(saveStream, deps.now, { onError: (error) => warn(io, `--save: ${describeWriteError(options.save ?? '', error)}; the log stops here, the job goes on`) })
    : undefined;

  const label = deps.title ?? [basename(command), ...args].join(' ');
  const session = new LiveSession(io, {
    ...options,
    live: deps.live ?? io.stdoutIsTTY,
    color: resolveColor(io, options.color),
    title: `vizmeta run · ${label}`,
    supervising: true,
    // Under --pty the job's terminal is not the user's; keys stay vizmeta's either way.
    stopRule,
    readOptions,
    ...(deps.now ? { now: deps.now } : {}),
    ...(deps.timers ? { timers: deps.timers } : {}),
  });
  const execution = command;
  const stdoutReader = session.reader('stdout', execution);
  const stderrReader = options.parseStderr ? session.reader('stderr', execution) : undefined;

  let child: Child;
  try {
    // Keys read from the terminal's stdin are vizmeta's; the job then gets no stdin (--no-keyboard gives it back).
    const keysFromStdin = session.keyInput() === (io.stdin as unknown);
    child = await Child.start(command, args, {
      ...(keysFromStdin ? { stdin: 'ignore' as const } : {}),
      cwd: io.cwd,
      env: jobEnvironment(io.env),
      ...(options.pty ? { pty: ptyWindow(io.columns, io.rows, deps.live ?? io.stdoutIsTTY) } : {}),
      stdout: async (chunk) => {
        await save?.push('stdout', chunk);
        await session.passthrough(chunk);
        stdoutReader.push(chunk);
      },
      stderr: async (chunk) => {
        await save?.push('stderr', chunk);
        await session.passthroughTo(io.stderr, chunk);
        stderrReader?.push(chunk);
      },
    });
  } catch (error) {
    await save?.end().catch(() => {});
    if (error instanceof SpawnError) {
      warn(io, error.message);
      return error.status;
    }
    throw error;
  }

  // q or Ctrl-C (a key in raw mode, not a signal): ask the job to stop as Ctrl-C would, then
  // insist: SIGINT, SIGTERM, SIGKILL on the first, second and third press.
  const escalation: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGKILL'];
  let presses = 0;
  session.onAction((action) => {
    if (action !== 'quit' && action !== 'interrupt') return;
    const signal = escalation[Math.min(presses, escalation.length - 1)] as NodeJS.Signals;
    presses++;
    child.forward(signal, grace * 1000);
    const next = escalation[presses];
    session.setNotice(`sent ${signal} to the job${next ? ` · q again sends ${next}` : ''}`);
  });
  const handlers = FORWARDED.map((name) => {
    const handler = (): void => child.forward(name, grace * 1000);
    process.on(name, handler);
    return () => process.off(name, handler);
  });
  // Ctrl-Z (keyboard off) stops vizmeta's group, which the job is not in: it is stopped with us,
  // and continued with us (`fg`). SIGSTOP, since the kernel drops a SIGTSTP sent to its group:
  // no process of it has a parent in its session.
  const suspend = (): void => {
    child.signal('SIGSTOP');
    process.kill(process.pid, 'SIGSTOP');
  };
  const resume = (): void => child.signal('SIGCONT');
  process.on('SIGTSTP', suspend);
  process.on('SIGCONT', resume);
  handlers.push(
    () => process.off('SIGTSTP', suspend),
    () => process.off('SIGCONT', resume),
  );
  session.onStop(() => child.stop(grace * 1000));
  // `vizmeta run -- job | head`: when our stdout's reader goes away, the job's stdout is closed as
  // it would be without vizmeta (its next write gets EPIPE and SIGPIPE); vizmeta still waits for
  // the job, saves the log and passes on its status.
  // Our stdout failing (a full disk: `run -- job >/dev/full`; said in one line by program.ts) is
  // not the job's business, as `job >/dev/full` would not kill it either: its output is read and
  // dropped (still saved), it runs to its end, and a job that succeeded is exit 2.
  // The handler stays: later writes (the final dashboard) may fail the same way after runRun returns.
  let stdoutClosed = false;
  let outputFailed = false;
  onClosedPipe(io, (error) => {
    if (error.code !== 'EPIPE') {
      outputFailed = true;
      session.outputLost();
      return;
    }
    if (stdoutClosed) return;
    stdoutClosed = true;
    session.outputLost();
    child.closeStdout();
  });
  session.start();

  let end;
  try {
    end = await child.wait(DRAIN_AFTER_STOP_MS);
  } catch (error) {
    for (const off of handlers) off();
    session.abort();
    throw error;
  }
  // After a closed pipe the last line read may be cut where vizmeta stopped reading: not the job's
  // doing, so not parsed and not reported (`job | head` says nothing either).
  if (!stdoutClosed) stdoutReader.end();
  stderrReader?.end();
  const status = exitStatus(end);
  const how = session.stopped ? 'stopped' : end.signal ? `killed by ${end.signal}` : `exited ${status}`;
  await session.finish(how);
  // A --keys name the job never printed: said, but the exit status stays the job's.
  for (const message of session.unknownKeys(basename(command))) warn(io, message);
  // Until the terminal is given back, a second signal must not kill vizmeta with the screen split.
  for (const off of handlers) off();
  await save?.end();
  const finished = session.stopped ? options.stopExitCode ?? ExitCode.ok : status;
  // The job's status stands; a job that succeeded with an incomplete log, or whose output could
  // not be written, is exit 2, so a script can tell.
  if ((save?.failed || outputFailed) && finished === ExitCode.ok) return ExitCode.usage;
  return finished;
}

async function openSave(path: string): Promise<WriteStream> {
  // `--save logs/run1.log` makes logs/ when it is missing, as a job writing its own log would.
  try {
    await mkdir(dirname(path), { recursive: true });
  } catch (error) {
    throw new InputError(`--save: ${describeFsError(dirname(path), error)}`);
  }
  const stream = createWriteStream(path);
  try {
    await once(stream, 'open');
  } catch (error) {
    throw new InputError(`--save: ${describeFsError(path, error)}`);
  }
  return stream;
}

/**
 * The job's environment: the user's, with `PYTHONUNBUFFERED=1` unless they set it. Python
 * block-buffers stdout when it is a pipe, so a script that prints without flushing (most do)
 * would reach the dashboard only when it exits; this makes `print()` reach it as it happens.
 * Pure: returns a new object.
 */
export function jobEnvironment(env: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  if (env['PYTHONUNBUFFERED'] !== undefined) return { ...env };
  return { ...env, PYTHONUNBUFFERED: '1' };
}
