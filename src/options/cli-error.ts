/**
 * Commander's own errors (an unknown option or command, a missing argument) in vizmeta's one
 * error style: one line on stderr, `vizmeta CMD: …`, with the fix when there is an obvious one
 * (the closest flag or command, `--` for a job's own options under `run`). Pure: text in, text out.
 */

/** The command an argument list runs: its first word not an option, when that is a command's name (as commands/index.ts reads it). */
export function commandOf(argv: readonly string[], commands: readonly string[]): string | undefined {
  const first = argv.find((arg) => !arg.startsWith('-'));
  return first !== undefined && commands.includes(first) ? first : undefined;
}

/** Commands that run a job whose own arguments follow `--`. */
const JOB_COMMANDS = new Set(['run']);

/**
 * The one line for commander's error `message` (`error: unknown option '--lr'\n(Did you mean
 * --lr2?)`) with code `code`, for the arguments `argv` of the program whose commands are
 * `commands`. Ends with a newline.
 */
export function cliErrorMessage(message: string, code: string, argv: readonly string[], commands: readonly string[]): string {
  const command = code === 'commander.unknownCommand' ? undefined : commandOf(argv, commands);
  const lines = message.trim().split('\n');
  let text = (lines[0] ?? '').replace(/^error: /, '');
  // commander's "(Did you mean --by?)" joins the line as its hint.
  const suggestion = lines.slice(1).join(' ').match(/^\(Did you mean (.+)\?\)$/);
  if (suggestion) text += `; did you mean ${suggestion[1]}?`;
  text = text.replace(/\.$/, '');
  const where = command === undefined ? 'vizmeta' : `vizmeta ${command}`;
  if (code === 'commander.unknownOption' && command !== undefined && JOB_COMMANDS.has(command)) {
    return `${where}: ${text}; put the job's own options after --: ${jobLine(command, argv.slice(argv.indexOf(command) + 1))}\n`;
  }
  const help = command === undefined ? 'vizmeta --help lists the commands' : `vizmeta ${command} --help for usage`;
  return `${where}: ${text} (${help})\n`;
}

/**
 * `vizmeta run -- python3 train.py --lr 0.1` from `python3 train.py --lr 0.1`: the job's command
 * is the first word that is not an option; vizmeta's own options before it stay before `--`.
 * Without such a word, the general form.
 */
function jobLine(command: string, args: readonly string[]): string {
  const at = args.findIndex((arg) => !arg.startsWith('-'));
  // A word right after an option may be that option's value (--save run.log): then say it generally.
  if (at === -1 || (at > 0 && !(args[at - 1] as string).includes('='))) return `vizmeta ${command} [OPTIONS] -- CMD [ARGS...]`;
  return ['vizmeta', command, ...args.slice(0, at), '--', ...args.slice(at)].map(shellWord).join(' ');
}

/** A word as a shell reads it back: quoted when it holds anything but plain characters. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
