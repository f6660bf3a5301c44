/**
 * Every command, registered on the program. One file per command under src/commands/.
 */
import type { Command } from 'commander';
import type { CommandIO } from '../io.js';
import type { ExitSlot } from '../program.js';
import { registerExtract } from './extract.js';
import { registerSort } from './sort.js';
import { registerGate } from './gate.js';
import { registerStats } from './stats.js';
import { registerCompare } from './compare.js';
import { registerTable } from './table.js';
import { registerChart } from './chart.js';
import { registerDemo } from './demo.js';
import { registerRun } from './run.js';
import { registerWatch } from './watch.js';
import { registerMatrix } from './matrix.js';
import { registerRoc } from './roc.js';
import { registerView } from './view.js';

export function registerCommands(program: Command, io: CommandIO, exit: ExitSlot): void {
  registerExtract(program, io, exit);
  registerSort(program, io, exit);
  registerGate(program, io, exit);
  registerStats(program, io, exit);
  registerCompare(program, io, exit);
  registerTable(program, io, exit);
  registerWatch(program, io, exit);
  registerRun(program, io, exit);
  registerMatrix(program, io, exit);
  registerRoc(program, io, exit);
  registerView(program, io, exit);
  registerDemo(program, io, exit);
  registerChart(program, io, exit);
}
