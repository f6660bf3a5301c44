/**
 * Every command, registered on the program. One file per command under src/commands/.
 *
 * Commands are loaded on demand: when the first non-option argument names a command, only that
 * command's module is imported (its renderers, chalk, string-width… stay unloaded for the others),
 * which takes a reading command's start-up close to Node's own. Anything else (`--help`, `help`,
 * an unknown or missing command) loads them all, so the top-level help lists every command and
 * commander's "unknown command" error and suggestions work as before.
 */
import type { Command } from 'commander';
import type { CommandIO } from '../core/io.js';
import type { ExitSlot } from '../core/errors.js';

type Register = (program: Command, io: CommandIO, exit: ExitSlot) => void;

/** Command name → loader of its register function, in the order `vizmeta --help` lists them. */
const COMMANDS: ReadonlyArray<readonly [string, () => Promise<Register>]> = [
  ['extract', async () => (await import('./extract.js')).registerExtract],
  ['sort', async () => (await import('./sort.js')).registerSort],
  ['gate', async () => (await import('./gate.js')).registerGate],
  ['stats', async () => (await import('./stats.js')).registerStats],
  ['compare', async () => (await import('./compare.js')).registerCompare],
  ['table', async () => (await import('./table.js')).registerTable],
  ['watch', async () => (await import('./watch.js')).registerWatch],
  ['run', async () => (await import('./run.js')).registerRun],
  ['matrix', async () => (await import('./matrix.js')).registerMatrix],
  ['roc', async () => (await import('./roc.js')).registerRoc],
  ['view', async () => (await import('./view.js')).registerView],
  ['demo', async () => (await import('./demo.js')).registerDemo],
  ['chart', async () => (await import('./chart.js')).registerChart],
  ['report', async () => (await import('./report.js')).registerReport],
  ['summarize', async () => (await import('./summarize.js')).registerSummarize],
  ['merge', async () => (await import('./merge.js')).registerMerge],
];

/** The names of every command, in help order. */
export const COMMAND_NAMES: readonly string[] = COMMANDS.map(([name]) => name);

/**
 * Registers the command `argv` invokes, or every command when `argv` names none we know (or is
 * not given). The program's own options are flags only (`-h`, `-V`), so the first argument not
 * starting with `-` is the command name.
 */
export async function registerCommands(program: Command, io: CommandIO, exit: ExitSlot, argv?: readonly string[]): Promise<void> {
  const first = argv?.find((arg) => !arg.startsWith('-'));
  const only = first === undefined ? undefined : COMMANDS.find(([name]) => name === first);
  const wanted = only ? [only] : COMMANDS;
  const registers = await Promise.all(wanted.map(([, load]) => load()));
  for (const register of registers) register(program, io, exit);
}
