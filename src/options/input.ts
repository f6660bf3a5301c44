/**
 * What every reading command shares: the input options (`--loose`, `--max-line-bytes`),
 * how inputs are resolved (no file → stdin; stdin a terminal → usage, not a hang),
 * and how diagnostics reach stderr.
 */
import type { Command } from 'commander';
import { InputError, UsageError } from '../core/errors.js';
import { formatDiagnostic, type CommandIO } from '../core/io.js';
import { DEFAULT_MAX_LINE_BYTES, type ReadOptions } from '../parsers/source.js';
import type { Diagnostic } from '../core/types.js';
import { DIALECTS, parseDialects, type Dialect } from '../parsers/dialects/dialects.js';

/** Options every command that reads metadata accepts. */
export interface InputOptions {
  /** Take the first JSON object anywhere in a line. Default false. */
  loose?: boolean;
  /** Skip lines longer than this many bytes. Default 16 MiB. */
  maxLineBytes?: number;
  /** `--dialect`: the dialects read (JSON always). Default every dialect. */
  dialect?: Set<Dialect>;
}

export function parseByteSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?$/i.exec(text.trim());
  if (!m) throw new UsageError(`--max-line-bytes: expected a size such as 1048576, 512K or 16M, got '${text}'`);
  const unit = (m[2] ?? 'b').toLowerCase()[0];
  const factor = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  const bytes = Math.floor(Number(m[1]) * factor);
  if (bytes < 1) throw new UsageError('--max-line-bytes must be at least 1');
  return bytes;
}

export function addInputOptions(command: Command): Command {
  return command
    .option('--loose', 'also take a JSON object that follows other text on a line (first object found)')
    .option('--max-line-bytes <size>', 'skip lines longer than this (e.g. 512K, 16M)', parseByteSize, DEFAULT_MAX_LINE_BYTES)
    .option('--dialect <list>', `read only these forms besides JSON: ${DIALECTS.filter((d) => d !== 'json').join(', ')} (default all; json alone is Valohai's rule)`, parseDialects);
}

export function readOptionsFrom(options: InputOptions): ReadOptions {
  const read: ReadOptions = { loose: Boolean(options.loose), maxLineBytes: options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES };
  if (options.dialect !== undefined && options.dialect.size < DIALECTS.length) read.dialects = options.dialect;
  return read;
}

/** Thrown when there is nothing to read and stdin is a terminal: the CLI prints the command's usage. */
export class NoInputError extends UsageError {
  constructor(readonly command: Command) {
    super('no input: name a file, or pipe a job\'s output into vizmeta');
  }
}

/** No file arguments means stdin; refuses to wait on an interactive terminal. */
export function resolveInputs(files: readonly string[], io: CommandIO, command: Command): string[] {
  const inputs = files.length === 0 ? ['-'] : [...files];
  if (inputs.includes('-') && io.stdinIsTTY) throw new NoInputError(command);
  if (inputs.filter((input) => input === '-').length > 1) throw new UsageError("stdin ('-') can be read only once");
  return inputs;
}

/** Writes diagnostics to stderr as they come. */
export function diagnosticWriter(io: CommandIO): (diagnostic: Diagnostic) => void {
  return (diagnostic) => {
    io.stderr.write(formatDiagnostic(diagnostic));
  };
}

/**
 * Starts reading every input at once and yields the results in input order, so several files
 * render without waiting on each other beyond I/O while the output stays in order. An input
 * that fails with an InputError or UsageError is handed to `onInputError` and skipped.
 */
export async function* concurrentlyInOrder<T>(
  inputs: readonly string[],
  read: (input: string) => Promise<T>,
  onInputError: (error: InputError | UsageError) => void,
): AsyncGenerator<T> {
  const pending = inputs.map((input) => read(input).then(
    (result) => ({ ok: true as const, result }),
    (error: unknown) => ({ ok: false as const, error }),
  ));
  for (const promise of pending) {
    const outcome = await promise;
    if (outcome.ok) {
      yield outcome.result;
      continue;
    }
    if (!(outcome.error instanceof InputError || outcome.error instanceof UsageError)) throw outcome.error;
    onInputError(outcome.error);
  }
}
