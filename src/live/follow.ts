/**
 * Reading a file as it grows, like `tail -F`, losing nothing it could have read (issue 15, item 6):
 *
 * - Prompt: fs.watch (inotify) on the file's folder wakes the reader on any change there; polling
 *   every `pollMs` is the fallback (no inotify, a watch limit reached, a folder not there yet).
 * - Rotation by rename: the open descriptor is the old file. When the path names another file,
 *   the new one is opened at once (so a second rotation cannot take it away), the old one is read
 *   to its end, and reading goes on in the new one.
 * - Rotation faster than vizmeta looks: a file that was at the path between two looks and has
 *   since been renamed beside it (`train.log.1`, `train.log-2026…`: the name, then `.`, `-` or `_`)
 *   is found by its change time and read whole, in order, before the new file.
 * - Copy-truncate (and truncate-and-regrow within one look): the file is the same but shorter, or
 *   the last bytes read are no longer where they were. The bytes written after the last read went
 *   to the copy, if one beside it starts as this file did and holds the last bytes read at the
 *   same place: they are read from it. Then the file is read again from the start. What cannot be
 *   found is said on stderr.
 * - A line cut by a rotation or a truncation is ended with a newline, so the next file's first
 *   line is not glued to it.
 * - A /proc or /sys file (its size reads 0, yet it reads bytes, different each time) is read once
 *   and not followed, with a notice: it never grows, and re-reading it would repeat it forever.
 * - A FIFO or a character device is read as a stream, as stdin.
 *
 * Limits: bytes written to the old file after vizmeta switched to the new one are not read (as
 * with tail -F); a file that was at the path between two looks and was then deleted, or renamed
 * under another name, is not seen. With inotify a look follows every change within milliseconds.
 * Lines come in order while vizmeta keeps up; a rotated file found late (a machine too busy to
 * look for several rotations) is read when it is found.
 */
import { watch, promises as fs, type FSWatcher, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { addAbortSignal, type Readable } from 'node:stream';
import { checkReadable, openFile } from '../parsers/source.js';

export interface FollowOptions {
  signal: AbortSignal;
  /** How often to look for new bytes when no change is reported (or inotify is not there), ms. Default 250. */
  pollMs?: number;
  /** Told when the file is missing, replaced or truncated, and what could not be read (tail -F's notices). */
  notice?(message: string): void;
  /** Bytes per read. Default 1 MiB. */
  chunkBytes?: number;
  /** Records, not lines (TensorBoard event files): no newline is added where a rotation cut a line. Default false. */
  binary?: boolean;
}

/** Bytes kept from the start and the end of what was read, to know the file again. */
const HEAD_BYTES = 4096;
const TAIL_BYTES = 256;
const NEWLINE = Buffer.from('\n');
/** statfs types of pseudo-file systems: their files say size 0 and are made up afresh on each read. */
const PSEUDO_FS = new Set([0x9fa0 /* proc */, 0x62656572 /* sysfs */]);
/** Rotated names looked at when a file went missing between two looks, or when a copy is looked for. */
const MAX_SIBLINGS = 256;

/** Wakes the reader when its folder changes (inotify), or after `pollMs`; false once aborted. */
class Waker {
  private watcher: FSWatcher | undefined;
  private dirty = false;
  private wake: (() => void) | undefined;

  constructor(private readonly folder: string, private readonly pollMs: number, private readonly signal: AbortSignal) {}

  private ensureWatcher(): void {
    if (this.watcher !== undefined) return;
    try {
      const watcher = watch(this.folder, { persistent: false }, () => this.changed());
      watcher.on('error', () => {
        watcher.close();
        if (this.watcher === watcher) this.watcher = undefined;
      });
      this.watcher = watcher;
    } catch {
      // No inotify, a watch limit reached, or no folder yet: polling does it.
    }
  }

  private changed(): void {
    this.dirty = true;
    this.wake?.();
  }

  /** Resolves true at the next change (at once if one came since the last wait) or after pollMs; false when aborted. */
  async wait(): Promise<boolean> {
    this.ensureWatcher();
    if (this.signal.aborted) return false;
    if (this.dirty) {
      this.dirty = false;
      return true;
    }
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.signal.removeEventListener('abort', done);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.pollMs);
      this.signal.addEventListener('abort', done);
      this.wake = done;
    });
    this.dirty = false;
    return !this.signal.aborted;
  }

  close(): void {
    this.watcher?.close();
    this.watcher = undefined;
  }
}

