/**
 * `vizmeta run -- CMD [ARGS...]`: run a training job, pass its output through, chart its
 * metadata live, stop it when a rule says so, and exit with its status.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { basename, resolve as resolvePath } from 'node:path';
import type { Command } from 'commander';
import { ExitCode, InputError, UsageError, type ExitSlot } from '../core/errors.js';
import { onClosedPipe, resolveColor, warn, type CommandIO } from '../core/io.js';
import { Child, SpawnError, exitStatus } from '../live/child.js';
import { addDashboardOptions, addStopOptions, checkStopFlags, type DashboardFlags, type StopFlags } from '../live/options.js';
import { buildStopRule } from '../live/rules.js';
import { TimestampedLog } from '../live/save.js';
import { LiveSession } from '../live/session.js';
import { describeFsError } from '../parsers/source.js';
import { addInputOptions, readOptionsFrom, type InputOptions } from '../options/input.js';
import type { LiveDeps } from './watch.js';

export interface RunOptions extends InputOptions, DashboardFlags, StopFlags {
  /** Parse stderr for metadata too. Default false (stdout only, as Valohai does). */
  parseStderr?: boolean;
  /** Write the output, each line prefixed with an RFC 3339 timestamp, to this file. */
  save?: string;
  /** Seconds between SIGTERM and SIGKILL when a rule stops the job. Default 10. */
  grace?: number;
}

/** Signals passed on to the job; the rest keep their default meaning for vizmeta. */
const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** After the job exits, how long its pipes may stay open (held by something it started) once it was stopped, ms. */
const DRAIN_AFTER_STOP_MS = 2000;

export async function runRun(argv: readonly string[], options: RunOptions, io: CommandIO, deps: LiveDeps & { title?: string } = {}): Promise<number> {
  const [command, ...args] = argv;
  if (command === undefined || command === '') throw new UsageError('no command to run: vizmeta run [options] -- CMD [ARGS...]');
  checkStopFlags(options);
  // Everything that can be wrong with the flags is reported before the job starts.
  const stopRule = buildStopRule(options);
  const grace = options.grace ?? 10;
  const saveStream = options.save === undefined ? undefined : await openSave(resolvePath(io.cwd, options.save));
  const save = saveStream ? new TimestampedLog(saveStream, deps.now) : undefined;

  const label = deps.title ?? [basename(command), ...args].join(' ');
  const session = new LiveSession(io, {
    ...options,
    live: deps.live ?? io.stdoutIsTTY,
    color: resolveColor(io, options.color),
    title: `vizmeta run · ${label}`,
    stopRule,
    readOptions: readOptionsFrom(options),
    ...(deps.now ? { now: deps.now } : {}),
    ...(deps.timers ? { timers: deps.timers } : {}),
  });
  const execution = command;
  const stdoutReader = session.reader('stdout', execution);
  const stderrReader = options.parseStderr ? session.reader('stderr', execution) : undefined;

  let child: Child;
  try {
    child = await Child.start(command, args, {
      cwd: io.cwd,
      env: io.env,
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

  let forwarded: NodeJS.Signals | undefined;
  const handlers = FORWARDED.map((name) => {
    const handler = (): void => {
      forwarded = name;
      child.signal(name);
    };
    process.on(name, handler);
    return () => process.off(name, handler);
  });
  session.onStop(() => child.stop(grace * 1000));
  // `vizmeta run -- job | head`: when our stdout's reader goes away, the job's stdout is closed as
  // it would be without vizmeta; vizmeta still waits for the job, saves the log and passes on its status.
  // The handler stays: later writes (the final dashboard) may fail the same way after runRun returns.
  let stdoutClosed = false;
  onClosedPipe(io.stdout, () => {
    if (stdoutClosed) return;
    stdoutClosed = true;
    child.closeStdout();
  });
  session.start();

  let end;
  try {
    end = await child.wait(() => (session.stopped || forwarded ? DRAIN_AFTER_STOP_MS : undefined));
  } catch (error) {
    for (const off of handlers) off();
    session.abort();
    throw error;
  }
  stdoutReader.end();
  stderrReader?.end();
  const status = exitStatus(end);
  const how = session.stopped ? 'stopped' : end.signal ? `killed by ${end.signal}` : `exited ${status}`;
  await session.finish(how);
  // Until the terminal is given back, a second signal must not kill vizmeta with the screen split.
  for (const off of handlers) off();
  if (save) {
    try {
      await save.end();
    } catch (error) {
      warn(io, describeFsError(options.save ?? '', error));
    }
  }
  if (session.stopped) return options.stopExitCode ?? ExitCode.ok;
  return status;
}

async function openSave(path: string): Promise<WriteStream> {
  const stream = createWriteStream(path);
  try {
    await once(stream, 'open');
  } catch (error) {
    throw new InputError(`--save: ${describeFsError(path, error)}`);
  }
  return stream;
}

export function parseGrace(text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) throw new UsageError(`--grace: expected seconds >= 0, got '${text}'`);
  return value;
}

export function registerRun(program: Command, io: CommandIO, exit: ExitSlot): void {
  const command = program
    .command('run')
    .description('run a training job: pass its output through, chart its metadata live, stop it when a rule says so')
    .argument('<command...>', 'the command and its arguments (after --)')
    .option('--save <file>', 'also write the output to FILE, each line prefixed with an RFC 3339 timestamp (read back as _time)')
    .option('--parse-stderr', 'read metadata from stderr too (default: stdout only)')
    .option('--grace <seconds>', 'after an early stop, seconds between SIGTERM and SIGKILL (default 10)', parseGrace);
  addDashboardOptions(command);
  addStopOptions(command);
  addInputOptions(command);
  command.addHelpText('after', `
The command is started directly, without a shell (write sh -c '...' for one). Put -- before it
so that its own options are not read as vizmeta's. Its stdin is the terminal's; its stdout and
stderr are passed through unchanged. SIGINT, SIGTERM and SIGHUP are forwarded to it.

Exit status: the command's, or 128+N when a signal N ended it; 127 when it is not found, 126
when it cannot be started; --stop-exit-code (default 0) after an early stop.

Examples:
  vizmeta run -- python train.py --epochs 20
  vizmeta run --save logs/run1.log -- python train.py
  vizmeta run --stop-when 'val_loss > 5 or isnan(loss)' -- python train.py
  vizmeta run --monitor val_loss --patience 5 --grace 30 -- python train.py
  vizmeta run --keys loss,val_loss --smooth 0.6 -- ./train.sh`);
  command.action(async (argv: string[], options: RunOptions) => {
    exit.code = await runRun(argv, options, io);
  });
}
