/**
 * The summary file (`.vzs`, `vizmeta summarize`): execution summaries as JSON lines. Pure: lines
 * in, summaries out, and back. The README's "Summary files" section is the reader's spec.
 *
 *   {"format":"vizmeta-summary","version":1,"generator":"vizmeta 0.2.0","quantiles":{…}}
 *   {"execution":"logs/a.log","kind":"log","records":120,…,"keys":[["loss",{…}],…]}
 *   …one line per execution
 *
 * Numbers JSON cannot hold are written explicitly: in a numeric field (min, sum, mean, a history's
 * y, …) as the strings "NaN", "Infinity", "-Infinity" and "-0" (JSON.stringify writes -0 as 0);
 * inside a logged value (first, latest), which may itself be a string, as {"$vzs":"NaN"}. A logged object whose only key is "$vzs" is
 * written {"$vzs":{"$vzs":…}}, so every logged value comes back as it was.
 *
 * Versions: a reader takes any version up to its own; a newer one is refused, naming both.
 */
import { InputError } from '../core/errors.js';
import type { Diagnostic, JsonObject, JsonValue } from '../core/types.js';
import type { SchemaViolation } from '../formats/schema.js';
import type { PlainMoments, ValueType } from './moments.js';
import type { PlainBins, PlainQuantiles } from './quantiles.js';
import { BIN_LIMIT, EXACT_VALUES, RELATIVE_ACCURACY } from './quantiles.js';
import type { ExecutionSummary, KeySummary } from './summary.js';

export const SUMMARY_FORMAT = 'vizmeta-summary';
export const SUMMARY_VERSION = 1;

/** The first line of a summary file. */
export interface SummaryHeader {
  format: typeof SUMMARY_FORMAT;
  version: number;
  /** What wrote it: `vizmeta 0.2.0`. */
  generator?: string;
  /** How `stats`' quantiles are kept: parts merge only with the same settings. */
  quantiles?: { sketch: string; relativeAccuracy: number; binLimit: number; exact: number };
  /**
   * Written with `--shard`: which shards of how many, of which input list (a hash of the names
   * in order). Each execution line then carries `position`, its input's place in that list, so
   * `merge` puts the executions of all shards back in the list's order.
   */
  shard?: ShardInfo;
}

export interface ShardInfo {
  count: number;
  /** The shards this file holds: one for a part, several for a merge of parts. */
  indexes: number[];
  /** A hash of the whole input list, the same for every worker given it. */
  list: string;
}

/** The quantile settings this build writes and reads. */
export const QUANTILE_SETTINGS = { sketch: 'DDSketch', relativeAccuracy: RELATIVE_ACCURACY, binLimit: BIN_LIMIT, exact: EXACT_VALUES } as const;

/** Whether the first bytes of a file are a summary file's header. */
export function looksLikeSummary(head: string): boolean {
  return /^\uFEFF?\s*\{\s*"format"\s*:\s*"vizmeta-summary"/.test(head);
}

export function headerLine(generator: string, shard?: ShardInfo): string {
  const header: SummaryHeader = { format: SUMMARY_FORMAT, version: SUMMARY_VERSION, generator, quantiles: { ...QUANTILE_SETTINGS } };
  if (shard !== undefined) header.shard = shard;
  return JSON.stringify(header);
}

// ---- encoding ----

type Encoded = null | boolean | number | string | Encoded[] | { [key: string]: Encoded };

function num(value: number): number | string {
  if (Object.is(value, -0)) return '-0';
  if (Number.isFinite(value)) return value;
  return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
}

function encodeValue(value: JsonValue): Encoded {
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0) ? value : { $vzs: num(value) };
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(encodeValue);
  const keys = Object.keys(value);
  const entries = keys.map((key): [string, Encoded] => [key, encodeValue(value[key] as JsonValue)]);
  const object = Object.fromEntries(entries) as { [key: string]: Encoded };
  return keys.length === 1 && keys[0] === '$vzs' ? { $vzs: object } : object;
}

function encodeMoments(moments: PlainMoments): Encoded {
  const out: { [key: string]: Encoded } = {
    types: moments.types, nan: moments.nan, posInf: moments.posInf, negInf: moments.negInf, finite: moments.finite,
  };
  if (moments.min !== undefined) out.min = moments.min;
  if (moments.max !== undefined) out.max = moments.max;
  out.mean = num(moments.mean);
  out.m2 = num(moments.m2);
  out.quantiles = moments.quantiles as unknown as Encoded;
  return out;
}

