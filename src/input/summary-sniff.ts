/**
 * Whether a local input is a summary file (`vizmeta summarize`), by its first bytes: what
 * readInputs and the commands ask of every input. Kept apart from input/summary-files.ts so that a
 * command reading records (extract, chart, table) loads only this much to tell one apart.
 */
import { closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { looksLikeSummary } from '../analyse/summary-format.js';

/** Bytes read to recognise a summary file. */
const SNIFF_BYTES = 64;

/** Whether an input is a local file that starts as a summary file does. Never throws. */
export function isSummaryFile(input: string): boolean {
  if (input === '-' || input.startsWith('git:') || /^[a-z][a-z0-9+.-]*:\/\//i.test(input)) return false;
  let fd: number | undefined;
  try {
    // Only a regular file is opened: opening a FIFO, even without blocking, pairs with a writer
    // that is opening it, and closing it again leaves that writer with no reader (SIGPIPE), so
    // the data it meant for the real read is lost. stat names the kind without opening anything.
    // About 5 ms per 1,000 files from the page cache.
    if (!statSync(input).isFile()) return false;
    fd = openSync(input, constants.O_RDONLY | constants.O_NONBLOCK);
    if (!fstatSync(fd).isFile()) return false;
    const head = Buffer.alloc(SNIFF_BYTES);
    const read = readSync(fd, head, 0, SNIFF_BYTES, 0);
    return looksLikeSummary(head.toString('utf8', 0, read));
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** What a command that needs records says of a summary file (exit 2). */
export function summaryFileNotRead(path: string): string {
  return `${path}: a vizmeta summary file holds aggregates, not records; this command needs the logs themselves (sort, compare, gate and stats read summary files)`;
}
