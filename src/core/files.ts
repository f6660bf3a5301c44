/**
 * Node's callback file functions as promises, for the paths every run takes (a log's stat, a
 * small log read whole). `fs.promises` would do the same, but loading it (FileHandle, and readline
 * for its readLines) costs a run on a small log about a millisecond; code that runs rarely
 * (writing a report) still uses it. Written out rather than with util.promisify, which costs
 * each run a little at load for every function it wraps.
 */
import { access, readFile, stat, type Stats } from 'node:fs';

export function statFile(path: string): Promise<Stats> {
  return new Promise((resolve, reject) => stat(path, (error, stats) => (error ? reject(error) : resolve(stats))));
}

export function accessFile(path: string, mode: number): Promise<void> {
  return new Promise((resolve, reject) => access(path, mode, (error) => (error ? reject(error) : resolve())));
}

export function readWholeFile(path: string): Promise<Buffer> {
  return new Promise((resolve, reject) => readFile(path, (error, bytes) => (error ? reject(error) : resolve(bytes))));
}