function encodeKey(summary: KeySummary): Encoded {
  const out: { [key: string]: Encoded } = {
    count: summary.count, numeric: summary.numeric, nan: summary.nan, inf: summary.inf,
    first: encodeValue(summary.first), latest: encodeValue(summary.latest),
    latestLine: summary.latestLine, latestStep: num(summary.latestStep),
  };
  if (summary.firstTime !== undefined) out.firstTime = summary.firstTime;
  if (summary.firstLine !== undefined) out.firstLine = summary.firstLine;
  if (summary.firstStep !== undefined) out.firstStep = num(summary.firstStep);
  if (summary.latestTime !== undefined) out.latestTime = summary.latestTime;
  if (summary.minTime !== undefined) out.minTime = summary.minTime;
  if (summary.maxTime !== undefined) out.maxTime = summary.maxTime;
  if (summary.min !== undefined) out.min = num(summary.min);
  if (summary.minStep !== undefined) out.minStep = num(summary.minStep);
  if (summary.max !== undefined) out.max = num(summary.max);
  if (summary.maxStep !== undefined) out.maxStep = num(summary.maxStep);
  out.sum = num(summary.sum);
  if (summary.partial === true) out.partial = true;
  if (summary.moments !== undefined) out.moments = encodeMoments(summary.moments);
  if (summary.history !== undefined) out.history = summary.history.flatMap((point) => [num(point.x), num(point.y)]);
  return out;
}

/** One execution as one line of a summary file (no newline); `position` is its input's place in a sharded list. */
export function encodeExecution(execution: ExecutionSummary, position?: number): string {
  const out: { [key: string]: Encoded } = { execution: execution.execution };
  if (position !== undefined) out.position = position;
  Object.assign(out, { kind: execution.kind, records: execution.records, lines: execution.lines });
  if (execution.firstTime !== undefined) out.firstTime = execution.firstTime;
  if (execution.lastTime !== undefined) out.lastTime = execution.lastTime;
  if (execution.noRecordsHint !== undefined) out.noRecordsHint = execution.noRecordsHint;
  if (execution.error !== undefined) out.error = execution.error;
  out.diagnostics = execution.diagnostics.map((d) => ({ source: d.source, line: d.line, message: d.message }));
  out.droppedDiagnostics = execution.droppedDiagnostics;
  out.violations = execution.violations.map((v) => ({ line: v.line, instancePath: v.instancePath, message: v.message }));
  out.violationCount = execution.violationCount;
  out.keys = [...execution.keys].map(([key, summary]) => [key, encodeKey(summary)]);
  return JSON.stringify(out);
}

// ---- decoding ----

/** A field of a line that is not what the format says: the message names the field. */
class Corrupt extends Error {}

type Obj = { [key: string]: unknown };

function isObject(value: unknown): value is Obj {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function decodeNum(value: unknown, field: string): number {
  if (typeof value === 'number') return value;
  if (value === 'NaN') return Number.NaN;
  if (value === 'Infinity') return Infinity;
  if (value === '-Infinity') return -Infinity;
  if (value === '-0') return -0;
  throw new Corrupt(`${field}: expected a number, got ${JSON.stringify(value)?.slice(0, 40)}`);
}

function count(object: Obj, field: string): number {
  const value = object[field];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new Corrupt(`${field}: expected a count, got ${JSON.stringify(value)?.slice(0, 40)}`);
  return value;
}

function optional<T>(object: Obj, field: string, read: (value: unknown, field: string) => T): T | undefined {
  return object[field] === undefined ? undefined : read(object[field], field);
}

function text(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new Corrupt(`${field}: expected a string`);
  return value;
}

function decodeValue(value: unknown): JsonValue {
  if (value === null || typeof value !== 'object') return value as JsonValue;
  if (Array.isArray(value)) return value.map(decodeValue);
  const keys = Object.keys(value);
  const object = value as Obj;
  if (keys.length === 1 && keys[0] === '$vzs') {
    const inner = object.$vzs;
    if (typeof inner === 'string') return decodeNum(inner, '$vzs');
    if (isObject(inner)) return Object.fromEntries(Object.keys(inner).map((key) => [key, decodeValue(inner[key])])) as JsonObject;
    throw new Corrupt('$vzs: expected "NaN", "Infinity", "-Infinity" or an object');
  }
  return Object.fromEntries(keys.map((key) => [key, decodeValue(object[key])])) as JsonObject;
}

function decodeBins(value: unknown, field: string): PlainBins | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length !== 2 || !Number.isInteger(value[0]) || !Array.isArray(value[1]) || !value[1].every((c) => typeof c === 'number' && c >= 0)) {
    throw new Corrupt(`${field}: expected [firstKey, [counts…]]`);
  }
  return [value[0] as number, value[1] as number[]];
}

