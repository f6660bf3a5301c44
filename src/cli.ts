/**
 * Entry point. `--version`, and `--help` written to a pipe or file, are answered before anything
 * else is loaded, so they cost little more than starting Node; every other invocation loads the
 * command program.
 */
import { readFileSync } from 'node:fs';
import { describeWriteError } from './core/io.js';
import { listenForStdoutErrors, madeStdout, stdoutColumns, stdoutIsTerminal, writeDirect } from './core/stdout.js';

/**
 * The program's top-level help as commander wrote it to a pipe (where it wraps at 80 columns
 * whatever the width), before reflowHelp: put into dist/cli.bundle.js by scripts/bundle.mjs, which
 * runs the built program once to get it. Undefined outside the bundle (tsc's dist/cli.js).
 */
declare const VIZMETA_BUILT_HELP: string | undefined;

const argv = process.argv.slice(2);
const only = argv.length === 1 ? argv[0] : undefined;
if (only === '--version' || only === '-V') {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  answer(`${pkg.version}\n`);
} else if ((only === '--help' || only === '-h') && !stdoutIsTerminal() && typeof VIZMETA_BUILT_HELP === 'string') {
  // What the program would write here, reflowed to the same width (core/io.ts: columns), without
  // loading and registering every command to format it.
  void writeBuiltHelp(VIZMETA_BUILT_HELP);
} else {
  // No top-level await: the CLI bundle is CommonJS (scripts/bundle.mjs), which has none.
  void runProgram(argv);
}

/**
 * Writes an answer given here, directly where stdout takes it (core/stdout.ts), as the program
 * writes its output: a closed pipe is a normal end, and output that cannot be written is one
 * line and exit 2.
 */
function answer(text: string): void {
  listenForStdoutErrors((error) => {
    if (error.code === 'EPIPE') process.exit(0);
    process.stderr.write(`vizmeta: cannot write the output: ${describeWriteError('stdout', error)}\n`);
    process.exit(2);
  });
  const rest = writeDirect(text);
  if (rest !== undefined) madeStdout().write(rest);
}

async function writeBuiltHelp(help: string): Promise<void> {
  const { reflowHelp } = await import('./render/reflow.js');
  answer(reflowHelp(help, stdoutColumns()));
}

async function runProgram(args: string[]): Promise<never> {
  const { main, flushOutput } = await import('./program.js');
  const code = await main(args);
  // Exit once what was written has reached the OS. Left to itself, Node first tears down the
  // whole heap, which after a big log takes tens of milliseconds that a user (or a CI step)
  // only waits through: about 20 ms after `sort` over 100 MB.
  await flushOutput();
  process.exit(code);
}
