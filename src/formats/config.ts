/**
 * `vizmeta.config.json`: gate rules, stop rules, default keys and key directions, so a CI job
 * needs only `vizmeta gate logs/*.log`.
 *
 * The file is found by walking up from the working directory (like .eslintrc or tsconfig), or
 * named with `--config FILE`. It is validated with ajv against CONFIG_SCHEMA; a bad field is named
 * (`vizmeta.config.json: gate.missing: must be one of "fail", "pass", "error"`). Paths in it
 * (`schema`, `gate.baseline`) are relative to the file. Command-line flags win over the file.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { UsageError } from '../core/errors.js';

export const CONFIG_FILE = 'vizmeta.config.json';

/**
 * Early-stopping rules, for `watch`, `run` and `demo`: each field is its flag's name (`when` is
 * `--stop-when`, the section naming the rest).
 */
export interface StopConfig {
  when?: string[];
  monitor?: string;
  mode?: 'auto' | 'min' | 'max';
  patience?: number;
  minDelta?: number;
  /** `--baseline-value` (Keras's `baseline`); the old field `baseline` is read as it, with a note. */
  baselineValue?: number;
  /** `--start-from`; the old field `warmup` is read as it, with a note. */
  startFrom?: number;
}

/** Fields renamed so that each is its flag's name: old name → new name, per section (issue 19). */
const RENAMED: Readonly<Record<'stop', Readonly<Record<string, keyof StopConfig>>>> = {
  stop: { baseline: 'baselineValue', warmup: 'startFrom' },
};

export interface GateConfig {
  /** Conditions every execution must meet (`--when`). */
  when?: string[];
  /** What a missing key does (`--missing`). Default fail. */
  missing?: 'fail' | 'pass' | 'error';
  /** Baseline log for `maxDrop`, relative to the config file (`--baseline`). */
  baseline?: string;
  /** Largest allowed drop per key against the baseline: a number, or a percentage such as "2%" (`--max-drop`). */
  maxDrop?: Record<string, number | string>;
}

export interface VizmetaConfig {
  /** Keys shown by default in `sort`, `compare` and `table`. */
  keys?: string[];
  /** Keys where higher is better (`--higher-is-better`). */
  higherIsBetter?: string[];
  /** Keys where lower is better (`--lower-is-better`). */
  lowerIsBetter?: string[];
  /** JSON Schema every record must satisfy (`--schema`), relative to the config file. */
  schema?: string;
  gate?: GateConfig;
  stop?: StopConfig;
}

const stringList = { anyOf: [{ type: 'string', minLength: 1 }, { type: 'array', items: { type: 'string', minLength: 1 } }] };

/** The JSON Schema of the config file; exported so editors can use it. */
export const CONFIG_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    keys: { type: 'array', items: { type: 'string', minLength: 1 } },
    higherIsBetter: { type: 'array', items: { type: 'string', minLength: 1 } },
    lowerIsBetter: { type: 'array', items: { type: 'string', minLength: 1 } },
    schema: { type: 'string', minLength: 1 },
    gate: {
      type: 'object',
      additionalProperties: false,
      properties: {
        when: stringList,
        missing: { enum: ['fail', 'pass', 'error'] },
        baseline: { type: 'string', minLength: 1 },
        maxDrop: {
          type: 'object',
          additionalProperties: { anyOf: [{ type: 'number', minimum: 0 }, { type: 'string', pattern: '^\\d+(\\.\\d+)?%$' }] },
        },
      },
    },
    stop: {
      type: 'object',
      additionalProperties: false,
      properties: {
        when: stringList,
        monitor: { type: 'string', minLength: 1 },
        mode: { enum: ['auto', 'min', 'max'] },
        patience: { type: 'integer', minimum: 0 },
        minDelta: { type: 'number', minimum: 0 },
        baselineValue: { type: 'number' },
        startFrom: { type: 'integer', minimum: 0 },
        // Old names of baselineValue and startFrom, still read (with a note).
        baseline: { type: 'number' },
        warmup: { type: 'integer', minimum: 0 },
      },
    },
  },
} as const;

let compiled: ValidateFunction | undefined;

/**
 * The config validator, compiled on first use: loading ajv and compiling costs ~70 ms, which
 * every command paid at start-up even when no config file exists.
 */
function configValidator(): ValidateFunction {
  if (compiled === undefined) {
    const { Ajv } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
    compiled = new Ajv({ allErrors: true, strict: false }).compile(CONFIG_SCHEMA);
  }
  return compiled;
}

