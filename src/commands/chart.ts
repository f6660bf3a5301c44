/**
 * `vizmeta chart`: the live dashboard's charts for saved logs, printed once. Several files overlay
 * per key, one colour per execution, the legend naming the files.
 */
import type { Command } from 'commander';
import { loadRenderer, runRenderer, type CustomRenderer } from '../render/custom-renderer.js';
import { ExitCode, UsageError, type ExitSlot } from '../core/errors.js';
import { parseKeyGroups } from '../core/keys.js';
import { unknownKeyMessage } from '../core/vocabulary.js';
import { resolveColor, warn, writeOutput, writeThroughStream, type CommandIO } from '../core/io.js';
import { DashboardModel } from '../analyse/dashboard-model.js';
import { parseSmoothing } from '../live/options.js';
import { collectKeys, parseWholeNumber } from '../options/parse.js';
import { dashboardLines } from '../render/dashboard.js';
import { readInputs } from '../input/read-inputs.js';
import type { MetadataRecord } from '../core/types.js';
import { addInputOptions, diagnosticWriter, readOptionsFrom, resolveInputs, type InputOptions } from '../options/input.js';
import { guardWorkflowCommands } from '../render/output.js';

export interface ChartOptions extends InputOptions {
  /** Only these keys, in this order. Default: every numeric key. */
  keys?: string[];
  /** Horizontal axis. Default `step` when present, else the record index; `_time` for elapsed time. */
  x?: string;
  /** Smoothing weight in [0, 1). Default 0. */
  smooth?: number;
  /** Every chart on a log scale. Default: only charts whose values span more than three decades. */
  logY?: boolean;
  /** Plot rows per chart. Default 10. */
  height?: number;
  /** Columns. Default: the terminal's width (80 when unknown). */
  width?: number;
  /** Charts side by side. Default 1. */
  columns?: number;
  /** Leave out the table of latest, min, max and trend. Default false. */
  noTable?: boolean;
  color?: boolean;
  /** An ES module whose default export renders the records instead. */
  renderer?: string;
}

const label = (input: string): string => (input === '-' ? 'stdin' : input);

export async function runChart(inputs: readonly string[], options: ChartOptions, io: CommandIO): Promise<number> {
  // A bad renderer is reported before any input is read.
  const renderer: CustomRenderer | undefined = options.renderer === undefined ? undefined : await loadRenderer(options.renderer, io.cwd);
  const named = parseKeyGroups(options.keys ?? []);
  const model = new DashboardModel({
    // Printed once, the dashboard never switches its x axis: no map to the other step keys.
    stepAxes: false,
    ...(named.length > 0 ? { keys: named } : {}),
    ...(options.x !== undefined ? { x: options.x } : {}),
    ...(options.smooth !== undefined ? { smooth: options.smooth } : {}),
  });
  // Only a custom renderer needs the records themselves; the charts keep bounded series.
  const records: MetadataRecord[] = [];
  let status: number = ExitCode.ok;
  await readInputs(
    inputs,
    () => io.stdin,
    {
      record: (record) => {
        if (renderer) records.push(record);
        else model.observe(record, label(record.source));
      },
      diagnostic: diagnosticWriter(io),
    },
    readOptionsFrom(options),
    {
      onNoRecords: (message) => warn(io, message),
      onError: (message) => {
        warn(io, message);
        status = ExitCode.usage;
      },
      // A summary file (vizmeta summarize) is drawn from the histories it keeps of each key; a
      // custom renderer gets those points as records.
      onSummaryFile: async (path) => (await import('../input/summary-files.js')).readSummaryRecords(path, {
        record: (record) => {
          if (renderer) records.push(record);
          else model.observe(record, label(record.source));
        },
        error: (message) => {
          warn(io, message);
          status = ExitCode.usage;
        },
      }),
    },
  );

  // No input could be read (each said why above): no empty dashboard under the errors.
  if (status === ExitCode.usage && (renderer ? records.length === 0 : model.records === 0)) return status;
  const width = Math.max(20, options.width ?? io.columns);
  const color = resolveColor(io, options.color);
  if (renderer) {
    writeThroughStream(io);
    const text = await runRenderer(renderer, records, {
      files: inputs.map(label),
      keys: options.keys,
      x: options.x,
      smooth: options.smooth,
      width,
      height: options.height,
      color,
    });
    await writeOutput(io, text);
    return status;
  }

  if (model.records > 0) {
    // A named key no input had is a typo or a wrong path: say which keys come closest, as sort does.
    const known = model.knownKeys();
    const where = inputs.length === 1 ? label(inputs[0] as string) : `${inputs.length} inputs`;
    const unknown = named.flat().find((key) => !known.includes(key));
    if (unknown !== undefined) throw new UsageError(unknownKeyMessage(unknown, where, known));
  }
  const lines = dashboardLines(
    { model: model.view(), title: inputs.map(label).join(', ') },
    { width, color, chartHeight: options.height ?? 10, columns: options.columns ?? 1, table: !options.noTable, ...(options.logY ? { logScale: 'log' as const } : {}) },
  );
  await writeOutput(io, guardWorkflowCommands(`${lines.join('\n')}\n`));
  return status;
}

export function registerChart(program: Command, io: CommandIO, exit: ExitSlot): void {
  const command = program
    .command('chart')
    .description('chart the metadata of saved logs, printed once; several files overlay per key')
    .argument('[files...]', 'log files; - or nothing reads stdin')
    .option('--keys <keys>', "chart only these keys, comma-separated; 'loss+val_loss' shares a chart; dotted paths reach nested values", collectKeys)
    .option('--log-y', 'every chart on a log scale (default: only charts whose positive values span more than three decades)')
    .option('--x <key>', 'horizontal axis: a metadata key, or _time for elapsed time (default: step when present, else the record index)')
    .option('--smooth <weight>', 'TensorBoard smoothing weight in [0, 1), e.g. 0.6', parseSmoothing)
    .option('--height <rows>', 'plot rows per chart (default 10)', parseWholeNumber('--height', 2))
    .option('--width <columns>', 'total width (default: the terminal\'s, else 80)', parseWholeNumber('--width', 20))
    .option('--columns <n>', 'charts side by side (default 1)', parseWholeNumber('--columns'))
    .option('--no-table', 'leave out the table of latest, min, max and trend')
    .option('--renderer <module>', 'render with your own ES module instead: its default export (records, options) => string')
    .option('--no-color', 'no colours');
  addInputOptions(command);
  command.addHelpText('after', `
Examples:
  vizmeta chart logs/run.log
  vizmeta chart logs/*.log --keys val_loss,val_accuracy      one colour per file
  vizmeta chart run.log --keys 'loss+val_loss,lr' --log-y    loss and val_loss on one chart
  vizmeta chart run.log --x _time --smooth 0.6 --height 15
  vizmeta chart run.log --renderer ./my-viz.mjs              my-viz.mjs: export default (records, options) => '...'`);
  command.action(async (files: string[], options: ChartOptions & { table?: boolean }) => {
    exit.code = await runChart(resolveInputs(files, io, command), { ...options, noTable: options.table === false }, io);
  });
}
