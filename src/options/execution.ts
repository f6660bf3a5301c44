/**
 * Options shared by the commands over many executions (`sort`, `compare`, `table`, `stats`,
 * `gate`): `--jobs`, `--config`, `--schema`, `--no-color`, key lists and key directions.
 */
import type { Command } from 'commander';
import { loadConfig, type LoadedConfig } from '../formats/config.js';
import { UsageError } from '../core/errors.js';
import { resolveColor, warn, type CommandIO } from '../core/io.js';
import { loadSchemaFile, type LoadedSchema } from '../formats/schema.js';
import { lookupKey, unionKeys, type DirectionOverrides, type ExecutionSummary } from '../analyse/summary.js';
import { getPath, normalizeKey, parseKeyList } from '../core/keys.js';
import { forEachLeaf } from '../parsers/metadata.js';
import type { JsonObject } from '../core/types.js';
import { unknownKeyMessage } from '../core/vocabulary.js';
import { collect, parseWholeNumber } from './parse.js';

export interface ExecutionCommandOptions {
  /** `--jobs N`: threads reading files, this one included; 1 reads in-process. Default: the cores, from 8 files on. Also remote objects read at once (default 8). */
  jobs?: number;
  /** `--config FILE`. Default: vizmeta.config.json found upward from the working directory. */
  config?: string;
  /** `--schema FILE.json`: validate every record. Default: the config's `schema`. */
  schema?: string;
  /** `--no-color` sets this false. */
  color?: boolean;
}

export function addExecutionOptions(command: Command, { schema = true }: { schema?: boolean } = {}): Command {
  command
    .option('--jobs <n>', 'threads reading many files, this one included (1 = in-process; default: all cores from 8 files on); remote objects read at once (default 8)', parseWholeNumber('--jobs'))
    .option('--config <file>', 'config file (default: vizmeta.config.json here or in a parent directory)');
  if (schema) command.option('--schema <file>', 'validate every record against this JSON Schema; violations are reported as file:line');
  command.option('--no-color', 'no colours, even on a terminal');
  return command;
}

export function addDirectionOptions(command: Command): Command {
  return command
    .option('--higher-is-better <keys>', 'keys where a bigger value is better (comma-separated, repeatable)', collect)
    .option('--lower-is-better <keys>', 'keys where a smaller value is better (comma-separated, repeatable)', collect);
}

export interface CommandContext {
  config: LoadedConfig;
  schema: LoadedSchema | undefined;
  color: boolean;
}

/** Loads the config and the schema (flag first, then config) and settles colour. */
export function commandContext(io: CommandIO, options: ExecutionCommandOptions): CommandContext {
  const config = loadConfig(io.cwd, options.config);
  for (const note of config.notes ?? []) warn(io, note);
  let schema: LoadedSchema | undefined;
  if (options.schema !== undefined) schema = loadSchemaFile(options.schema, io.cwd);
  else if (config.config.schema !== undefined) schema = loadSchemaFile(config.resolvePath(config.config.schema), io.cwd);
  return { config, schema, color: resolveColor(io, options.color) };
}

/** Directions from the flags, else from the config. */
export function directionOverrides(options: { higherIsBetter?: string[]; lowerIsBetter?: string[] }, context: CommandContext): DirectionOverrides {
  const higher = parseKeyList(options.higherIsBetter);
  const lower = parseKeyList(options.lowerIsBetter);
  const both = higher.filter((key) => lower.includes(key));
  if (both.length > 0) throw new UsageError(`${both[0]} cannot be both --higher-is-better and --lower-is-better`);
  // A flag beats the config's word on the same key.
  const fromConfig = (keys: string[] | undefined, overruled: string[]): string[] => (keys ?? []).map(normalizeKey).filter((key) => !overruled.includes(key));
  return {
    higher: [...higher, ...fromConfig(context.config.config.higherIsBetter, lower)],
    lower: [...lower, ...fromConfig(context.config.config.lowerIsBetter, higher)],
  };
}

/** Where keys were looked for, for messages: the one input's name (`stdin` for `-`), or `3 inputs`. */
export function inputsPlace(inputs: readonly string[]): string {
  if (inputs.length === 1) return inputs[0] === '-' ? 'stdin' : inputs[0] as string;
  return `${inputs.length} inputs`;
}

/**
 * Refuses a key named on the command line (`--by`, `--keys`) that no input has:
 * a {@link UsageError} naming the closest known keys (`no key "los" in train.log; did you mean
 * loss?`). A key some inputs have and others lack is fine. Nothing is refused when nothing is
 * known (no records were read): the inputs' own warnings say why.
 */
export function requireKnownKeys(names: readonly string[], has: (key: string) => boolean, known: readonly string[], inputs: readonly string[]): void {
  if (known.length === 0) return;
  for (const name of names) {
    if (!has(normalizeKey(name))) throw new UsageError(unknownKeyMessage(name, inputsPlace(inputs), known));
  }
}

/**
 * {@link requireKnownKeys} over execution summaries: a key is known when some readable execution
 * has it. Summaries of some keys only know no other names: `allNames`, when given, reads them
 * (files again, names only), and is called only when a named key is missing.
 */
export async function requireKeysInExecutions(
  names: readonly string[], executions: readonly ExecutionSummary[], inputs: readonly string[],
  allNames?: () => Promise<readonly ExecutionSummary[]>,
): Promise<void> {
  const readable = executions.filter((execution) => execution.error === undefined);
  const has = (key: string): boolean => readable.some((execution) => lookupKey(execution, key) !== undefined);
  if (names.every((name) => has(normalizeKey(name)))) return;
  const more = allNames === undefined ? [] : (await allNames()).filter((execution) => execution.error === undefined);
  const known = unionKeys([...readable, ...more]);
  requireKnownKeys(names, has, known, inputs);
}

/**
 * For commands that read records rather than summaries (`stats`, `table`): which of the keys named
 * on the command line some record has (by `getPath`, as the columns read them), and the names of
 * the keys seen, for the did-you-mean. Names are noted only until every named key has been found.
 */
export class KeyPresence {
  private readonly missing: Set<string>;
  private readonly known = new Set<string>();
  private readonly add = (name: string): void => { this.known.add(name); };

  constructor(private readonly names: readonly string[]) {
    this.missing = new Set(names.map(normalizeKey));
  }

  /** Whether any named key is still to be found: callers may skip `note` when not. */
  get watching(): boolean {
    return this.missing.size > 0;
  }

  note(values: JsonObject): void {
    if (this.missing.size === 0) return;
    for (const name of this.missing) if (getPath(values, name) !== undefined) this.missing.delete(name);
    forEachLeaf(values, this.add);
  }

  /** Notes keys by their dotted names, as an execution summary (a summary file's) holds them. */
  noteNames(names: Iterable<string>): void {
    for (const name of names) {
      this.missing.delete(name);
      this.known.add(name);
    }
  }

  /** Throws the {@link UsageError} of {@link requireKnownKeys} for the first named key no record had. */
  require(inputs: readonly string[]): void {
    requireKnownKeys(this.names, (key) => !this.missing.has(key), [...this.known], inputs);
  }
}