export interface LoadedConfig {
  config: VizmetaConfig;
  /** What the user should know about the file, such as an old field name read as its new one; one line each, for stderr. */
  notes?: string[];
  /** The file read, when one was found; paths in the config are relative to its directory. */
  path?: string;
  /** Resolves a path written in the config file. */
  resolvePath(path: string): string;
}

/** Finds `vizmeta.config.json` in `cwd` or the nearest directory above it. */
export function findConfig(cwd: string): string | undefined {
  let dir = resolve(cwd);
  for (;;) {
    const candidate = join(dir, CONFIG_FILE);
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function fieldName(instancePath: string): string {
  return instancePath.split('/').slice(1).map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~')).join('.');
}

/** One readable sentence for the most useful ajv error. */
export function describeConfigError(errors: readonly ErrorObject[]): string {
  const unknown = errors.find((error) => error.keyword === 'additionalProperties');
  if (unknown) {
    const extra = String((unknown.params as { additionalProperty?: string }).additionalProperty);
    const parent = fieldName(unknown.instancePath);
    return `unknown field "${parent === '' ? extra : `${parent}.${extra}`}"`;
  }
  // anyOf reports each branch and then itself; the branches say more.
  const useful = errors.filter((error) => error.keyword !== 'anyOf');
  // The deepest field; among its errors, the one that says what a value of the given type should be.
  const rank = (error: ErrorObject): number => (error.keyword === 'type' ? 1 : 0);
  const error = useful.sort((a, b) => b.instancePath.length - a.instancePath.length || rank(a) - rank(b))[0] ?? errors[0];
  if (!error) return 'invalid';
  const field = fieldName(error.instancePath) || '(top level)';
  if (error.keyword === 'enum') {
    const allowed = (error.params as { allowedValues?: unknown[] }).allowedValues ?? [];
    return `${field}: must be one of ${allowed.map((value) => JSON.stringify(value)).join(', ')}`;
  }
  if (error.keyword === 'pattern') return `${field}: must be a number or a percentage such as "2%"`;
  return `${field}: ${error.message ?? 'invalid'}`;
}

/**
 * Validates parsed config content; throws UsageError naming the file and the bad field. An old
 * field name (`stop.warmup`) is read as its new one (`stop.startFrom`), and a note saying so is
 * added to `notes` when given.
 */
export function validateConfig(content: unknown, name: string, notes?: string[]): VizmetaConfig {
  const validate = configValidator();
  if (!validate(content)) throw new UsageError(`${name}: ${describeConfigError(validate.errors ?? [])}`);
  const config = content as VizmetaConfig & { gate?: { when?: string | string[] }; stop?: { when?: string | string[] } };
  // `when` may be one string or a list; commands always see a list.
  if (config.gate && typeof config.gate.when === 'string') config.gate.when = [config.gate.when];
  if (config.stop && typeof config.stop.when === 'string') config.stop.when = [config.stop.when];
  if (config.stop) {
    const stop = config.stop as Record<string, unknown>;
    for (const [old, current] of Object.entries(RENAMED.stop)) {
      if (!Object.hasOwn(stop, old)) continue;
      if (Object.hasOwn(stop, current)) throw new UsageError(`${name}: stop.${old} is the old name of stop.${current}: give one of them`);
      stop[current] = stop[old];
      delete stop[old];
      notes?.push(`${name}: stop.${old} is now stop.${current}, as the flag --${current.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}; read as that`);
    }
  }
  return config;
}

/**
 * Loads the config: `explicit` (from `--config`) must exist; otherwise the nearest
 * `vizmeta.config.json` above `cwd` is used if there is one; otherwise an empty config.
 */
export function loadConfig(cwd: string, explicit?: string): LoadedConfig {
  const path = explicit !== undefined ? resolve(cwd, explicit) : findConfig(cwd);
  if (path === undefined) return { config: {}, resolvePath: (p) => resolve(cwd, p) };
  const name = explicit ?? path;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`${name}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : `cannot read (${(error as Error).message})`}`);
  }
  let content: unknown;
  try {
    content = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${name}: not valid JSON (${(error as Error).message})`);
  }
  const notes: string[] = [];
  const config = validateConfig(content, name, notes);
  const dir = dirname(path);
  return { config, path, ...(notes.length > 0 ? { notes } : {}), resolvePath: (p) => resolve(dir, p) };
}
