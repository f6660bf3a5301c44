/**
 * DVCLive's output folder (`dvclive/` by default):
 * - `plots/metrics/<name>.tsv`, one file per metric, a name with `/` nested as folders. Since
 *   DVCLive 2.0 the header is `[timestamp\t]step\t<basename of name>` (timestamp only when logged
 *   with `timestamp=True`); before 1.0 it was always `timestamp\tstep\t<full name>`. The metric's
 *   name therefore comes from the file's path, never from the header.
 * - `metrics.json`: the latest value of each metric, nested by `/`, plus `step`.
 * - `params.yaml`: the logged params (ruamel.yaml, block style).
 *
 * Also home of the small YAML reader the framework readers share (DVCLive params, Lightning
 * hparams.yaml): the project has no YAML library, and these files are machine-written maps.
 */
import type { JsonObject, JsonValue } from '../../core/types.js';
import { defineKey, MAX_DEPTH, parseJsonObject } from '../json.js';
import { parseDelimited } from './csv-logger.js';
import {
  cellValue,
  integerFromText,
  isoFromMillis,
  numberFromText,
  stripBom,
  type FrameworkRecord,
  type FrameworkRun,
  type FrameworkWarning,
} from './framework-record.js';

/** The texts of one DVCLive folder's files. */
export interface DvcLiveFiles {
  /** `metrics.json`, the summary of latest values. */
  metricsJson?: string;
  /** Each `plots/metrics/**.tsv`: `name` is the path below `plots/metrics/` without `.tsv` (`train/loss`). */
  tsv: Array<{ name: string; text: string }>;
  /** `params.yaml`. */
  paramsYaml?: string;
}

/**
 * Reads one DVCLive run: params as one settings record first, then one record per step (sorted by
 * step) holding every metric logged at that step, `step` first and metrics in the order the TSVs
 * are given; `time` is the latest timestamp at that step when any TSV has timestamps. The summary
 * `metrics.json` is read only when there are no TSVs (metrics logged with `plot=False`, or the
 * plots not kept), as one record with its nested keys joined by `/`, matching the TSV names.
 */
export function parseDvcLive(files: DvcLiveFiles): FrameworkRun {
  const warnings: FrameworkWarning[] = [];
  const records: FrameworkRecord[] = [];

  if (files.paramsYaml !== undefined) {
    const params = parseSimpleYaml(files.paramsYaml);
    for (const w of params.warnings) warnings.push({ message: `params.yaml${w.line === undefined ? '' : ` line ${w.line}`}: ${w.message}` });
    if (Object.keys(params.value).length > 0) records.push({ values: params.value });
  }

  if (files.tsv.length === 0) {
    if (files.metricsJson !== undefined) {
      const summary = readSummary(files.metricsJson, warnings);
      if (summary && Object.keys(summary).length > 0) records.push({ values: summary });
    }
    return { records, warnings };
  }

  const steps = new Map<number, { values: Map<string, JsonValue>; latest: number }>();
  for (const { name, text } of files.tsv) {
    const table = parseDelimited(text, '\t');
    for (const w of table.warnings) warnings.push({ message: `${name}.tsv line ${w.line}: ${w.message}` });
    const header = table.rows[0]?.cells;
    if (!header) continue; // empty file: DVCLive writes the header with the first row, so nothing was logged
    const stepColumn = header.indexOf('step');
    const timeColumn = header.indexOf('timestamp');
    // The value is the column that is neither step nor timestamp; DVCLive writes it last.
    let valueColumn = header.length - 1;
    while (valueColumn >= 0 && (valueColumn === stepColumn || valueColumn === timeColumn)) valueColumn--;
    if (stepColumn < 0 || valueColumn < 0) {
      warnings.push({ message: `${name}.tsv: header "${header.join('\t')}" has no step and value columns; skipped` });
      continue;
    }
    for (const row of table.rows.slice(1)) {
      if (row.cells.length !== header.length) {
        warnings.push({ message: `${name}.tsv line ${row.line}: ${row.cells.length} cells, header has ${header.length}; skipped` });
        continue;
      }
      const step = integerFromText(row.cells[stepColumn]!);
      if (step === undefined) {
        warnings.push({ message: `${name}.tsv line ${row.line}: step "${row.cells[stepColumn]}" is not an integer; skipped` });
        continue;
      }
      const raw = row.cells[valueColumn]!;
      if (raw === '') continue;
      let atStep = steps.get(step);
      if (!atStep) steps.set(step, (atStep = { values: new Map(), latest: -Infinity }));
      // A step logged twice (a resumed run, or `live.step` set by hand) keeps the later row.
      atStep.values.set(name, cellValue(raw));
      if (timeColumn >= 0) {
        const ms = integerFromText(row.cells[timeColumn]!);
        if (ms !== undefined && ms > atStep.latest) atStep.latest = ms;
      }
    }
  }

  // Insertion order of the Maps is file order; the record lists metrics in the order the TSVs were given.
  const order = new Map(files.tsv.map(({ name }, i) => [name, i]));
  for (const step of [...steps.keys()].sort((a, b) => a - b)) {
    const { values: byName, latest } = steps.get(step)!;
    const values: JsonObject = { step };
    for (const name of [...byName.keys()].sort((a, b) => order.get(a)! - order.get(b)!)) defineKey(values, name, byName.get(name)!);
    const time = isoFromMillis(latest);
    records.push(time === undefined ? { values } : { values, time });
  }
  return { records, warnings };
}