function decodeQuantiles(value: unknown): PlainQuantiles {
  if (!isObject(value)) throw new Corrupt('moments.quantiles: expected an object');
  if (value.exact !== undefined) {
    if (!Array.isArray(value.exact) || !value.exact.every((v) => typeof v === 'number')) throw new Corrupt('moments.quantiles.exact: expected numbers');
    return { exact: value.exact as number[] };
  }
  const plain: PlainQuantiles = { zero: count(value, 'zero') };
  const pos = decodeBins(value.pos, 'moments.quantiles.pos');
  const neg = decodeBins(value.neg, 'moments.quantiles.neg');
  if (pos !== undefined) plain.pos = pos;
  if (neg !== undefined) plain.neg = neg;
  return plain;
}

const TYPES: readonly ValueType[] = ['number', 'string', 'boolean', 'null', 'array', 'object'];

function decodeMoments(value: unknown): PlainMoments {
  if (!isObject(value)) throw new Corrupt('moments: expected an object');
  const types = value.types;
  if (!Array.isArray(types) || !types.every((t) => TYPES.includes(t as ValueType))) throw new Corrupt('moments.types: expected a list of JSON types');
  const moments: PlainMoments = {
    types: types as ValueType[], nan: count(value, 'nan'), posInf: count(value, 'posInf'), negInf: count(value, 'negInf'), finite: count(value, 'finite'),
    mean: decodeNum(value.mean, 'moments.mean'), m2: decodeNum(value.m2, 'moments.m2'), quantiles: decodeQuantiles(value.quantiles),
  };
  const min = optional(value, 'min', decodeNum);
  const max = optional(value, 'max', decodeNum);
  if (min !== undefined) moments.min = min;
  if (max !== undefined) moments.max = max;
  return moments;
}

function decodeKey(value: unknown, key: string): KeySummary {
  if (!isObject(value)) throw new Corrupt(`keys: ${key}: expected an object`);
  if (!('first' in value) || !('latest' in value)) throw new Corrupt(`keys: ${key}: first and latest are missing`);
  const summary: KeySummary = {
    count: count(value, 'count'), numeric: count(value, 'numeric'), nan: count(value, 'nan'), inf: count(value, 'inf'),
    first: decodeValue(value.first), latest: decodeValue(value.latest),
    latestLine: count(value, 'latestLine'), latestStep: decodeNum(value.latestStep, 'latestStep'),
    min: optional(value, 'min', decodeNum), max: optional(value, 'max', decodeNum),
    minStep: optional(value, 'minStep', decodeNum), maxStep: optional(value, 'maxStep', decodeNum),
    sum: decodeNum(value.sum, 'sum'),
  };
  const firstTime = optional(value, 'firstTime', text);
  const latestTime = optional(value, 'latestTime', text);
  const firstStep = optional(value, 'firstStep', decodeNum);
  const minTime = optional(value, 'minTime', text);
  const maxTime = optional(value, 'maxTime', text);
  if (firstTime !== undefined) summary.firstTime = firstTime;
  if (latestTime !== undefined) summary.latestTime = latestTime;
  if (minTime !== undefined) summary.minTime = minTime;
  if (maxTime !== undefined) summary.maxTime = maxTime;
  if (value.firstLine !== undefined) summary.firstLine = count(value, 'firstLine');
  if (firstStep !== undefined) summary.firstStep = firstStep;
  if (value.partial === true) summary.partial = true;
  if (value.moments !== undefined) summary.moments = decodeMoments(value.moments);
  if (value.history !== undefined) {
    const flat = value.history;
    if (!Array.isArray(flat) || flat.length % 2 !== 0) throw new Corrupt(`keys: ${key}: history: expected x, y pairs`);
    const points = new Array<{ x: number; y: number }>(flat.length / 2);
    for (let i = 0; i < points.length; i++) points[i] = { x: decodeNum(flat[2 * i], 'history'), y: decodeNum(flat[2 * i + 1], 'history') };
    summary.history = points;
  }
  return summary;
}

function decodeDiagnostic(value: unknown): Diagnostic {
  if (!isObject(value)) throw new Corrupt('diagnostics: expected objects');
  return { source: text(value.source, 'diagnostics.source'), line: count(value, 'line'), message: text(value.message, 'diagnostics.message') };
}

function decodeViolation(value: unknown): SchemaViolation {
  if (!isObject(value)) throw new Corrupt('violations: expected objects');
  return { line: count(value, 'line'), instancePath: text(value.instancePath, 'violations.instancePath'), message: text(value.message, 'violations.message') };
}

