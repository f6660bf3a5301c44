/**
 * The commander program: declares every command, normalises options, and maps errors to
 * exit codes in this one place (0 ok, 1 condition failed, 2 usage or input error, 3 internal).
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { ExitCode, InputError, UsageError, type ExitSlot } from './core/errors.js';
import { closedPipeHandler, describeWriteError, onStdoutError, processIO, processStreamsInUse, resolveColor, writeOutput, type CommandIO } from './core/io.js';
import { escapeForTerminal } from './core/escape.js';
import { reflowHelp } from './render/reflow.js';
import { COMMAND_NAMES, registerCommands } from './commands/index.js';
import { cliErrorMessage } from './options/cli-error.js';
import { NoInputError } from './options/input.js';

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/**
 * The program with its commands: with `argv`, only the command it invokes is loaded (see
 * commands/index.ts); without, every command.
 */
export async function buildProgram(io: CommandIO, exit: ExitSlot, argv?: readonly string[]): Promise<Command> {
  const program = new Command();
  program
    .name('vizmeta')
    .description('Charts, comparisons, confusion matrices, early stopping and CI gates for the JSON-lines metadata training jobs print.')
    .version(version(), '-V, --version')
    .configureOutput({
      writeOut: (text) => void writeOutput(io, reflowHelp(text, io.columns)),
      writeErr: (text) => io.stderr.write(text),
      // Commander's defaults ask process.stdout, which would make the stream that output written
      // directly does without (core/stdout.ts); the answers are the same. vizmeta's help has no
      // colours of its own: this only decides whether commander strips any.
      getOutHelpWidth: () => (io.stdoutIsTTY ? io.columns : 80),
      getOutHasColors: () => resolveColor(io, undefined),
      // Commander's own errors are printed by exitCodeFor, in vizmeta's one style.
      outputError: () => {},
    })
    .exitOverride();
  program.addHelpText('after', `
Examples:
  python train.py | vizmeta watch                            live charts while it trains
  vizmeta extract logs/run.log > run.jsonl                   metadata as JSON lines
  vizmeta sort --by accuracy logs/*.log                      which execution won
  vizmeta gate --when 'metadata.accuracy >= 0.9' run.log     exit 1 when it fails

Exit status: 0 success, 1 a gate or condition failed, 2 usage or input error, 3 internal error.`);
  await registerCommands(program, io, exit, argv);
  return program;
}

/**
 * Resolves when what was written to stdout and stderr has been handed to the OS (stderr only if
 * something made it: see processIO).
 */
export async function flushOutput(): Promise<void> {
  for (const stream of processStreamsInUse()) {
    if (stream.destroyed || stream.writableLength === 0) continue;
    await new Promise<void>((resolve) => stream.write('', () => resolve()));
  }
}

/** Runs the CLI and returns the exit status. Never throws. */
export async function main(argv: string[], io: CommandIO = processIO()): Promise<number> {
  // A closed stdout (`vizmeta extract big.log | head`) is a normal end, not an error: exit 0 at
  // once, unless the command takes care of it (`run` still waits for its job).
  // Output that cannot be written (a full disk, an I/O error: `vizmeta gate … >/dev/full`) is one
  // line and exit 2, an I/O error like an unreadable input, never a stack trace or the 1 of a
  // failed gate. (`run` then goes on as for a closed pipe: its job's output has nowhere to go.)
  onStdoutError(io, (error) => {
    const handler = closedPipeHandler(io);
    if (error.code !== 'EPIPE') {
      io.stderr.write(`vizmeta: cannot write the output: ${describeWriteError('stdout', error)}\n`);
      if (handler) handler(error);
      else process.exit(ExitCode.usage);
      return;
    }
    if (handler) handler(error);
    else process.exit(ExitCode.ok);
  });
  // (A closed stderr is taken care of where processIO makes it, on first use.)

  const exit: ExitSlot = { code: ExitCode.ok };
  try {
    const program = await buildProgram(io, exit, argv);
    await program.parseAsync(argv, { from: 'user' });
    return exit.code;
  } catch (error) {
    return exitCodeFor(error, io, argv);
  }
}

export function exitCodeFor(error: unknown, io: CommandIO, argv: readonly string[] = []): number {
  if (error instanceof CommanderError) {
    // Help and version are successes; commander has already printed them.
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return ExitCode.ok;
    io.stderr.write(escapeForTerminal(cliErrorMessage(error.message, error.code, argv, COMMAND_NAMES).trimEnd()) + '\n');
    return ExitCode.usage;
  }
  if (error instanceof NoInputError) {
    io.stderr.write(`vizmeta: ${error.message}\n\n${error.command.helpInformation()}`);
    return ExitCode.usage;
  }
  if (error instanceof UsageError || error instanceof InputError) {
    // Our messages may span lines (an expression error shows the expression and a caret);
    // each line is escaped on its own so input text cannot add lines or escapes of its own.
    const lines = error.message.split('\n').map(escapeForTerminal);
    io.stderr.write(`vizmeta: ${lines.join('\n')}\n`);
    return ExitCode.usage;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`vizmeta: internal error: ${escapeForTerminal(message)}\n`);
  if (io.env['VIZMETA_DEBUG'] && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  return ExitCode.internal;
}