function readSummary(text: string, warnings: FrameworkWarning[]): JsonObject | undefined {
  let summary: JsonObject;
  try {
    summary = parseJsonObject(stripBom(text));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    warnings.push({ message: `metrics.json: ${reason}` });
    return undefined;
  }
  const flat: JsonObject = {};
  flatten(summary, '', flat);
  return flat;
}

/** `{"train": {"loss": 1}}` -> `{"train/loss": 1}`: the names the TSVs (and Live.log_metric) use. */
function flatten(object: JsonObject, prefix: string, out: JsonObject): void {
  for (const key of Object.keys(object)) {
    const value = object[key]!;
    // DVCLive >= 2.15.1 writes nan/inf into the summary as the strings "nan"/"inf".
    const name = prefix + key;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) flatten(value, `${name}/`, out);
    else defineKey(out, name, typeof value === 'string' ? cellValue(value) : value);
  }
}

// ---------------------------------------------------------------- YAML

/** What {@link parseSimpleYaml} read, and what it skipped. */
export interface SimpleYaml {
  value: JsonObject;
  warnings: FrameworkWarning[];
}

interface YamlLine {
  indent: number;
  text: string;
  line: number;
}

/**
 * Reads the block-style YAML maps that DVCLive (`params.yaml`), Lightning (`hparams.yaml`) and
 * MLflow (`meta.yaml`) write: nested maps by indentation, lists of scalars (`- x`, `[a, b]`), plain,
 * quoted and multi-line plain scalars, comments. Scalars follow YAML 1.2's core schema (numbers,
 * `true`/`false`, `null`/`~`, `.inf`/`.nan`); anything else stays a string. Anchors, aliases, tags
 * (`!!python/object`), block scalars (`|`, `>`) and lists of maps are skipped with a warning naming
 * the line: this is not a YAML implementation, and it never throws.
 */
