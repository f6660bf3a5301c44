/**
 * `vizmeta matrix`: confusion matrices from training logs, Kubeflow CSVs and per-sample
 * predictions, as a heatmap with scikit-learn's classification report.
 *
 * Each input is read on its own (concurrently) into a list of matrices in the order found;
 * the results are printed in argument order.
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import { ExitCode, InputError, type ExitSlot } from '../core/errors.js';
import { resolveColor, warn, writeOutput, type CommandIO } from '../core/io.js';
import type { Normalization } from '../formats/confusion.js';
import { MatrixBuilder, type InputMatrices, type MatrixReadOptions } from '../analyse/matrix.js';
import { renderMatrices } from '../render/matrix.js';
import { addInputOptions, concurrentlyInOrder, diagnosticWriter, readOptionsFrom, resolveInputs, type InputOptions } from '../options/input.js';
import { displayName, readVisualInput } from '../formats/visual-input.js';
import { KeyPresence } from '../options/execution.js';
import { forReader } from '../render/output.js';
import { expandRemoteGlobs, openNonLocalInput } from '../input/open-input.js';

export type MatrixFormat = 'text' | 'json' | 'markdown';

export interface MatrixOptions extends InputOptions, MatrixReadOptions {
  /** Cell values: counts, or shares of each actual row (`true`), predicted column (`pred`) or of all. Default `none`. */
  normalize: Normalization;
  /** Default `text`. */
  format: MatrixFormat;
  /** `--no-color` sets this false. */
  color?: boolean;
}

/**
 * Reads one input into its confusion matrices. Throws InputError naming `file:line` for a
 * malformed matrix asked for with `--key`, a malformed CSV, or an input without any matrix.
 */
export async function readMatrices(input: string, options: MatrixOptions, io: CommandIO): Promise<InputMatrices> {
  const builder = new MatrixBuilder(input, options);
  // With --key, the keys the records do have: a key this input lacks is named with the closest.
  const presence = options.key !== undefined ? new KeyPresence([options.key]) : undefined;
  const record: typeof builder.add = presence === undefined ? builder.add : (item) => { presence.note(item.values); builder.add(item); };
  let content;
  try {
    content = await readVisualInput(input, io, { record, diagnostic: diagnosticWriter(io) }, readOptionsFrom(options), undefined, openNonLocalInput);
  } catch (error) {
    // A throw from a label mismatch inside the record callback surfaces here too.
    throw error instanceof InputError ? error : new InputError(`${displayName(input)}: ${(error as Error).message}`);
  }
  let finished;
  try {
    finished = builder.finish(content);
  } catch (error) {
    if (presence !== undefined && error instanceof InputError) {
      // Each input is read on its own, so a key missing here is this input's error (exit 2), not the command's.
      try {
        presence.require([displayName(input)]);
      } catch (unknown) {
        throw new InputError((unknown as Error).message);
      }
    }
    throw error;
  }
  const { result, nearMisses } = finished;
  for (const miss of nearMisses) warn(io, `${displayName(input)}:${miss.line}: ${miss.key} is not a confusion matrix (${miss.reason}), skipped`);
  return result;
}

export async function runMatrix(inputs: string[], options: MatrixOptions, io: CommandIO): Promise<number> {
  let status: number = ExitCode.ok;
  const color = resolveColor(io, options.color);
  const width = Math.max(20, io.columns);
  const results: InputMatrices[] = [];
  let printed = false;
  const onInputError = (error: Error): void => {
    warn(io, error.message);
    status = ExitCode.usage;
  };
  // Every input is read at once; each is printed when it and the ones before it are done.
  for await (const result of concurrentlyInOrder(inputs, (input) => readMatrices(input, options, io), onInputError)) {
    if (options.format === 'json') {
      results.push(result);
      continue;
    }
    const text = renderMatrices([result], { ...options, color, width });
    await writeOutput(io, forReader((printed ? '\n' : '') + text, options.format ?? 'text', io.stdoutIsTTY));
    printed = true;
  }
  if (options.format === 'json') await writeOutput(io, forReader(renderMatrices(results, { ...options, color, width }), 'json', io.stdoutIsTTY));
  return status;
}

export function registerMatrix(program: Command, io: CommandIO, exit: ExitSlot): void {
  const command = program
    .command('matrix')
    .description('confusion matrices from logs, Kubeflow CSVs or per-sample predictions: heatmap, per-class precision/recall/F1, accuracy')
    .argument('[files...]', 'metadata logs, CSV files (target,predicted,count or per-sample); - or nothing reads stdin')
    .option('--key <key>', 'read only this metadata key (default: any key whose value is a confusion matrix)')
    .option('--all', 'every matrix of each file, in order (default: the latest of each file)')
    .addOption(new Option('--normalize <mode>', 'cell values: counts (none), share of each actual row (true), predicted column (pred), or of all').choices(['none', 'true', 'pred', 'all']).default('none'))
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'markdown']).default('text'))
    .option('--labels <labels>', 'comma-separated labels: their order for CSV and per-sample inputs, names for a metadata matrix\'s classes')
    .option('--actual-col <column>', 'per-sample inputs: the column with the true class (default: actual, target, y_true or label)')
    .option('--predicted-col <column>', 'per-sample inputs: the column with the predicted class (default: predicted, y_pred or prediction)')
    .option('--no-color', 'no colours, even on a terminal');
  addInputOptions(command);
  command.addHelpText('after', `
Examples:
  vizmeta matrix train.log                        the latest matrix the job printed
  vizmeta matrix --all --key val_cm train.log     every val_cm, in order
  vizmeta matrix --normalize true train.log       rows as shares of each actual class (recall)
  vizmeta matrix --labels cat,dog,bird confusion_matrix.csv    Kubeflow's target,predicted,count
  vizmeta matrix --format markdown run.log >> "$GITHUB_STEP_SUMMARY"

Inputs: files ending in .csv are CSV; .jsonl, .ndjson, .json and .log are logs; others
(and stdin) are CSV when their first lines are comma-separated without '{'.`);
  command.action(async (files: string[], options: MatrixOptions) => {
    exit.code = await runMatrix(await expandRemoteGlobs(resolveInputs(files, io, command)), options, io);
  });
}
