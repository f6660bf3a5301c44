/**
 * Options shared by the commands over many executions (`sort`, `compare`, `table`, `stats`,
 * `gate`): `--jobs`, `--config`, `--schema`, `--no-color`, key lists and key directions.
 */
import type { Command } from 'commander';
import { loadConfig, type LoadedConfig } from '../formats/config.js';
import { UsageError } from '../core/errors.js';
import { resolveColor, type CommandIO } from '../core/io.js';
import { loadSchemaFile, type LoadedSchema } from '../formats/schema.js';
import type { DirectionOverrides } from '../analyse/summary.js';
import { normalizeKey, parseKeyList } from '../core/keys.js';
import { collect, parseWholeNumber } from './parse.js';

export interface ExecutionCommandOptions {
  /** `--jobs N`: threads reading files, this one included; 1 reads in-process. Default: the cores, from 8 files on. */
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
    .option('--jobs <n>', 'threads reading many files, this one included (1 = in-process; default: all cores from 8 files on)', parseWholeNumber('--jobs'))
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