export function parseSimpleYaml(text: string): SimpleYaml {
  const warnings: FrameworkWarning[] = [];
  const lines: YamlLine[] = [];
  stripBom(text).split(/\r?\n/).forEach((raw, index) => {
    const content = stripComment(raw).trimEnd();
    const body = content.trimStart();
    if (body === '' || body === '---' || body === '...' || body.startsWith('%')) return;
    lines.push({ indent: content.length - body.length, text: body, line: index + 1 });
  });
  const value: JsonObject = {};
  if (lines.length === 0) return { value, warnings };
  if (isListItem(lines[0]!.text) || lines[0]!.indent !== 0) {
    warnings.push({ line: lines[0]!.line, message: 'not a map at the top level; skipped' });
    return { value, warnings };
  }
  let i = 0;
  while (i < lines.length) {
    i = parseMap(lines, i, lines[i]!.indent, 1, value, warnings);
    // The top level stops only on a stray line (a list item, or text indented where no key opens
    // a block): skip it and whatever hangs below it, then go on with the next key.
    if (i < lines.length) {
      const stray = lines[i]!;
      warnings.push({ line: stray.line, message: 'unexpected line here; skipped' });
      i = skipDeeper(lines, i + 1, stray.indent);
    }
  }
  return { value, warnings };
}

/** Parses the map whose keys sit at `indent` from line `i` into `out`; returns the first line not part of it. */
function parseMap(lines: YamlLine[], i: number, indent: number, depth: number, out: JsonObject, warnings: FrameworkWarning[]): number {
  while (i < lines.length && lines[i]!.indent === indent && !isListItem(lines[i]!.text)) {
    const { text, line } = lines[i]!;
    const colon = keyColon(text);
    if (colon < 0) {
      warnings.push({ line, message: 'not a "key: value" line; skipped' });
      i = skipDeeper(lines, i + 1, indent);
      continue;
    }
    const key = unquote(text.slice(0, colon).trim());
    const rest = text.slice(colon + 1).trim();
    i++;
    if (rest === '') {
      const next = lines[i];
      if (next && next.indent > indent && depth < MAX_DEPTH) {
        if (isListItem(next.text)) {
          const list: JsonValue[] = [];
          i = parseList(lines, i, next.indent, list, warnings);
          defineKey(out, key, list);
        } else {
          const child: JsonObject = {};
          i = parseMap(lines, i, next.indent, depth + 1, child, warnings);
          defineKey(out, key, child);
        }
        // Anything still deeper than this key is malformed here (e.g. a dedent to a new level).
        if (i < lines.length && lines[i]!.indent > indent) {
          warnings.push({ line: lines[i]!.line, message: 'unexpected indentation; skipped' });
          i = skipDeeper(lines, i, indent);
        }
      } else if (next && next.indent > indent) {
        warnings.push({ line, message: `"${key}" is nested deeper than ${MAX_DEPTH} levels; skipped` });
        i = skipDeeper(lines, i, indent);
      } else if (next && next.indent === indent && isListItem(next.text)) {
        // PyYAML writes a map's list items at the key's own indentation.
        const list: JsonValue[] = [];
        i = parseList(lines, i, indent, list, warnings);
        defineKey(out, key, list);
      } else {
        defineKey(out, key, null);
      }
      continue;
    }
    if (/^[|>&*!]/.test(rest)) {
      warnings.push({ line, message: `"${key}": anchors, aliases, tags and block scalars are not read; skipped` });
      i = skipDeeper(lines, i, indent);
      continue;
    }
    // A plain or quoted scalar may continue on more-indented lines (PyYAML folds long strings at 80 columns).
    let scalarText = rest;
    while (i < lines.length && lines[i]!.indent > indent) scalarText += ` ${lines[i++]!.text}`;
    defineKey(out, key, scalar(scalarText));
  }
  return i;
}

/** Parses `- item` lines at `indent` into `out`; returns the first line not part of the list. */
function parseList(lines: YamlLine[], i: number, indent: number, out: JsonValue[], warnings: FrameworkWarning[]): number {
  while (i < lines.length && lines[i]!.indent === indent && isListItem(lines[i]!.text)) {
    const { text, line } = lines[i]!;
    const item = text.slice(1).trim();
    i++;
    if (item === '' || isListItem(item) || keyColon(item) >= 0 || /^[|>&*!]/.test(item)) {
      warnings.push({ line, message: 'only lists of plain values are read; list item skipped' });
      i = skipDeeper(lines, i, indent);
      continue;
    }
    let scalarText = item;
    while (i < lines.length && lines[i]!.indent > indent) scalarText += ` ${lines[i++]!.text}`;
    out.push(scalar(scalarText));
  }
  return i;
}

