/**
 * The edge between commands and the process: streams, terminal facts and environment
 * come in as one object, so commands can be run in-process by tests with fake streams.
 */
import type { Readable, Writable } from 'node:stream';
import { escapeForTerminal } from './escape.js';
import { listenForStdoutErrors, madeStdout, stdoutColumns, stdoutIfMade, stdoutIsTerminal, stdoutRows, writeDirect } from './stdout.js';
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
  /**
   * Writes output to stdout at once, without a stream, where that is possible (processIO: stdout
   * is a file, a pipe or /dev/null, and nothing has made the stream yet). Returns what is left
   * for {@link stdout} to take: all of it where direct writes do not apply, undefined when all
   * was written. Absent: everything goes through `stdout`. Use {@link writeOutput}.
   */
  writeDirect?: (text: string | Uint8Array) => string | Uint8Array | undefined;
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
/** The CommandIO objects processIO made: only their stdout is the process's. */
const processIOs = new WeakSet<CommandIO>();

/** process.stdout, and process.stderr, where something has made them: the streams to flush before exiting. */
export function processStreamsInUse(): NodeJS.WriteStream[] {
  const streams: NodeJS.WriteStream[] = [];
  const stdout = stdoutIfMade();
  if (stdout !== undefined) streams.push(stdout);
  if (stderrInUse !== undefined) streams.push(stderrInUse);
  return streams;
}

/**
 * Has `listener` hear of output that cannot be written to the process's stdout (a closed pipe,
 * a full disk), whether written directly or through the stream. For another CommandIO (a test's)
 * it does nothing: its streams are the caller's.
 */
export function onStdoutError(io: CommandIO, listener: (error: NodeJS.ErrnoException) => void): void {
  if (processIOs.has(io)) listenForStdoutErrors(listener);
}

export function processIO(): CommandIO {
  const io: CommandIO = {
    // process.stdin is made on first use, and making it loads Node's stream machinery (2 ms of a
    // small log's run): a command given files never touches it.
    get stdin() {
      return process.stdin;
    },
    // Made on first use as well: most commands write their output with writeOutput, directly.
    get stdout() {
      return madeStdout();
    },
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
    get stdoutIsTTY() {
      return stdoutIsTerminal();
    },
    get columns() {
      return stdoutColumns();
    },
    get rows() {
      return stdoutRows();
    },
    env: process.env,
    cwd: process.cwd(),
    writeDirect,
  };
  processIOs.add(io);
  return io;
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

/**
 * Sends every later write through the stdout stream, for when code vizmeta does not control may
 * write to it (a custom renderer's console.log): its writes could wait in the stream while a
 * direct one went ahead of them.
 */
export function writeThroughStream(io: CommandIO): void {
  if (processIOs.has(io)) madeStdout();
}

/**
 * Writes a command's output: directly where the CommandIO can (see CommandIO.writeDirect), else
 * through its stdout stream, with {@link write}'s backpressure.
 */
export async function writeOutput(io: CommandIO, text: string | Uint8Array): Promise<void> {
  const rest = io.writeDirect === undefined ? text : io.writeDirect(text);
  if (rest !== undefined) await write(io.stdout, rest);
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

const closedPipeHandlers = new WeakMap<CommandIO, (error: NodeJS.ErrnoException) => void>();

/**
 * Lets a command decide what its stdout closing (EPIPE) or failing (ENOSPC, EIO: `error` says
 * which) means instead of the default (a quiet exit 0, or one line and exit 2): `run` must still
 * wait for its job and flush its saved log, `gate` keeps its answer. Returns the undo.
 */
export function onClosedPipe(io: CommandIO, handler: (error: NodeJS.ErrnoException) => void): () => void {
  closedPipeHandlers.set(io, handler);
  return () => {
    if (closedPipeHandlers.get(io) === handler) closedPipeHandlers.delete(io);
  };
}

/** The handler a command registered with {@link onClosedPipe}, if any. */
export function closedPipeHandler(io: CommandIO): ((error: NodeJS.ErrnoException) => void) | undefined {
  return closedPipeHandlers.get(io);
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
