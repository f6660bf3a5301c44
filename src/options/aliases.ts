/**
 * Old spellings of options kept working (issue 19: one name per idea across every command).
 * An old spelling is declared hidden, under its own attribute, so `--help` shows only the
 * canonical flag (whose description names the old one); the command merges the two before any
 * work: a list takes both, a single value may come from only one of them.
 */
import { Option } from 'commander';
import { UsageError } from '../core/errors.js';

/** A hidden option for the old spelling `flags` of `canonical`, parsed as the canonical one is. */
export function oldSpelling<T>(flags: string, canonical: string, parse?: (text: string, previous: T | undefined) => T): Option {
  const option = new Option(flags, `old spelling of ${canonical}`).hideHelp();
  return parse ? option.argParser(parse) : option;
}

/** A single value given under its canonical name or its old spelling, not both. */
export function eitherSpelling<T>(canonical: T | undefined, old: T | undefined, names: readonly [canonical: string, old: string]): T | undefined {
  if (old === undefined) return canonical;
  if (canonical !== undefined) throw new UsageError(`${names[1]} is the old spelling of ${names[0]}: give one of them`);
  return old;
}

/** A repeatable list given under either spelling, or both: every value, canonical first. */
export function bothSpellings<T>(canonical: readonly T[] | undefined, old: readonly T[] | undefined): T[] | undefined {
  if (old === undefined) return canonical === undefined ? undefined : [...canonical];
  return [...(canonical ?? []), ...old];
}
