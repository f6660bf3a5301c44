/**
 * `vizmeta roc`: ROC curves and their AUC, from metadata holding `fpr`/`tpr`/`thresholds`
 * arrays, from Kubeflow's generated `fpr,tpr,thresholds` CSV, or computed from raw per-sample
 * scores (CSV or JSON lines) the way scikit-learn's `roc_curve` does. Several inputs overlay
 * on one chart whose x axis is fpr on its true scale.
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import { ExitCode, InputError, UsageError, type ExitSlot } from '../core/errors.js';
import { resolveColor, warn, writeOutput, type CommandIO } from '../core/io.js';
import { DEFAULT_MAX_ROWS, RocCurveBuilder, type InputCurves, type RocReadOptions } from '../analyse/roc-input.js';
import { renderRoc, renderRocJson } from '../render/roc.js';
import { addInputOptions, diagnosticWriter, readOptionsFrom, resolveInputs, type InputOptions } from '../options/input.js';
import { readVisualInput } from '../formats/visual-input.js';
import { parseWholeNumber } from '../options/parse.js';
import { forReader } from '../render/output.js';
import { expandRemoteGlobs, openNonLocalInput } from '../input/open-input.js';

export type RocFormat = 'text' | 'json' | 'markdown';

export interface RocOptions extends InputOptions, RocReadOptions {
  /** Default `text`. */
  format: RocFormat;
  /** Chart rows. Default 16. */
  height?: number;
  /** `--no-color` sets this false. */
  color?: boolean;
}

/** Reads one input into its ROC curves. Throws InputError naming `file:line` on bad data. */
export async function readCurves(input: string, options: RocOptions, io: CommandIO): Promise<InputCurves> {
  const builder = new RocCurveBuilder(input, options);
  const content = await readVisualInput(input, io, { record: builder.add, diagnostic: diagnosticWriter(io) }, readOptionsFrom(options), builder.csvText, openNonLocalInput);
  return builder.finish(content);
}

export async function runRoc(inputs: string[], options: RocOptions, io: CommandIO): Promise<number> {
  let status: number = ExitCode.ok;
  const color = resolveColor(io, options.color);
  // Read concurrently; the chart overlays every curve, so it is drawn once all are read.
  const outcomes = await Promise.all(inputs.map((input) => readCurves(input, options, io).then(
    (result) => ({ ok: true as const, result }),
    (error: unknown) => ({ ok: false as const, error }),
  )));
  const results: InputCurves[] = [];
  for (const outcome of outcomes) {
    if (outcome.ok) {
      results.push(outcome.result);
      continue;
    }
    if (!(outcome.error instanceof InputError || outcome.error instanceof UsageError)) throw outcome.error;
    warn(io, outcome.error.message);
    status = ExitCode.usage;
  }
  if (options.format === 'json') {
    await writeOutput(io, forReader(renderRocJson(results, Boolean(options.all)), 'json', io.stdoutIsTTY));
  } else if (results.length > 0) {
    await writeOutput(io, forReader(renderRoc(results, options, { color, width: Math.max(20, io.columns) }), options.format ?? 'text', io.stdoutIsTTY));
  }
  return status;
}

export function registerRoc(program: Command, io: CommandIO, exit: ExitSlot): void {
  const command = program
    .command('roc')
    .description('ROC curves and AUC from metadata fpr/tpr arrays, Kubeflow\'s generated CSV, or raw scores; several files overlay')
    .argument('[files...]', 'metadata logs or CSV files; - or nothing reads stdin')
    .option('--fpr-key <key>', 'metadata key of the false-positive rates', 'fpr')
    .option('--tpr-key <key>', 'metadata key of the true-positive rates', 'tpr')
    .option('--thresholds-key <key>', 'metadata key of the thresholds', 'thresholds')
    .option('--target-col <column>', 'raw scores: the column with the true class (default: target, actual, y_true or label)')
    .option('--score-col <column>', 'raw scores: the column with the positive-class score (default: score, y_score, true, probability, prob or proba)')
    .option('--true-class <value>', 'raw scores: the target value of the positive class (default: 1 for 0/1 targets, true for true/false)')
    .option('--all', 'every curve of each log, in order (default: the latest of each)')
    .option('--max-rows <n>', 'raw scores: at most N rows per input, else exit 2 (an exact curve keeps every score: 8 bytes a row)', parseWholeNumber('--max-rows'), DEFAULT_MAX_ROWS)
    .option('--height <rows>', 'chart rows', parseWholeNumber('--height', 2), 16)
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'markdown']).default('text'))
    .option('--no-color', 'no colours, even on a terminal');
  addInputOptions(command);
  command.addHelpText('after', `
Examples:
  vizmeta roc train.log                           the latest {"fpr": [...], "tpr": [...]} the job printed
  vizmeta roc roc.csv                             Kubeflow's generated fpr,tpr,thresholds (no header)
  vizmeta roc --score-col p_cat --true-class cat predictions.csv    computed like sklearn's roc_curve
  vizmeta roc runs/a.log runs/b.log               overlay, with each curve's AUC

Inputs: files ending in .csv are CSV; .jsonl, .ndjson, .json and .log are logs; others
(and stdin) are CSV when their first lines are comma-separated without '{'.
Raw scores give sklearn's exact curve, so every score is kept (8 bytes a row, CSV read as it
arrives): at most --max-rows rows per input (default ${DEFAULT_MAX_ROWS}, about 80-160 MB);
more is an error (exit 2) that says so.`);
  command.action(async (files: string[], options: RocOptions) => {
    exit.code = await runRoc(await expandRemoteGlobs(resolveInputs(files, io, command)), options, io);
  });
}
