/**
 * The edge between commands and the process: streams, terminal facts and environment
 * come in as one object, so commands can be run in-process by tests with fake streams.
 */
import type { Readable, Writable } from 'node:stream';
import { escapeForTerminal } from './escape.js';
import type { Diagnostic } from './types.js';

export interface CommandIO {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  stdinIsTTY: boolean;
  stdoutIsTTY: boolean;
  /** Terminal width in columns (80 when unknown). */
  columns: number;
  /** Terminal height in rows (24 when unknown). */
  rows: number;
  env: Record<string, string | undefined>;
  cwd: string;
}

/**
 * stdin as the input layer takes it: the stream, or a function that gives it when `-` is read.
 * Commands pass `() => io.stdin`, since making process.stdin loads stream code (and, for a pipe,
 * Node's networking code) that a command over files never needs.
 */
export type StdinSource = Readable | (() => Readable);

export function stdinStream(source: StdinSource): Readable {
  return typeof source === 'function' ? source() : source;
}

/** process.stderr once processIO's `stderr` has made it. */
let stderrInUse: NodeJS.WriteStream | undefined;

/** process.stdout, and process.stderr if it has been made: the streams to flush before exiting. */
export function processStreamsInUse(): NodeJS.WriteStream[] {
  return stderrInUse === undefined ? [process.stdout] : [process.stdout, stderrInUse];
}

export function processIO(): CommandIO {
  return {
    // process.stdin is made on first use, and making it loads Node's stream machinery (2 ms of a
    // small log's run): a command given files never touches it.
    get stdin() {
      return process.stdin;
    },
    stdout: process.stdout,
    // Made on first use too: to a pipe (a CI step's log), making it loads Node's networking
    // code, 3 ms that a run with nothing to say need not spend.
    get stderr() {
      if (stderrInUse === undefined) {
        stderrInUse = process.stderr;
        stderrInUse.on('error', keepGoingWithoutStderr);
      }
      return stderrInUse;
    },
    get stdinIsTTY() {
      return Boolean(process.stdin.isTTY);
    },
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    columns: process.stdout.columns || Number(process.env['COLUMNS']) || 80,
    rows: process.stdout.rows || Number(process.env['LINES']) || 24,
    env: process.env,
    cwd: process.cwd(),
  };
}

/**
 * A closed stderr loses the diagnostics, nothing else: the command goes on and its status stands
 * (exiting 0 here would turn a failed gate into a pass).
 */
function keepGoingWithoutStderr(error: NodeJS.ErrnoException): void {
  if (error.code !== 'EPIPE') throw error;
}

/**
 * Colour only when stdout is a terminal, unless told otherwise:
 * `--no-color` and NO_COLOR turn it off, FORCE_COLOR (not "0") turns it on.
 */
export function resolveColor(io: CommandIO, flag: boolean | undefined): boolean {
  if (flag === false) return false;
  const noColor = io.env['NO_COLOR'];
  if (noColor !== undefined && noColor !== '') return false;
  const force = io.env['FORCE_COLOR'];
  if (force !== undefined) return force !== '0' && force !== 'false';
  return io.stdoutIsTTY;
}

/**
 * Writes and waits for the stream to drain when its buffer is full (backpressure). A stream that
 * is closed or fails meanwhile (a reader that went away) ends the wait instead of hanging it:
 * what a closed pipe means is decided in one place, src/program.ts.
 */
export async function write(stream: Writable, text: string | Uint8Array): Promise<void> {
  if (stream.destroyed || stream.writableEnded) return;
  if (stream.write(text)) return;
  if (stream.destroyed) return;
  await drained(stream);
}

/** Resolves when a full stream drains, or closes or fails (a reader that went away must not hang us). */
export function drained(stream: Writable): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = (): void => {
      stream.off('drain', done);
      stream.off('close', done);
      stream.off('error', done);
      resolve();
    };
    stream.once('drain', done);
    stream.once('close', done);
    stream.once('error', done);
  });
}

const closedPipeHandlers = new WeakMap<Writable, (error: NodeJS.ErrnoException) => void>();

/**
 * Lets a command decide what its stdout closing (EPIPE) or failing (ENOSPC, EIO: `error` says
 * which) means instead of the default (a quiet exit 0, or one line and exit 2): `run` must still
 * wait for its job and flush its saved log, `gate` keeps its answer. Returns the undo.
 */
export function onClosedPipe(stream: Writable, handler: (error: NodeJS.ErrnoException) => void): () => void {
  closedPipeHandlers.set(stream, handler);
  return () => {
    if (closedPipeHandlers.get(stream) === handler) closedPipeHandlers.delete(stream);
  };
}

/** The handler a command registered with {@link onClosedPipe}, if any. */
export function closedPipeHandler(stream: Writable): ((error: NodeJS.ErrnoException) => void) | undefined {
  return closedPipeHandlers.get(stream);
}

/** One diagnostic line on stderr, compiler style: `file:line: message`, escaped for the terminal. */
export function formatDiagnostic(diagnostic: Diagnostic): string {
  const where = diagnostic.source === '-' ? 'stdin' : diagnostic.source;
  // Line 0: the message is about the input as a whole (a framework file's byte offset, a run folder).
  const line = diagnostic.line > 0 ? `:${diagnostic.line}` : '';
  return `${escapeForTerminal(where)}${line}: ${escapeForTerminal(diagnostic.message)}\n`;
}

export function warn(io: CommandIO, message: string): void {
  io.stderr.write(`vizmeta: ${escapeForTerminal(message)}\n`);
}

/** A write error as one line about the file: `run.log: no space left on the device`. */
export function describeWriteError(path: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOSPC': return `${path}: no space left on the device`;
    case 'EDQUOT': return `${path}: disk quota exceeded`;
    case 'EIO': return `${path}: input/output error`;
    case 'EFBIG': return `${path}: file too large`;
    default: return `${path}: cannot write (${(error as Error)?.message ?? String(error)})`;
  }
}
