/**
 * Reading a file as it grows, like `tail -F`: waits for it to appear, reads to the end, polls for
 * more, and starts over when the file is replaced (rotated: a new inode) or truncated.
 */
import { promises as fs } from 'node:fs';
import { addAbortSignal, type Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { checkReadable, openFile } from '../parsers/source.js';

export interface FollowOptions {
  signal: AbortSignal;
  /** How often to look for new bytes at the end of the file, ms. Default 250. */
  pollMs?: number;
  /** Told once when the file is missing, replaced or truncated (tail -F's notices). */
  notice?(message: string): void;
  /** Bytes per read. Default 1 MiB. */
  chunkBytes?: number;
}

/** Yields the file's bytes as they are written, until the signal aborts. */
export async function* followFile(path: string, options: FollowOptions): AsyncGenerator<Buffer> {
  const pollMs = options.pollMs ?? 250;
  const size = options.chunkBytes ?? 1024 * 1024;
  let handle: fs.FileHandle | undefined;
  let inode = -1;
  let position = 0;
  let missingTold = false;
  const wait = async (): Promise<boolean> => {
    try {
      await sleep(pollMs, undefined, { signal: options.signal });
      return true;
    } catch {
      return false;
    }
  };
  try {
    while (!options.signal.aborted) {
      if (!handle) {
        try {
          handle = await fs.open(path, 'r');
          inode = (await handle.stat()).ino;
          position = 0;
          missingTold = false;
        } catch (error) {
          if (!missingTold) options.notice?.(`${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file yet, waiting for it' : 'cannot open, retrying'}`);
          missingTold = true;
          if (!(await wait())) return;
          continue;
        }
      }
      const buffer = Buffer.allocUnsafe(size);
      const { bytesRead } = await handle.read(buffer, 0, size, position);
      if (bytesRead > 0) {
        position += bytesRead;
        yield buffer.subarray(0, bytesRead);
        continue;
      }
      if (!(await wait())) return;
      // At the end: has the file been replaced or truncated since?
      let current: { ino: number; size: number } | undefined;
      try {
        current = await fs.stat(path);
      } catch {
        current = undefined;
      }
      if (!current || current.ino !== inode) {
        // Rotated or removed: finish the old file (tail -F reads what was appended before the move).
        const rest = await readRest(handle, position, size);
        for (const chunk of rest) yield chunk;
        await handle.close();
        handle = undefined;
        options.notice?.(`${path}: ${current ? 'replaced, following the new file' : 'removed, waiting for it'}`);
        missingTold = current === undefined;
      } else if (current.size < position) {
        options.notice?.(`${path}: truncated, reading from the start`);
        position = 0;
      }
    }
  } finally {
    await handle?.close().catch(() => {});
  }
}

async function readRest(handle: fs.FileHandle, from: number, size: number): Promise<Buffer[]> {
  const out: Buffer[] = [];
  let position = from;
  for (;;) {
    const buffer = Buffer.allocUnsafe(size);
    const { bytesRead } = await handle.read(buffer, 0, size, position);
    if (bytesRead === 0) return out;
    position += bytesRead;
    out.push(buffer.subarray(0, bytesRead));
  }
}

/**
 * The bytes of one log input as `watch` reads it: stdin, a file read to its end, or with
 * `follow` a file followed as it grows (`followFile`); reading ends when `signal` aborts.
 * Throws InputError when a file to read to its end cannot be read.
 */
export async function inputChunks(input: string, stdin: Readable, options: FollowOptions & { follow: boolean }): Promise<AsyncIterable<Buffer | string>> {
  if (input !== '-' && options.follow) return followFile(input, options);
  if (input !== '-') await checkReadable(input);
  return addAbortSignal(options.signal, input === '-' ? stdin : openFile(input)) as AsyncIterable<Buffer | string>;
}
