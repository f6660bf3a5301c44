/**
 * `run --pty`: the job runs on a pseudo-terminal made by util-linux `script`, so that a
 * program that buffers its output on a pipe (C stdio, Ruby, most runtimes besides Python's
 * PYTHONUNBUFFERED) writes each line as it prints it, and shows its colours and progress bars.
 * No native addon: `script` is on every Linux with util-linux.
 *
 * What changes for the job, and why the command line below is built the way it is:
 * - `script` runs the command through `$SHELL -c`, so the argv is quoted for a POSIX shell and
 *   `script` gets SHELL=/bin/sh (a fish or csh login shell would read the quoting differently);
 *   the command line puts the user's SHELL back before it `exec`s the job.
 * - The job `exec`s in place of that shell, so the pid the shell writes to fd 3 first is the
 *   job's: signals are sent to it (and its process group) directly. `script` itself must not
 *   get SIGTERM or SIGINT: it stops passing output on, SIGKILLs the job two seconds later and
 *   exits 0, losing the job's last lines and its status.
 * - The pseudo-terminal is given a size (the log's part of the screen, or 80x24 off a
 *   terminal): one `script` makes from a non-terminal stdin is 0x0, which progress bars misread.
 *
 * Pure: everything here builds strings; child.ts runs them.
 */
import { resolve } from 'node:path';
import { dashboardRows } from './terminal.js';

/** The size of the pseudo-terminal the job sees. */
export interface PtyWindow {
  columns: number;
  rows: number;
}

/** The program `script` is, its arguments and environment for one job. */
export interface ScriptInvocation {
  command: string;
  args: string[];
  env: Record<string, string | undefined>;
}

/** The fd the job's shell writes its pid to (the pipe after stdin, stdout, stderr). */
export const PID_FD = 3;

/** The oldest util-linux whose `script` has `--echo` (2.35, January 2020). */
const MIN_VERSION: readonly [number, number] = [2, 35];

/**
 * One argument quoted for a POSIX shell: inside single quotes nothing is special (not `$`,
 * backticks, `\` or newlines), and a single quote is written as `'\''`. Plain words stay bare
 * so that the command line stays readable in `ps`.
 */
export function shellQuote(arg: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** The shell command line `script --command` runs for `argv`: size the terminal, report the pid, restore SHELL, exec. */
export function ptyCommandLine(argv: readonly string[], window: PtyWindow, userShell: string | undefined): string {
  if (argv.length === 0) throw new Error('ptyCommandLine: empty argv');
  const columns = Math.max(1, Math.floor(window.columns));
  const rows = Math.max(1, Math.floor(window.rows));
  const shell = userShell === undefined ? 'unset SHELL' : `SHELL=${shellQuote(userShell)}; export SHELL`;
  return [
    `stty cols ${columns} rows ${rows} 2>/dev/null`,
    `printf '%s\\n' "$$" >&${PID_FD}`,
    `exec ${PID_FD}>&-`,
    shell,
    `exec ${argv.map(shellQuote).join(' ')}`,
  ].join('; ');
}

/**
 * How to start `argv` under util-linux `script`: quiet (no "Script started" lines), `--return`
 * (the job's exit status, 128+N for signal N, becomes script's), `--echo never` (nothing
 * vizmeta's end writes is echoed into the output), and no typescript file (`/dev/null`).
 */
export function scriptInvocation(argv: readonly string[], window: PtyWindow, env: Readonly<Record<string, string | undefined>>): ScriptInvocation {
  return {
    command: 'script',
    args: ['--quiet', '--return', '--echo', 'never', '--command', ptyCommandLine(argv, window, env['SHELL']), '/dev/null'],
    env: { ...env, SHELL: '/bin/sh' },
  };
}

/**
 * The size the job's terminal gets: on a live dashboard, the log's rows above it and the full
 * width; off a terminal, the 80x24 a terminal has when nothing says otherwise.
 */
export function ptyWindow(columns: number, rows: number, live: boolean): PtyWindow {
  if (!live) return { columns: 80, rows: 24 };
  return { columns, rows: Math.max(1, rows - dashboardRows(rows)) };
}

/**
 * Where the shell would find `command` (a name with a slash as it is, relative to `cwd`; a bare
 * name on the PATH), or undefined when nowhere. The shell under `script` would say "not found"
 * only in the job's output; vizmeta looks first, so `--pty` says it as plainly as a run without.
 */
export function findCommand(command: string, path: string | undefined, cwd: string, isExecutableFile: (file: string) => boolean): string | undefined {
  if (command.includes('/')) {
    const file = resolve(cwd, command);
    return isExecutableFile(file) ? file : undefined;
  }
  for (const dir of (path ?? '/usr/local/bin:/usr/bin:/bin').split(':')) {
    const file = resolve(cwd, dir, command);
    if (isExecutableFile(file)) return file;
  }
  return undefined;
}

/**
 * What is wrong with the `script` whose `--version` printed `text`, or undefined when it is
 * util-linux's and new enough. BSD and macOS `script` take other options.
 */
export function scriptVersionProblem(text: string): string | undefined {
  const match = /util-linux[^\d]*(\d+)\.(\d+)/.exec(text);
  if (!match) return `--pty needs util-linux's script; the script on PATH is another one`;
  const version = [Number(match[1]), Number(match[2])] as const;
  if (version[0] < MIN_VERSION[0] || (version[0] === MIN_VERSION[0] && version[1] < MIN_VERSION[1])) {
    return `--pty needs script from util-linux ${MIN_VERSION.join('.')} or newer (for --echo); found ${version.join('.')}`;
  }
  return undefined;
}
