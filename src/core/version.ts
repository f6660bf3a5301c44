/** This package's version, for what vizmeta writes into files (a summary file's `generator`). */
import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** `vizmeta 0.2.0`. The same relative path from src/core/ and dist/core/. */
export function generator(): string {
  if (cached === undefined) {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    cached = `vizmeta ${pkg.version}`;
  }
  return cached;
}
