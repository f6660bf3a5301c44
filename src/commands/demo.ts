/**
 * `vizmeta demo`: the bundled simulated training job (examples/train.mjs) under `vizmeta run`,
 * so a new user sees the live dashboard with one command.
 */
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import type { CommandIO } from '../core/io.js';
import { addDashboardOptions, addStopOptions, resolveStopFlags } from '../live/options.js';
import { superviseJob, type JobOptions, type LiveDeps } from '../live/supervise.js';
import { readOptionsFrom } from '../options/input.js';
import type { ExitSlot } from '../core/errors.js';

/** The demo job; the same relative path from src/commands/ and dist/commands/. */
export const DEMO_SCRIPT = fileURLToPath(new URL('../../examples/train.mjs', import.meta.url));
/** The same job in Python, printing without flush as most scripts do. */
export const DEMO_PYTHON_SCRIPT = fileURLToPath(new URL('../../examples/train.py', import.meta.url));

export interface DemoOptions extends JobOptions {
  /** Run the Python job (python3 examples/train.py) instead of the Node one. */
  python?: boolean;
}

export async function runDemo(options: DemoOptions, io: CommandIO, deps: LiveDeps = {}): Promise<number> {
  const { python, ...job } = resolveStopFlags(options, io);
  const argv = python ? ['python3', DEMO_PYTHON_SCRIPT] : [process.execPath, DEMO_SCRIPT];
  return superviseJob(argv, job, readOptionsFrom({}), io, { ...deps, title: `demo: examples/${python ? 'train.py' : 'train.mjs'}` });
}

export function registerDemo(program: Command, io: CommandIO, exit: ExitSlot): void {
  const command = program
    .command('demo')
    .description('run a bundled simulated training job (about 10 s) under vizmeta run, to see the live dashboard')
    .option('--save <file>', 'also write its output to FILE with a timestamp per line')
    .option('--python', 'run the same job in Python (python3 examples/train.py), printing without flush: live all the same');
  addDashboardOptions(command);
  addStopOptions(command);
  command.addHelpText('after', `
The job is examples/train.mjs: loss, accuracy and a learning rate per step, validation metrics
every 20 steps, one NaN, a warning on stderr and a confusion matrix at the end. With --python
it is examples/train.py, the same job as a Python script that prints without flush: run sets
PYTHONUNBUFFERED=1, so its lines still arrive as they are printed.

Examples:
  vizmeta demo
  vizmeta demo --python                             the same job in Python
  vizmeta demo --smooth 0.6 --keys loss+val_loss
  vizmeta demo --monitor val_loss --patience 2      stopped by the plateau rule
  vizmeta demo --stop-when 'accuracy > 0.8'
  vizmeta demo --save demo.log && vizmeta extract demo.log`);
  command.action(async (options: DemoOptions) => {
    exit.code = await runDemo(options, io);
  });
}
