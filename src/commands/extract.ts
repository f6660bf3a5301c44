/**
 * `vizmeta extract`: the metadata records of one or more logs as JSON lines (or CSV).
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import { ExitCode, UsageError, type ExitSlot } from '../core/errors.js';
import { write, warn, type CommandIO } from '../core/io.js';
import { JsonLineWriter } from '../parsers/fast/canonical.js';
import { flattenValues } from '../parsers/metadata.js';
import { csvRow, type CsvCell } from '../render/csv.js';
import { escapeForTerminal, escapeJsonForTerminal } from '../core/escape.js';
import { toJsonLine, type NonFiniteStyle } from '../render/json.js';
import { readInputs } from '../input/read-inputs.js';
import type { JsonObject, JsonValue, MetadataRecord } from '../core/types.js';
import { addInputOptions, diagnosticWriter, readOptionsFrom, resolveInputs, type InputOptions } from '../options/input.js';

export interface ExtractOptions extends InputOptions {
  /** Output format. Default `json` (one object per line). */
  format: 'json' | 'csv';
  /** Add `_source` (the input as given, `-` for stdin) and `_line`. Default false. */
  withSource?: boolean;
  /** How NaN and ±Infinity are written in JSON. Default `null` (valid JSON). */
  nan: NonFiniteStyle;
}

function recordObject(record: MetadataRecord, withSource: boolean): Record<string, JsonValue> {
  // Object.defineProperty keeps a `__proto__` key as data in the copy.
  const out: Record<string, JsonValue> = {};
  for (const key of Object.keys(record.values)) {
    Object.defineProperty(out, key, { value: record.values[key], writable: true, enumerable: true, configurable: true });
  }
  out['_time'] = record.time;
  if (withSource) {
    out['_source'] = record.source;
    out['_line'] = record.line;
  }
  return out;
}

/**
 * The default (`--nan null`) JSON line of a record without the copy recordObject makes:
 * JSON.stringify of the values with `_time` (and `_source`, `_line`) spliced in before the
 * closing brace. Same text as toJsonLine(recordObject(...)) whenever those keys are not
 * already among the values; the caller checks that.
 */
function fastJsonLine(record: MetadataRecord, withSource: boolean): string {
  const body = JSON.stringify(record.values);
  // record.time comes from Date#toISOString: nothing in it needs escaping.
  let tail = `"_time":"${record.time}"`;
  if (withSource) tail += `,"_source":${JSON.stringify(record.source)},"_line":${record.line}`;
  return body.length === 2 ? `{${tail}}` : `${body.slice(0, -1)},${tail}}`;
}

function canSplice(values: JsonObject, withSource: boolean): boolean {
  if (Object.hasOwn(values, '_time')) return false;
  return !withSource || (!Object.hasOwn(values, '_source') && !Object.hasOwn(values, '_line'));
}

export async function runExtract(inputs: string[], options: ExtractOptions, io: CommandIO): Promise<number> {
  const withSource = Boolean(options.withSource);
  let status: number = ExitCode.ok;
  const onError = (message: string): void => {
    warn(io, message);
    status = ExitCode.usage;
  };

  if (options.format === 'json') {
    const plain = options.nan === 'null';
    const jsonLine = (record: MetadataRecord): string =>
      plain && canSplice(record.values, withSource) ? fastJsonLine(record, withSource) : toJsonLine(recordObject(record, withSource), options.nan);
    const diagnostic = diagnosticWriter(io);
    if (!io.stdoutIsTTY) {
      // Bytes, not strings: the reader copies clean lines straight into the writer (its output is
      // what jsonLine would print for them, whatever the --nan style: it takes no NaN), and the
      // other records are printed here, in their place. One write per input chunk; reading waits
      // while stdout is full.
      const writer = new JsonLineWriter(withSource);
      const sink = {
        record: (record: MetadataRecord) => writer.appendText(`${jsonLine(record)}\n`),
        diagnostic,
        afterChunk: async () => {
          if (writer.length > 0) await write(io.stdout, writer.take());
        },
      };
      await readInputs(inputs, io.stdin, sink, { ...readOptionsFrom(options), jsonLines: writer }, { onError, onNoRecords: (message) => warn(io, message) });
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
        await write(io.stdout, text);
      },
    };
    await readInputs(inputs, io.stdin, sink, readOptionsFrom(options), { onError, onNoRecords: (message) => warn(io, message) });
    await sink.afterChunk();
    return status;
  }

  // CSV needs the union of keys for its header, so the rows are held until the input ends.
  const rows: Array<Map<string, JsonValue>> = [];
  const columns = new Map<string, true>();
  const sink = {
    record: (record: MetadataRecord) => {
      const flat = flattenValues(recordObject(record, withSource));
      for (const key of flat.keys()) columns.set(key, true);
      rows.push(flat);
    },
    diagnostic: diagnosticWriter(io),
  };
  await readInputs(inputs, io.stdin, sink, readOptionsFrom(options), { onError, onNoRecords: (message) => warn(io, message) });
  // `_time` (and `_source`, `_line`) go last, after the metadata keys.
  const names = [...columns.keys()];
  const tail = ['_time', '_source', '_line'].filter((name) => columns.has(name));
  const header = [...names.filter((name) => !tail.includes(name)), ...tail];
  // On a terminal, CSV is for reading: a cell's control characters are shown escaped, not run.
  const display = io.stdoutIsTTY ? escapeForTerminal : (row: string) => row;
  if (rows.length > 0) {
    await write(io.stdout, display(csvRow(header)) + '\n');
    for (const row of rows) {
      await write(io.stdout, display(csvRow(header.map((name) => toCsvCell(row.get(name))))) + '\n');
    }
  }
  return status;
}

function toCsvCell(value: JsonValue | undefined): CsvCell {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return value;
}

export function registerExtract(program: Command, io: CommandIO, exit: ExitSlot): void {
  const command = program
    .command('extract')
    .description('print the metadata records of training logs as JSON lines (or CSV)')
    .argument('[files...]', 'log files; - or nothing reads stdin')
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'csv']).default('json'))
    .option('--with-source', 'add _source (file as given, - for stdin) and _line to every record')
    .addOption(new Option('--nan <style>', 'how NaN and ±Infinity are written in JSON: null (valid JSON), string ("NaN"), or python (bare NaN, as json.dumps writes)').choices(['null', 'string', 'python']).default('null'));
  addInputOptions(command);
  command.addHelpText('after', `
Examples:
  vizmeta extract train.log                      one JSON object per metadata line, with _time
  python train.py | vizmeta extract --with-source
  vizmeta extract --format csv logs/*.log > metadata.csv
  kubectl logs --timestamps job/train | vizmeta extract   the timestamps become _time`);
  command.action(async (files: string[], options: ExtractOptions) => {
    if (options.format !== 'json' && options.format !== 'csv') throw new UsageError(`unknown format ${String(options.format)}`);
    exit.code = await runExtract(resolveInputs(files, io, command), options, io);
  });
}
