/**
 * Node's callback file functions, promisified, for the paths every run takes (a log's stat, a small
 * log read whole). `fs.promises` would do the same, but loading it (FileHandle, and readline for
 * its readLines) costs a run on a small log about a millisecond; code that runs rarely (writing a
 * report) still uses it.
 */
import { access, readFile, stat } from 'node:fs';
import { promisify } from 'node:util';

export const statFile = promisify(stat);
export const accessFile = promisify(access);
export const readWholeFile = promisify(readFile);
