/**
 * `vizmeta run -- CMD [ARGS...]`: run a training job, pass its output through, chart its
 * metadata live, stop it when a rule says so, and exit with its status.
 */
import type { Command } from 'commander';
import { UsageError, type ExitSlot } from '../core/errors.js';
import type { CommandIO } from '../core/io.js';
import { addDashboardOptions, addStopOptions, resolveStopFlags } from '../live/options.js';
import { superviseJob, type LiveDeps, type JobOptions } from '../live/supervise.js';
import { addInputOptions, readOptionsFrom, type InputOptions } from '../options/input.js';

export interface RunOptions extends InputOptions, JobOptions {}

export async function runRun(argv: readonly string[], options: RunOptions, io: CommandIO, deps: LiveDeps = {}): Promise<number> {
  return superviseJob(argv, resolveStopFlags(options, io), readOptionsFrom(options), io, deps);
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
    .option('--pty', 'run the command on a pseudo-terminal (util-linux script), for programs that buffer output on a pipe; stdout and stderr then arrive merged')
    .option('--grace <seconds>', 'after an early stop, seconds between SIGTERM and SIGKILL (default 10)', parseGrace);
  addDashboardOptions(command);
  addStopOptions(command);
  addInputOptions(command);
  command.addHelpText('after', `
The command is started directly, without a shell (write sh -c '...' for one). Put -- before it
so that its own options are not read as vizmeta's. Its stdin is the terminal's; its stdout and
stderr are passed through unchanged. It runs in a process group and session of its own (so it
has no /dev/tty): SIGINT, SIGTERM, SIGHUP and SIGQUIT are forwarded to that group, one for one,
and a stop reaches whatever the command started. PYTHONUNBUFFERED=1 is set unless you set it.

With --pty it runs on a pseudo-terminal under util-linux script instead: it line-buffers and
may show colours and progress bars as on your terminal; its stdout and stderr arrive merged
(all of it is parsed), with CRLF line ends; its stdin is that terminal, at end of file.

Exit status: the command's, or 128+N when a signal N ended it; 127 when it is not found, 126
when it cannot be started; --stop-exit-code (default 0) after an early stop; 2 instead of 0
when the output or the --save log could not be written (a full disk).

Examples:
  vizmeta run -- python train.py --epochs 20
  vizmeta run --save logs/run1.log -- python train.py
  vizmeta run --pty -- ./train          # a C or Ruby job that buffers a pipe
  vizmeta run --stop-when 'val_loss > 5 or isnan(loss)' -- python train.py
  vizmeta run --monitor val_loss --patience 5 --grace 30 -- python train.py
  vizmeta run --keys loss,val_loss --smooth 0.6 -- ./train.sh`);
  command.action(async (argv: string[], options: RunOptions) => {
    exit.code = await runRun(argv, options, io);
  });
}
