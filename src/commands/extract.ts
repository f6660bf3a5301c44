/**
 * `vizmeta extract`: the metadata records of one or more logs as JSON lines (or CSV).
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import { ExitCode, UsageError, type ExitSlot } from '../core/errors.js';
import { writeOutput, warn, type CommandIO } from '../core/io.js';
import { JsonLineWriter, type SourceFields } from '../parsers/fast/canonical.js';
import { escapeForTerminal, escapeJsonForTerminal } from '../core/escape.js';
import type { NonFiniteStyle } from '../render/json.js';
import { CsvRecords, recordJsonLine } from '../render/extract.js';
import { readInputs } from '../input/read-inputs.js';
import { expandInputs, needsExpanding } from '../input/frameworks.js';
import type { MetadataRecord } from '../core/types.js';
import { addInputOptions, diagnosticWriter, readOptionsFrom, resolveInputs, type InputOptions } from '../options/input.js';

export interface ExtractOptions extends InputOptions {
  /** Output format. Default `json` (one object per line). */
  format: 'json' | 'csv';
  /** Add `_source` (the input as given, `-` for stdin) and `_line` to every record, even from one input. Default false. */
  withSource?: boolean;
  /**
   * Add `_source` when the inputs hold more than one execution, so rows from several runs can be
   * told apart; false (`--no-source`) leaves it out. One input never gets it unless `withSource`.
   * Default true.
   */
  source?: boolean;
  /** How NaN and ±Infinity are written in JSON. Default `null` (valid JSON). */
  nan: NonFiniteStyle;
}

export async function runExtract(inputs: string[], options: ExtractOptions, io: CommandIO): Promise<number> {
  const fields = await sourceFields(inputs, options);
  let status: number = ExitCode.ok;
  const onError = (message: string): void => {
    warn(io, message);
    status = ExitCode.usage;
  };

  if (options.format === 'json') {
    const jsonLine = (record: MetadataRecord): string => recordJsonLine(record, fields, options.nan);
    const diagnostic = diagnosticWriter(io);
    if (!io.stdoutIsTTY) {
      // Bytes, not strings: the reader copies clean lines straight into the writer (its output is
      // what jsonLine would print for them, whatever the --nan style: it takes no NaN), and the
      // other records are printed here, in their place. One write per input chunk; reading waits
      // while stdout is full.
      const writer = new JsonLineWriter(fields);
      const sink = {
        record: (record: MetadataRecord) => writer.appendText(`${jsonLine(record)}\n`),
        diagnostic,
        afterChunk: async () => {
          if (writer.length > 0) await writeOutput(io, writer.take());
        },
      };
      await readInputs(inputs, () => io.stdin, sink, { ...readOptionsFrom(options), jsonLines: writer }, { onError, onNoRecords: (message) => warn(io, message) });
      await sink.afterChunk();
      return status;
    }
    // On a terminal: JSON.stringify escapes C0 controls; C1 and bidi controls are escaped too.
    let batch: string[] = [];
    const sink = {
      record: (record: MetadataRecord) => {
        batch.push(jsonLine(record));
      },
      diagnostic,
      afterChunk: async () => {
        if (batch.length === 0) return;
        const text = escapeJsonForTerminal(batch.join('\n') + '\n');
        batch = [];
        await writeOutput(io, text);
      },
    };
    await readInputs(inputs, () => io.stdin, sink, readOptionsFrom(options), { onError, onNoRecords: (message) => warn(io, message) });
    await sink.afterChunk();
    return status;
  }

  // CSV needs the union of keys for its header, so the rows are held until the input ends.
  const csv = new CsvRecords(fields);
  await readInputs(inputs, () => io.stdin, { record: (record) => csv.add(record), diagnostic: diagnosticWriter(io) }, readOptionsFrom(options), { onError, onNoRecords: (message) => warn(io, message) });
  // On a terminal, CSV is for reading: a cell's control characters are shown escaped, not run.
  const display = io.stdoutIsTTY ? escapeForTerminal : (row: string) => row;
  for (const line of csv.lines()) await writeOutput(io, display(line) + '\n');
  return status;
}

/**
 * What says where each record came from: `_source` and `_line` with --with-source; `_source` alone
 * when the inputs hold several executions (unless --no-source); nothing for one.
 */
async function sourceFields(inputs: readonly string[], options: ExtractOptions): Promise<SourceFields> {
  if (options.withSource === true) return 'source+line';
  if (options.source === false) return 'none';
  return (await severalExecutions(inputs)) ? 'source' : 'none';
}

/**
 * Whether the inputs hold more than one execution, counted as readInputs reads them. Every input
 * gives at least one (a folder with nothing readable keeps its place), so only a lone folder or
 * framework file needs looking into; readInputs searches it again and reports what it skips, so
 * warnings are not wanted here.
 */
async function severalExecutions(inputs: readonly string[]): Promise<boolean> {
  if (inputs.length !== 1) return inputs.length > 1;
  if (!needsExpanding(inputs)) return false;
  return (await expandInputs(inputs, { onWarning: () => undefined })).length > 1;
}

export function registerExtract(program: Command, io: CommandIO, exit: ExitSlot): void {
  const command = program
    .command('extract')
    .description('print the metadata records of training logs as JSON lines (or CSV)')
    .argument('[files...]', 'log files; - or nothing reads stdin')
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'csv']).default('json'))
    .option('--with-source', 'add _source (file as given, - for stdin) and _line to every record, even from one input')
    .addOption(new Option('--no-source', 'leave out the _source added when the inputs hold several executions (files, or runs in a folder)').conflicts('withSource'))
    .addOption(new Option('--nan <style>', 'how NaN and ±Infinity are written in JSON: null (valid JSON), string ("NaN"), or python (bare NaN, as json.dumps writes)').choices(['null', 'string', 'python']).default('null'));
  addInputOptions(command);
  command.addHelpText('after', `
Examples:
  vizmeta extract train.log                      one JSON object per metadata line, with _time
  python train.py | vizmeta extract --with-source
  vizmeta extract --format csv logs/*.log > runs.csv   a _source column says which log each row is from
  kubectl logs --timestamps job/train | vizmeta extract   the timestamps become _time
  vizmeta extract --dialect json train.log       only JSON lines, as Valohai reads them
  vizmeta extract out/trainer_state.json         a framework's own file: Hugging Face's log_history`);
  command.action(async (files: string[], options: ExtractOptions) => {
    if (options.format !== 'json' && options.format !== 'csv') throw new UsageError(`unknown format ${String(options.format)}`);
    exit.code = await runExtract(resolveInputs(files, io, command), options, io);
  });
}