const KINDS: readonly ExecutionSummary['kind'][] = ['log', 'kubeflow', 'framework'];

function parseLine(line: string, file: string, lineNumber: number): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch (error) {
    throw new InputError(`${file}:${lineNumber}: corrupt summary file: not a JSON line (${(error as Error).message})`);
  }
}

/**
 * Reads a summary file's first line. A file of another format, a version newer than this build
 * reads, or other quantile settings, is an InputError naming the file.
 */
export function parseHeader(line: string, file: string): SummaryHeader {
  const value = parseLine(line, file, 1);
  if (!isObject(value) || value.format !== SUMMARY_FORMAT) throw new InputError(`${file}:1: not a vizmeta summary file (its first line is not {"format": "vizmeta-summary", …})`);
  const version = value.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) throw new InputError(`${file}:1: corrupt summary file: version ${JSON.stringify(version)} is not a format version`);
  if (version > SUMMARY_VERSION) {
    const by = typeof value.generator === 'string' ? ` (written by ${value.generator})` : '';
    throw new InputError(`${file}: summary format version ${version}${by} is newer than this vizmeta reads (version ${SUMMARY_VERSION}); upgrade vizmeta to read it`);
  }
  const shard = value.shard;
  if (shard !== undefined && !(isObject(shard) && Number.isInteger(shard.count) && typeof shard.list === 'string' && Array.isArray(shard.indexes) && shard.indexes.every((i) => Number.isInteger(i)))) {
    throw new InputError(`${file}:1: corrupt summary file: shard: expected {"count", "indexes", "list"}`);
  }
  const quantiles = value.quantiles;
  if (isObject(quantiles) && (quantiles.relativeAccuracy !== RELATIVE_ACCURACY || quantiles.binLimit !== BIN_LIMIT || quantiles.exact !== EXACT_VALUES)) {
    throw new InputError(`${file}:1: its quantile sketch (relative accuracy ${String(quantiles.relativeAccuracy)}, ${String(quantiles.binLimit)} bins, exact up to ${String(quantiles.exact)}) is not this vizmeta's (${RELATIVE_ACCURACY}, ${BIN_LIMIT}, ${EXACT_VALUES}): summarise the logs again`);
  }
  return value as unknown as SummaryHeader;
}

/** Reads one execution line; a line that is not one is an InputError naming file and line. */
export function decodeExecution(line: string, file: string, lineNumber: number): ExecutionSummary {
  return decodeExecutionLine(line, file, lineNumber).execution;
}

/** decodeExecution, with the line's `position` when it has one. */
export function decodeExecutionLine(line: string, file: string, lineNumber: number): { execution: ExecutionSummary; position?: number } {
  const value = parseLine(line, file, lineNumber);
  try {
    if (!isObject(value)) throw new Corrupt('expected an object');
    const position = value.position === undefined ? undefined : count(value, 'position');
    const kind = value.kind as ExecutionSummary['kind'];
    if (!KINDS.includes(kind)) throw new Corrupt(`kind: expected ${KINDS.join(', ')}`);
    if (!Array.isArray(value.keys)) throw new Corrupt('keys: expected a list of [name, summary]');
    const keys = new Map<string, KeySummary>();
    for (const entry of value.keys as unknown[]) {
      if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string') throw new Corrupt('keys: expected [name, summary] pairs');
      keys.set(entry[0], decodeKey(entry[1], entry[0]));
    }
    if (!Array.isArray(value.diagnostics) || !Array.isArray(value.violations)) throw new Corrupt('diagnostics and violations: expected lists');
    const execution: ExecutionSummary = {
      execution: text(value.execution, 'execution'), kind, records: count(value, 'records'), lines: count(value, 'lines'), keys,
      diagnostics: (value.diagnostics as unknown[]).map(decodeDiagnostic), droppedDiagnostics: count(value, 'droppedDiagnostics'),
      violations: (value.violations as unknown[]).map(decodeViolation), violationCount: count(value, 'violationCount'),
    };
    const firstTime = optional(value, 'firstTime', text);
    const lastTime = optional(value, 'lastTime', text);
    const hint = optional(value, 'noRecordsHint', text);
    const error = optional(value, 'error', text);
    if (firstTime !== undefined) execution.firstTime = firstTime;
    if (lastTime !== undefined) execution.lastTime = lastTime;
    if (hint !== undefined) execution.noRecordsHint = hint;
    if (error !== undefined) execution.error = error;
    return position === undefined ? { execution } : { execution, position };
  } catch (error) {
    if (error instanceof Corrupt) throw new InputError(`${file}:${lineNumber}: corrupt summary file: ${error.message}`);
    throw error;
  }
}