/** One file being read: its descriptor and identity, how far it was read, and its first and last bytes read. */
interface Tracked {
  handle: fs.FileHandle;
  dev: number;
  ino: number;
  position: number;
  head: Buffer;
  tail: Buffer;
  /**
   * After a truncation whose bytes were found in a copy: that copy's mtime. Copies made after it
   * (turns truncated from the file in between) are read before the file's new first bytes.
   */
  copiedAt?: number;
}

const key = (dev: number, ino: number): string => `${dev}:${ino}`;

function sameFile(a: { dev: number; ino: number }, b: { dev: number; ino: number }): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}



async function statOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await fs.stat(path);
  } catch {
    return undefined;
  }
}

/** Reads `length` bytes at `position` (fewer at the end). */
async function readAt(handle: fs.FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}

/** Yields the file's bytes as they are written, until the signal aborts. */
export async function* followFile(path: string, options: FollowOptions): AsyncGenerator<Buffer> {
  const pollMs = options.pollMs ?? 250;
  const chunkBytes = options.chunkBytes ?? 1024 * 1024;
  const notice = (message: string): void => options.notice?.(`${path}: ${message}`);
  const folder = dirname(path);
  const name = basename(path);
  const waker = new Waker(folder, pollMs, options.signal);
  /** Files read already (dev:ino), so a rotated copy is not read twice. */
  const seen = new Set<string>();
  let current: Tracked | undefined;
  /** The next file, opened as soon as the path named it. */
  let next: Tracked | undefined;
  /** When the path last named the file being read, ms: a file renamed away after it may have been missed. */
  let lastLook = Date.now();
  let missingTold = false;
  /** When the path was gone after naming a file that was read: the lastLook of that file. */
  let removedAt: number | undefined;
  /** Whether what was yielded so far ends a line (or nothing was yielded). */
  let lineEnded = true;

  const open = async (): Promise<Tracked | undefined> => {
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(path, 'r');
    } catch (error) {
      if (!missingTold) notice((error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file yet, waiting for it' : 'cannot open, retrying');
      missingTold = true;
      return undefined;
    }
    missingTold = false;
    const stats = await handle.stat();
    seen.add(key(stats.dev, stats.ino));
    if (seen.size > 4096) seen.delete(seen.values().next().value as string);
    return { handle, dev: stats.dev, ino: stats.ino, position: 0, head: Buffer.alloc(0), tail: Buffer.alloc(0) };
  };

  /**
   * Reads `file` to its end, chunk by chunk, remembering its first and last bytes. Each read starts
   * with the last bytes read before: if they are not there any more, the file was truncated (and
   * perhaps regrown) since, the new bytes are not its continuation, and reading stops there for
   * the caller's next look (unchanged) to decide.
   */
  async function* drain(file: Tracked): AsyncGenerator<Buffer> {
    for (;;) {
      const { size } = await file.handle.stat();
      // Nothing new (or shorter: truncated, for unchanged to tell): no read. A /proc file says 0 at 0.
      if (file.position > 0 && size <= file.position) return;
      const length = Math.min(chunkBytes, Math.max(64 * 1024, size - file.position));
      const overlap = file.tail.length;
      const read = await readAt(file.handle, file.position - overlap, overlap + length);
      if (overlap > 0 && (read.length < overlap || !read.subarray(0, overlap).equals(file.tail))) return;
      // At the start, after a truncation, the file must still begin as it did when its start was looked at.
      if (file.position === 0 && file.head.length > 0 && (read.length < file.head.length || !read.subarray(0, file.head.length).equals(file.head))) return;
      const chunk = read.subarray(overlap);
      if (chunk.length === 0) return;
      if (file.copiedAt !== undefined && file.position === 0) {
        // The file's new start is read: every turn copied before it is beside it now, unless a copy of this very start.
        const copiedAt = file.copiedAt;
        file.copiedAt = undefined;
        yield* readRotated((other) => other.mtimeMs >= copiedAt, 'was truncated more than once between two looks', 'a copy made in between', chunk.subarray(0, HEAD_BYTES));
        yield* endLine('a truncation');
      }
      remember(file, chunk);
      lineEnded = chunk[chunk.length - 1] === 0x0a;
      yield chunk;
      if (chunk.length < length) return;
    }
  }

  function remember(file: Tracked, chunk: Buffer): void {
    if (file.position < HEAD_BYTES) file.head = Buffer.concat([file.head.subarray(0, file.position), chunk]).subarray(0, HEAD_BYTES);
    file.tail = Buffer.from(chunk.length >= TAIL_BYTES ? chunk.subarray(chunk.length - TAIL_BYTES) : Buffer.concat([file.tail, chunk]).subarray(-TAIL_BYTES));
    file.position += chunk.length;
  }

  /** A newline when a file ends mid-line and another begins: the next line stays whole. */
  function* endLine(why: string): Generator<Buffer> {
    if (lineEnded || options.binary === true) return;
    lineEnded = true;
    notice(`the last line was cut by ${why}; ended it with a newline`);
    yield NEWLINE;
  }

  /** Whether `file` still holds what was read from it: not shorter, the last bytes read where they were. */
  const unchanged = async (file: Tracked): Promise<boolean> => {
    const { size } = await file.handle.stat();
    if (size < file.position) return false;
    if (file.position === 0) return (await readAt(file.handle, 0, file.head.length)).equals(file.head);
    if (file.tail.length === 0) return true;
    const now = await readAt(file.handle, file.position - file.tail.length, file.tail.length);
    return now.equals(file.tail);
  };

  /** Files beside the path whose names say they are its rotations (`train.log.1`, `train.log-2026…`), as one listing finds them. */
  const listSiblings = async (): Promise<Array<{ path: string; stats: Stats }>> => {
    let names: string[];
    try {
      names = await fs.readdir(folder);
    } catch {
      return [];
    }
    const out: Array<{ path: string; stats: Stats }> = [];
    for (const entry of names) {
      if (entry.length <= name.length || !entry.startsWith(name) || !'.-_'.includes(entry[name.length] as string)) continue;
      const sibling = join(folder, entry);
      const stats = await statOrUndefined(sibling);
      if (stats?.isFile()) out.push({ path: sibling, stats });
      if (out.length >= MAX_SIBLINGS) break;
    }
    return out;
  };

  /**
   * listSiblings, listed again until two listings agree name for name and file for file: a
   * rotator shifting `.1` → `.2` … while the folder is read makes a listing that misses a file.
   */
  const siblings = async (): Promise<Array<{ path: string; stats: Stats }>> => {
    const identity = (list: Array<{ path: string; stats: Stats }>): string => list.map(({ path: p, stats }) => `${p}\0${key(stats.dev, stats.ino)}\0${stats.size}`).sort().join('\n');
    let list = await listSiblings();
    for (let attempt = 0; attempt < 8; attempt++) {
      const again = await listSiblings();
      if (identity(again) === identity(list)) return again;
      list = again;
    }
    return list;
  };

  /**
   * After a truncation: the bytes written after the last read, from a copy beside the file (one that
   * starts as the file did and holds the last bytes read where they were), then any copies made
   * after it (turns missed between two looks, when copies are kept), read whole. False when no
   * copy is found.
   */
  async function* fromCopy(file: Tracked): AsyncGenerator<Buffer, boolean> {
    if (file.position === 0 && file.head.length === 0) {
      await restart(file, undefined);
      return true;
    }
    // Listed up to three times: a listing made while the writer renames may miss the copy.
    for (let pass = 0; pass < 3; pass++) for (const { path: copy, stats: listed } of await siblings()) {
      // Its content says whether it is the copy (a copy made over an old one keeps its inode).
      if (listed.size < file.position) continue;
      let handle: fs.FileHandle | undefined;
      let stats: Stats;
      try {
        handle = await fs.open(copy, 'r');
        // What was opened, which a rename since the listing may have changed.
        stats = await handle.stat();
        // Known by its first bytes alone (the file was truncated again before it was read past
        // them): a copy read already cannot be it.
        if (file.position === 0 && seen.has(key(stats.dev, stats.ino))) continue;
        const head = await readAt(handle, 0, file.head.length);
        const tail = await readAt(handle, file.position - file.tail.length, file.tail.length);
        if (!head.equals(file.head) || !tail.equals(file.tail)) continue;
        // The copy, read on from where the file was read to (the copies after it come after it).
        const { copiedAt: _copiedAt, ...state } = file;
        const rest: Tracked = { ...state, handle };
        let bytes = 0;
        for await (const chunk of drain(rest)) {
          bytes += chunk.length;
          yield chunk;
        }
        notice(`truncated; reading it from the start (the ${bytes} bytes written after the last read were read from its copy ${copy})`);
      } catch {
        continue;
      } finally {
        await handle?.close().catch(() => {});
      }
      seen.add(key(stats.dev, stats.ino));
      await restart(file, stats.mtimeMs);
      return true;
    }
    await restart(file, undefined);
    return false;
  }

  /**
   * Reading `file` again from its start, after a truncation: its first bytes now are remembered
   * (not yet passed on), and its next read checks that it still starts so; if not, it was
   * truncated again, and its copy is found by those first bytes. With `copiedAt` (the copy just
   * read), copies made since are read before those first bytes are passed on (drain).
   */
  async function restart(file: Tracked, copiedAt: number | undefined): Promise<void> {
    file.position = 0;
    file.tail = Buffer.alloc(0);
    const { size } = await file.handle.stat();
    file.head = await readAt(file.handle, 0, Math.min(HEAD_BYTES, size));
    if (copiedAt !== undefined) file.copiedAt = Math.min(copiedAt, file.copiedAt ?? Infinity);
  }

  /** A whole file beside the path that holds what the path held between two looks (`why`, `what` say how it got there). */
  async function* readWhole(other: string, listed: Stats, why: string, what: string, notStarting?: Buffer): AsyncGenerator<Buffer, boolean> {
    // A listing made while files are renamed may name one file twice.
    if (seen.has(key(listed.dev, listed.ino))) return false;
    let handle: fs.FileHandle | undefined;
    try {
      handle = await fs.open(other, 'r');
      // What was opened, which a rename since the listing may have changed.
      const stats = await handle.stat();
      if (seen.has(key(stats.dev, stats.ino))) return false;
      // A copy of what the file holds now is read from the file itself.
      if (notStarting !== undefined && (await readAt(handle, 0, notStarting.length)).equals(notStarting)) return false;
      seen.add(key(stats.dev, stats.ino));
      const file: Tracked = { handle, dev: stats.dev, ino: stats.ino, position: 0, head: Buffer.alloc(0), tail: Buffer.alloc(0) };
      yield* endLine('a rotation');
      yield* drain(file);
      notice(`${why}; read ${file.position} bytes from ${other}, ${what}`);
      return true;
    } catch {
      notice(`${why}, and ${other}, ${what}, could not be read`);
      return false;
    } finally {
      await handle?.close().catch(() => {});
    }
  }

  /**
   * Files renamed away from the path that were never read: written after `since` (when the path
   * last named the file read before) and before `before` (when the next was opened). Read whole,
   * oldest write first; a rename changes neither, so shifted rotations (`.1` → `.2`) keep their order.
   */
  async function* missed(since: number, before: number): AsyncGenerator<Buffer> {
    // A file's times come from a coarse clock, a few ms behind Date.now(): early by up to 50 ms is
    // still after `since`; past `before`, it was written after the next file was opened, so is newer.
    yield* readRotated((stats) => stats.mtimeMs >= since - 50 && stats.mtimeMs <= before, 'was replaced more than once between two looks', 'which was at its place in between');
  }

  /**
   * Rotated files not read yet that `wanted` picks, read whole, oldest write first. The folder is
   * listed again until a listing finds none: one made while the writer renames may miss a file.
   */
  async function* readRotated(wanted: (stats: Stats) => boolean, why: string, what: string, notStarting?: Buffer): AsyncGenerator<Buffer> {
    for (let pass = 0; pass < 3; pass++) {
      const found = (await siblings()).filter(({ stats }) => wanted(stats) && !seen.has(key(stats.dev, stats.ino)));
      if (found.length === 0) return;
      found.sort((a, b) => a.stats.mtimeMs - b.stats.mtimeMs || b.path.localeCompare(a.path, undefined, { numeric: true }));
      let read = 0;
      for (const { path: other, stats } of found) if (yield* readWhole(other, stats, why, what, notStarting)) read++;
      if (read === 0) return;
    }
  }

  // A stream (a FIFO, a device) is read as stdin is: opened once, since a second open could cost its writer a SIGPIPE.
  if ((await statOrUndefined(path))?.isFile() === false) {
    yield* addAbortSignal(options.signal, openFile(path)) as AsyncIterable<Buffer>;
    return;
  }
  // Rotated files already beside it are history from before vizmeta began: never read as missed
  // turns, since those are written after a look (lastLook starts now). The folder is not listed
  // until a rotation or a truncation calls for it: `watch --follow logs/*.log` over thousands of
  // files in one folder would list it once per file.
  try {
    while (!options.signal.aborted) {
      if (current === undefined) {
        current = next ?? (await open());
        const openedAt = Date.now();
        next = undefined;
        if (current === undefined) {
          if (!(await waker.wait())) return;
          continue;
        }
        // Back after the path was missing (a rename, then a new file): files that came and went meanwhile first.
        if (removedAt !== undefined) {
          yield* missed(removedAt, openedAt);
          removedAt = undefined;
        }
        // A /proc or /sys file is read once.
        const stats = await current.handle.stat();
        const pseudo = stats.size === 0 && await fs.statfs(path).then((fsStats) => PSEUDO_FS.has(fsStats.type), () => false);
        if (pseudo) {
          yield* drain(current);
          notice('a /proc or /sys file: read once, not followed (its size reads 0 and it is made anew on each read)');
          return;
        }
      }
      const file = current;
      // 1. Still the bytes that were read? A truncation, or a truncation and regrowth since the last look.
      if ((file.position > 0 || file.head.length > 0) && !(await unchanged(file))) {
        const lost = file.position > 0 ? `truncated after ${file.position} bytes were read` : `truncated again before what it held from ${file.head.length} bytes on was read`;
        const recovered = yield* fromCopy(file);
        if (!recovered) notice(`${lost}; reading it from the start. Whatever was written after the last read and before the truncation (an unknown number of bytes) could not be read: no copy of it is beside the file`);
        yield* endLine('a truncation');
      }
      // 2. What was appended (unless the file changed under the read: then look again at once).
      yield* drain(file);
      if (!(await unchanged(file))) continue;
      // 3. Does the path still name this file?
      const now = Date.now();
      const atPath = await statOrUndefined(path);
      if (atPath !== undefined && sameFile(atPath, file)) {
        lastLook = now;
        if (!(await waker.wait())) return;
        continue;
      }
      // Replaced (or removed): take the new file now, before it too can be renamed away; then finish the old one.
      if (atPath !== undefined) next = await open();
      // After the open: a file rotated away between the stat and the open is older than the one opened.
      const openedAt = Date.now();
      yield* drain(file);
      await file.handle.close();
      current = undefined;
      yield* missed(lastLook, openedAt);
      yield* endLine('a rotation');
      if (next === undefined) {
        notice('removed, waiting for it');
        missingTold = true;
        removedAt = lastLook;
        if (!(await waker.wait())) return;
      } else {
        notice('replaced, following the new file');
      }
    }
  } finally {
    waker.close();
    await current?.handle.close().catch(() => {});
    await next?.handle.close().catch(() => {});
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