function skipDeeper(lines: YamlLine[], i: number, indent: number): number {
  while (i < lines.length && lines[i]!.indent > indent) i++;
  return i;
}

function isListItem(text: string): boolean {
  return text === '-' || text.startsWith('- ');
}

/** Index of the colon ending a key (`key:` at the end or followed by a space), outside quotes and flow brackets, or -1. */
function keyColon(text: string): number {
  let quote = '';
  if (text.startsWith('[') || text.startsWith('{')) return -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = '';
    } else if ((c === '"' || c === "'") && i === 0) {
      quote = c;
    } else if (c === ':' && (i + 1 === text.length || text[i + 1] === ' ')) {
      return i;
    }
  }
  return -1;
}

/** The line without a `#` comment: one at the start or after a blank, outside quotes. */
function stripComment(line: string): string {
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      // Quotes open a scalar only at its start; "it's" in a plain scalar is an apostrophe.
      const before = line.slice(0, i).trimEnd();
      if (before === '' || before.endsWith(':') || before.endsWith('-') || before.endsWith('[') || before.endsWith(',') || before.endsWith('{')) quote = c;
    } else if (c === '#' && (i === 0 || line[i - 1] === ' ' || line[i - 1] === '\t')) {
      return line.slice(0, i);
    }
  }
  return line;
}

function unquote(text: string): string {
  if (text.length >= 2 && text.startsWith("'") && text.endsWith("'")) return text.slice(1, -1).replaceAll("''", "'");
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) {
    try {
      // YAML's double-quoted escapes are a superset of JSON's; the common ones read the same.
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === 'string') return parsed;
    } catch {
      // A YAML-only escape (\x41, \N): keep the text between the quotes as it is.
    }
    return text.slice(1, -1);
  }
  return text;
}

/** A YAML 1.2 core-schema scalar, or a flat flow list/map of them. */
function scalar(text: string): JsonValue {
  if (text.startsWith("'") || text.startsWith('"')) return unquote(text);
  if (text.startsWith('[') && text.endsWith(']')) {
    const inner = text.slice(1, -1).trim();
    if (inner === '') return [];
    if (!/[[\]{}]/.test(inner)) return splitFlow(inner).map(scalar);
    return text;
  }
  if (text.startsWith('{') && text.endsWith('}')) {
    const inner = text.slice(1, -1).trim();
    const map: JsonObject = {};
    if (inner === '') return map;
    if (/[[\]{}]/.test(inner)) return text;
    for (const pair of splitFlow(inner)) {
      const colon = keyColon(pair);
      if (colon < 0) return text;
      defineKey(map, unquote(pair.slice(0, colon).trim()), scalar(pair.slice(colon + 1).trim()));
    }
    return map;
  }
  switch (text) {
    case '~': case 'null': case 'Null': case 'NULL': return null;
    case 'true': case 'True': case 'TRUE': return true;
    case 'false': case 'False': case 'FALSE': return false;
    case '.inf': case '.Inf': case '.INF': case '+.inf': return Infinity;
    case '-.inf': case '-.Inf': case '-.INF': return -Infinity;
    case '.nan': case '.NaN': case '.NAN': return NaN;
  }
  // Finite numbers only: a param value `inf` or `nan` written plain is more likely a word.
  return numberFromText(text, false) ?? text;
}

/** Splits a flow collection's inside on commas outside quotes. */
function splitFlow(inner: string): string[] {
  const parts: string[] = [];
  let quote = '';
  let start = 0;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i]!;
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === ',') {
      parts.push(inner.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(inner.slice(start).trim());
  return parts.filter((part) => part !== '');
}
