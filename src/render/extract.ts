/**
 * `extract`'s output: a record as one JSON line (its keys in order, then `_time`, then the
 * {@link SourceFields} asked for: `_source`, or `_source` and `_line`), or records as CSV with the
 * union of their keys as columns. Pure: records in, text out.
 */
import type { JsonObject, JsonValue, MetadataRecord } from '../core/types.js';
import { flattenValues } from '../parsers/metadata.js';
import { csvRow, type CsvCell } from './csv.js';
import { toJsonLine, type NonFiniteStyle } from './json.js';
import type { SourceFields } from '../parsers/fast/canonical.js';

export type { SourceFields };

/** The record's values with `_time` (and `_source`, `_line` as `fields` says) after them. */
export function recordObject(record: MetadataRecord, fields: SourceFields): Record<string, JsonValue> {
  // Object.defineProperty keeps a `__proto__` key as data in the copy.
  const out: Record<string, JsonValue> = {};
  for (const key of Object.keys(record.values)) {
    Object.defineProperty(out, key, { value: record.values[key], writable: true, enumerable: true, configurable: true });
  }
  out['_time'] = record.time;
  if (fields !== 'none') out['_source'] = record.source;
  if (fields === 'source+line') out['_line'] = record.line;
  return out;
}

/** A record's JSON line (no newline), NaN and ±Infinity written in `nan`'s style. */
export function recordJsonLine(record: MetadataRecord, fields: SourceFields, nan: NonFiniteStyle): string {
  return nan === 'null' && canSplice(record.values, fields) ? fastJsonLine(record, fields) : toJsonLine(recordObject(record, fields), nan);
}

/**
 * The default (`--nan null`) JSON line of a record without the copy recordObject makes:
 * JSON.stringify of the values with `_time` (and `_source`, `_line`) spliced in before the
 * closing brace. Same text as toJsonLine(recordObject(...)) whenever those keys are not
 * already among the values (canSplice).
 */
function fastJsonLine(record: MetadataRecord, fields: SourceFields): string {
  const body = JSON.stringify(record.values);
  // record.time comes from Date#toISOString: nothing in it needs escaping.
  let tail = `"_time":"${record.time}"`;
  if (fields !== 'none') tail += `,"_source":${JSON.stringify(record.source)}`;
  if (fields === 'source+line') tail += `,"_line":${record.line}`;
  return body.length === 2 ? `{${tail}}` : `${body.slice(0, -1)},${tail}}`;
}

/** Whether none of the keys the tail writes is among the values (recordObject would overwrite it in its place). */
function canSplice(values: JsonObject, fields: SourceFields): boolean {
  if (Object.hasOwn(values, '_time')) return false;
  if (fields !== 'none' && Object.hasOwn(values, '_source')) return false;
  return fields !== 'source+line' || !Object.hasOwn(values, '_line');
}

/**
 * Records as CSV: the header needs the union of keys (nested keys dotted), so rows are held
 * until {@link lines} is asked for.
 */
export class CsvRecords {
  private readonly rows: Array<Map<string, JsonValue>> = [];
  private readonly columns = new Map<string, true>();

  constructor(private readonly fields: SourceFields) {}

  add(record: MetadataRecord): void {
    const flat = flattenValues(recordObject(record, this.fields));
    for (const key of flat.keys()) this.columns.set(key, true);
    this.rows.push(flat);
  }

  /** The header, then one line per record, each without its newline; nothing when there were no records. */
  *lines(): Generator<string> {
    if (this.rows.length === 0) return;
    // `_time` (and `_source`, `_line`) go last, after the metadata keys.
    const names = [...this.columns.keys()];
    const tail = ['_time', '_source', '_line'].filter((name) => this.columns.has(name));
    const header = [...names.filter((name) => !tail.includes(name)), ...tail];
    yield csvRow(header);
    for (const row of this.rows) yield csvRow(header.map((name) => toCsvCell(row.get(name))));
  }
}

function toCsvCell(value: JsonValue | undefined): CsvCell {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return value;
}
