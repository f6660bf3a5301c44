/**
 * `vizmeta watch`: pass a job's output through and chart its metadata live; stop reading when an
 * early-stop rule fires.
 */
import type { Command } from 'commander';
import { ExitCode, type ExitSlot } from '../core/errors.js';
import { resolveColor, warn, type CommandIO } from '../core/io.js';
import { inputChunks } from '../live/follow.js';
import { addDashboardOptions, addStopOptions, checkStopFlags, resolveStopFlags, type DashboardFlags, type StopFlags } from '../live/options.js';
import { buildStopRule } from '../live/rules.js';
import { feedSession } from '../live/feed.js';
import { LiveSession, type StopRule } from '../live/session.js';
import type { LiveDeps } from '../live/supervise.js';
import { describeFsError } from '../parsers/source.js';
import { addInputOptions, readOptionsFrom, resolveInputs, type InputOptions } from '../options/input.js';
import { expandInputs, needsExpanding, type ExecutionInput } from '../input/frameworks.js';
import { watchFrameworkInput } from '../live/follow-framework.js';

export interface WatchOptions extends InputOptions, DashboardFlags, StopFlags {
  /** Keep reading files as they grow, like `tail -F`. Default false. */
  follow?: boolean;
}

const SIGNALS = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 } as const;

export async function runWatch(inputs: readonly string[], flags: WatchOptions, io: CommandIO, deps: LiveDeps = {}): Promise<number> {
  const options = resolveStopFlags(flags, io);
  checkStopFlags(options);
  const stopRule: StopRule | undefined = buildStopRule(options);
  const live = deps.live ?? io.stdoutIsTTY;
  const label = (input: string): string => (input === '-' ? 'stdin' : input);
  const session = new LiveSession(io, {
    ...options,
    live,
    color: resolveColor(io, options.color),
    title: `vizmeta watch · ${inputs.map(label).join(', ')}`,
    // Keys typed on a terminal that is also the input would be read twice: no keyboard then.
    keyboard: options.keyboard !== false && !(inputs.includes('-') && io.stdinIsTTY),
    stopRule,
    readOptions: readOptionsFrom(options),
    ...(deps.now ? { now: deps.now } : {}),
    ...(deps.timers ? { timers: deps.timers } : {}),
  });

  let signalled: number | undefined;
  const abort = new AbortController();
  session.onStop(() => abort.abort());
  // q stops reading and keeps the last frame; Ctrl-C (a key in raw mode, not a signal) as SIGINT would.
  let quit = false;
  session.onAction((action) => {
    if (action === 'quit') quit = true;
    else if (action === 'interrupt') signalled ??= SIGNALS.SIGINT;
    else return;
    abort.abort();
  });
  const handlers = Object.entries(SIGNALS).map(([name, number]) => {
    const handler = (): void => {
      signalled ??= number;
      abort.abort();
    };
    process.on(name, handler);
    return () => process.off(name, handler);
  });

  let status: number = ExitCode.ok;
  const fail = (message: string): void => { warn(io, message); status = ExitCode.usage; };
  session.start();
  try {
    const read = async (input: string): Promise<void> => {
      const source = label(input);
      const reader = session.reader(input, source);
      let chunks: AsyncIterable<Buffer | string>;
      try {
        chunks = await inputChunks(input, io.stdin, { follow: Boolean(options.follow), signal: abort.signal, notice: (message) => warn(io, message) });
      } catch (error) {
        fail((error as Error).message);
        return;
      }
      try {
        await feedSession(chunks, session, reader, stopRule !== undefined, abort.signal);
      } catch (error) {
        if (!abort.signal.aborted) fail(describeFsError(source, error));
      }
      reader.end();
    };
    // Folders and framework files (TensorBoard, trainer_state.json, …) become their executions.
    const executions = needsExpanding(inputs) ? await expandInputs(inputs, { onWarning: (path, message) => warn(io, `${path}: ${message}`) }) : inputs.map((path): ExecutionInput => ({ kind: 'log', path }));
    const readExecution = async (execution: ExecutionInput): Promise<void> => {
      if (execution.kind === 'log') return read(execution.path);
      if (execution.kind === 'unreadable') {
        fail(execution.message);
        return;
      }
      try {
        await watchFrameworkInput(execution.input, session.sink(execution.input.name), { follow: Boolean(options.follow), signal: abort.signal, notice: (message) => warn(io, message) });
      } catch (error) {
        if (!abort.signal.aborted) fail((error as Error).message);
      }
    };
    if (options.follow) {
      await Promise.all(executions.map(readExecution));
    } else {
      for (const execution of executions) {
        if (abort.signal.aborted) break;
        await readExecution(execution);
      }
    }
  } catch (error) {
    session.abort();
    throw error;
  } finally {
    for (const off of handlers) off();
  }
  await session.finish(session.stopped ? 'stopped' : signalled !== undefined ? 'interrupted' : quit ? 'quit' : 'done');
  if (session.stopped) return options.stopExitCode ?? ExitCode.ok;
  if (signalled !== undefined) return 128 + signalled;
  // A --keys name no input had is a mistake worth an error, as in sort and gate (checked once the input ended).
  const missing = session.unknownKeys(inputs.length === 1 ? label(inputs[0] as string) : `${inputs.length} inputs`);
  for (const message of missing) warn(io, message);
  if (missing.length > 0 && !quit) return ExitCode.usage;
  return status;
}

export function registerWatch(program: Command, io: CommandIO, exit: ExitSlot): void {
  const command = program
    .command('watch')
    .description('pass a job\'s output through and chart its metadata live; stop when a rule says so')
    .argument('[files...]', 'log files; - or nothing reads stdin')
    .option('-f, --follow', 'keep reading the files as they grow, like tail -F (also across rotation and truncation)');
  addDashboardOptions(command);
  addStopOptions(command);
  addInputOptions(command);
  command.addHelpText('after', `
On a terminal the dashboard is redrawn in place below the scrolling log (at most 10 times a
second). Otherwise the input is passed through as it comes and the dashboard is printed once at
the end. When a rule fires, one line on stderr names it and watch stops reading.

Examples:
  python train.py | vizmeta watch
  python train.py | vizmeta watch --keys loss,val_loss --smooth 0.6
  vizmeta watch --follow logs/train.log
  vizmeta watch --follow runs/exp1/                TensorBoard event files as the job writes them
  python train.py | vizmeta watch --x _time --quiet
  python train.py | vizmeta watch --stop-when 'isnan(loss) or val_loss > 5'
  python train.py | vizmeta watch --monitor val_loss --patience 5 --min-delta 0.001`);
  command.action(async (files: string[], options: WatchOptions) => {
    exit.code = await runWatch(resolveInputs(files, io, command), options, io);
  });
}
