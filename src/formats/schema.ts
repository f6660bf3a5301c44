/**
 * Metadata contracts: `--schema FILE.json` checks every record against a JSON Schema with ajv.
 *
 * The schema is loaded and compiled once up front (a broken schema is a usage error naming the
 * file), then travels as plain data so worker threads can compile their own copy. A violation
 * is reported as `file:line: schema: /instance/path message`.
 *
 * NaN and ±Infinity are not JSON numbers: ajv's `"type": "number"` rejects them, so a schema
 * that asks for a number also catches a metric that went NaN.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import type { Ajv2019 } from 'ajv/dist/2019.js';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import { UsageError } from '../core/errors.js';
import type { Diagnostic, JsonObject } from '../core/types.js';

/** A JSON Schema read from a file: plain data, safe to post to a worker. */
/** Where a record failed the `--schema` contract. */
export interface SchemaViolation {
  line: number;
  /** ajv's instance path, e.g. `/accuracy` (empty for the whole record). */
  instancePath: string;
  message: string;
}

export interface LoadedSchema {
  /** The file as the user named it, for messages. */
  path: string;
  schema: Record<string, unknown>;
}

/** Checks one record's values; returns its violations (empty when it conforms). */
export type RecordValidator = (values: JsonObject, line: number) => SchemaViolation[];

type AnyAjv = Ajv | Ajv2019 | Ajv2020;

/** An ajv instance for the schema's declared draft (`$schema`); draft-07 when it names none. */
export function ajvFor(schema: Record<string, unknown>): AnyAjv {
  const declared = typeof schema['$schema'] === 'string' ? schema['$schema'] : '';
  // strict: false because user schemas carry keywords and formats ajv does not know (`title`, `format: "uri"`).
  // strictNumbers: NaN and ±Infinity are not numbers (ajv's strict mode has it, but strict is off).
  const options = { allErrors: true, strict: false, strictNumbers: true, validateFormats: false, logger: false as const };
  // ajv is loaded here, when a schema is used, not at start-up (it is most of a command's load time).
  const require = createRequire(import.meta.url);
  if (declared.includes('2020-12')) return new (require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js')).Ajv2020(options);
  if (declared.includes('2019-09')) return new (require('ajv/dist/2019.js') as typeof import('ajv/dist/2019.js')).Ajv2019(options);
  return new (require('ajv') as typeof import('ajv')).Ajv(options);
}

function compile(loaded: LoadedSchema): ValidateFunction {
  try {
    return ajvFor(loaded.schema).compile(loaded.schema);
  } catch (error) {
    throw new UsageError(`${loaded.path}: not a usable JSON Schema: ${(error as Error).message}`);
  }
}

/** Reads, parses and test-compiles a schema file. Throws UsageError naming the file. */
export function loadSchemaFile(path: string, cwd: string): LoadedSchema {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, path), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`${path}: ${code === 'ENOENT' ? 'no such file' : `cannot read schema (${(error as Error).message})`}`);
  }
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${path}: not valid JSON (${(error as Error).message})`);
  }
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) {
    throw new UsageError(`${path}: a JSON Schema must be an object`);
  }
  const loaded: LoadedSchema = { path, schema: schema as Record<string, unknown> };
  compile(loaded);
  return loaded;
}

/** Compiles a loaded schema into a record validator. */
export function compileSchema(loaded: LoadedSchema): RecordValidator {
  const validate = compile(loaded);
  return (values, line) => {
    if (validate(values)) return [];
    return (validate.errors ?? []).map((error: ErrorObject) => ({ line, instancePath: error.instancePath, message: describeError(error) }));
  };
}

function describeError(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties' && typeof params['additionalProperty'] === 'string') {
    return `has unexpected key "${params['additionalProperty']}"`;
  }
  if (error.keyword === 'required' && typeof params['missingProperty'] === 'string') {
    return `lacks required key "${params['missingProperty']}"`;
  }
  if (error.keyword === 'enum' && Array.isArray(params['allowedValues'])) {
    return `must be one of ${params['allowedValues'].map((v) => JSON.stringify(v)).join(', ')}`;
  }
  return error.message ?? `fails ${error.keyword}`;
}

/** A violation as a diagnostic, written `file:line: schema: /path message`. */
export function violationDiagnostic(source: string, violation: SchemaViolation): Diagnostic {
  const path = violation.instancePath === '' ? '(record)' : violation.instancePath;
  return { source, line: violation.line, message: `schema: ${path} ${violation.message}` };
}
