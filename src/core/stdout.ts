/**
 * The process's stdout, written with writeSync where that is what Node's stream would do anyway,
 * so a run that only prints its result never makes the stream: see {@link takesDirectWrites}.
 * Its own module, with nothing but node:fs, so the CLI entry can answer `--version` with it.
 */
import { fstatSync, statSync, writeSync } from 'node:fs';

/** process.stdout once something has made it: processIO's `stdout`, a terminal's size, a pipe that was full. */
let stdoutInUse: NodeJS.WriteStream | undefined;
/** What main does when stdout cannot be written ({@link listenForStdoutErrors}), for the stream and direct writes alike. */
let stdoutErrorListener: ((error: NodeJS.ErrnoException) => void) | undefined;
/** A direct write failed (a closed pipe a command outlives): later output is dropped, as a destroyed stream drops it. */
let directWritesFailed = false;
/** Whether fd 1 takes direct writes: decided on first use. */
let stdoutTakesDirectWrites: boolean | undefined;

/** process.stdout, made now if nothing has made it yet. */
export function madeStdout(): NodeJS.WriteStream {
  if (stdoutInUse === undefined) {
    stdoutInUse = process.stdout;
    if (stdoutErrorListener !== undefined) stdoutInUse.on('error', stdoutErrorListener);
  }
  return stdoutInUse;
}

/**
 * Whether stdout is a regular file, a pipe or socket, or /dev/null: what Node's own stdout
 * writes synchronously anyway (files, and pipes on Linux and macOS), so writing it directly
 * changes nothing but the cost of making the stream, 2–3 ms of a small log's run (its stream
 * code, and for a pipe Node's networking code). A terminal, or any other device, keeps to the
 * stream, which knows its size; so does Windows, whose pipes Node writes differently.
 */
function takesDirectWrites(): boolean {
  if (stdoutTakesDirectWrites === undefined) {
    stdoutTakesDirectWrites = false;
    if (process.platform !== 'win32') {
      try {
        const stats = fstatSync(1);
        if (stats.isFile() || stats.isFIFO() || stats.isSocket()) stdoutTakesDirectWrites = true;
        else if (stats.isCharacterDevice()) {
          const nul = statSync('/dev/null');
          stdoutTakesDirectWrites = nul.isCharacterDevice() && nul.rdev === stats.rdev;
        }
      } catch {
        // No fd 1 to look at (closed): the stream decides what that means.
      }
    }
  }
  return stdoutTakesDirectWrites;
}

/**
 * Writes to stdout directly where {@link takesDirectWrites} and nothing has made the stream (it
 * would then take every write, so the order holds). Returns what is left for the stream: all of
 * it where direct writes do not apply, undefined when all was written. processIO's writeDirect.
 */
export function writeDirect(text: string | Uint8Array): string | Uint8Array | undefined {
  if (stdoutInUse !== undefined || !takesDirectWrites()) return text;
  if (directWritesFailed) return undefined;
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += writeSync(1, bytes, offset, bytes.length - offset);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EINTR') continue;
      // A pipe left non-blocking by whoever made it, and full: the stream waits for its reader,
      // and takes every write from now on, so the order holds.
      if (code === 'EAGAIN') return bytes.subarray(offset);
      directWritesFailed = true;
      if (stdoutErrorListener === undefined) throw error;
      stdoutErrorListener(error as NodeJS.ErrnoException);
      return undefined;
    }
  }
  return undefined;
}

/** Whether stdout is a terminal: asked of the stream only where stdout is not a file, pipe or /dev/null. */
export function stdoutIsTerminal(): boolean {
  return !takesDirectWrites() && Boolean(madeStdout().isTTY);
}

/** Only a terminal has a size; anything else is as wide as COLUMNS says, else 80. */
export function stdoutColumns(): number {
  return (takesDirectWrites() ? 0 : madeStdout().columns) || Number(process.env['COLUMNS']) || 80;
}

/** A terminal's height; anything else LINES, else 24. */
export function stdoutRows(): number {
  return (takesDirectWrites() ? 0 : madeStdout().rows) || Number(process.env['LINES']) || 24;
}

/** process.stdout if something has made it. */
export function stdoutIfMade(): NodeJS.WriteStream | undefined {
  return stdoutInUse;
}

/** Has `listener` hear of output that cannot be written (a closed pipe, a full disk), directly or through the stream. */
export function listenForStdoutErrors(listener: (error: NodeJS.ErrnoException) => void): void {
  stdoutErrorListener = listener;
  if (stdoutInUse !== undefined) stdoutInUse.on('error', listener);
}
