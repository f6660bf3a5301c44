/**
 * `table`'s rows as text, markdown, CSV or JSON: a finished (sorted or grouped) table in one go,
 * or a stream whose columns (and, for text, widths) the first SAMPLE rows fix. Pure: rows in,
 * text out; the stream hands its text back with `take()` for the caller to write.
 */
import { flattenValues } from '../parsers/metadata.js';
import { getPath } from '../core/keys.js';
import { toJsonLine } from './json.js';
import { escapeForTerminal } from '../core/escape.js';
import { csvRow } from './csv.js';
import { csvValue, formatValue, layoutTextTable, markdownHead, markdownRow, renderCsvTable, renderMarkdownTable, renderTextTable, type CellInput, type Column, type TextTableLayout } from './table.js';
import { folderNote } from '../core/names.js';
import type { JsonValue, MetadataRecord } from '../core/types.js';
import type { TableFormat } from '../core/format.js';

/** Rows that fix a streamed table's columns and widths. */
export const SAMPLE = 1000;

/** Keys that first appear after the SAMPLE rows named one by one; the rest are counted in one line. */
export const KEY_NOTES = 20;

/** Later keys remembered (so each is counted once); past this the count says "more than". */
const KEYS_TRACKED = 100_000;

function cellOf(value: JsonValue | undefined): CellInput {
  if (value === undefined) return { text: '–', tone: 'dim' };
  if (typeof value === 'number' && !Number.isFinite(value)) return { text: formatValue(value), tone: 'bad' };
  return formatValue(value);
}

function jsonObject(names: readonly string[], values: ReadonlyArray<JsonValue | undefined>): string {
  const out: Record<string, JsonValue> = {};
  names.forEach((name, i) => {
    const value = values[i];
    if (value !== undefined) Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
  });
  return toJsonLine(out, 'null');
}

/** Renders a finished (sorted or grouped) table in one go. */
export function renderRows(names: readonly string[], rows: ReadonlyArray<ReadonlyArray<JsonValue | undefined>>, format: TableFormat, options: { color: boolean; width: number }): string {
  if (format === 'json') return rows.length === 0 ? '[]\n' : `[\n${rows.map((row) => `  ${jsonObject(names, row)}`).join(',\n')}\n]\n`;
  if (format === 'csv') return renderCsvTable(names, rows.map((row) => row.map(csvValue)));
  const columns = names.map((name): Column => ({ header: name, align: 'left' }));
  const body = rows.map((row) => row.map(cellOf));
  alignNumbers(columns, rows);
  if (format === 'markdown') return renderMarkdownTable(columns, body);
  return renderTextTable(columns, body, { color: options.color, maxWidth: options.width });
}

/** Columns whose values are all numbers are right-aligned. */
function alignNumbers(columns: Column[], rows: ReadonlyArray<ReadonlyArray<JsonValue | undefined>>): void {
  columns.forEach((column, i) => {
    const values = rows.map((row) => row[i]).filter((value) => value !== undefined);
    if (values.length > 0 && values.every((value) => typeof value === 'number')) column.align = 'right';
  });
}

/** Streams rows in a fixed format; columns come from `--keys` or the first SAMPLE rows. */
export class RowStream {
  private sample: Array<{ source: string; values: MetadataRecord['values'] }> = [];
  private names: string[] | undefined;
  private layout: TextTableLayout | undefined;
  private columns: Column[] = [];
  private out = '';
  private rowsWritten = 0;
  private readonly warned = new Set<string>();
  private known = new Set<string>();
  /** Later keys not named one by one; `uncounted` once KEYS_TRACKED were remembered. */
  private laterKeys = 0;
  private uncounted = false;

  constructor(
    private readonly format: TableFormat,
    private readonly chosen: string[] | undefined,
    private readonly withSource: boolean,
    /** Short names for text (`run-1.log`), and the folder they share; other formats keep the file as given. */
    private readonly display: { names: Map<string, string>; folder: string | undefined },
    private readonly options: { color: boolean; width: number },
    private readonly onNote: (message: string) => void,
  ) {}

  add(source: string, values: MetadataRecord['values']): void {
    if (this.format === 'json' && this.chosen === undefined) {
      // JSON rows carry their own keys: no need to know the columns in advance.
      const object: MetadataRecord['values'] = {};
      if (this.withSource) object['execution'] = source;
      for (const key of Object.keys(values)) Object.defineProperty(object, key, { value: values[key], enumerable: true, writable: true, configurable: true });
      this.out += `${this.rowsWritten === 0 ? '[\n' : ',\n'}  ${toJsonLine(object, 'null')}`;
      this.rowsWritten++;
      return;
    }
    if (this.names === undefined) {
      this.sample.push({ source, values });
      if (this.sample.length >= SAMPLE || (this.chosen !== undefined && this.format !== 'text')) this.fix();
      return;
    }
    this.emit(source, values);
  }

  private fix(): void {
    let keys = this.chosen;
    if (keys === undefined) {
      const seen = new Set<string>();
      for (const row of this.sample) for (const key of flattenValues(row.values).keys()) seen.add(key);
      keys = [...seen];
    }
    this.names = [...(this.withSource ? ['execution'] : []), ...keys];
    this.known = new Set(this.names);
    this.columns = this.names.map((name, i): Column => ({ header: name, ...(this.withSource && i === 0 ? { cut: 'start' as const, name: true } : {}) }));
    const rows = this.sample.map((row) => this.valuesOf(row.source, row.values));
    alignNumbers(this.columns, rows);
    if (this.format === 'text') {
      this.layout = layoutTextTable(this.columns, rows.map((row) => row.map(cellOf)), { color: this.options.color, maxWidth: this.options.width });
      this.out += this.layout.head;
    } else if (this.format === 'markdown') {
      this.out += markdownHead(this.columns);
    } else if (this.format === 'csv') {
      this.out += csvRow(this.names) + '\n';
    }
    const sample = this.sample;
    this.sample = [];
    for (const row of sample) this.emit(row.source, row.values);
  }

  private valuesOf(source: string, values: MetadataRecord['values']): Array<JsonValue | undefined> {
    const keys = (this.names ?? []).slice(this.withSource ? 1 : 0);
    const execution = this.format === 'text' ? this.display.names.get(source) ?? source : source;
    return [...(this.withSource ? [execution] : []), ...keys.map((key) => getPath(values, key))];
  }

  private emit(source: string, values: MetadataRecord['values']): void {
    if (this.chosen === undefined) {
      for (const key of flattenValues(values).keys()) {
        if (this.known.has(key) || this.warned.has(key)) continue;
        if (this.warned.size >= KEYS_TRACKED) {
          this.uncounted = true;
          continue;
        }
        this.warned.add(key);
        // A log with a million keys gets KEY_NOTES lines and a count, not a million lines.
        if (this.warned.size <= KEY_NOTES) this.onNote(`key '${key}' first appears after the first ${SAMPLE} rows, which fixed the columns; name it with --keys`);
        else this.laterKeys++;
      }
    }
    const row = this.valuesOf(source, values);
    switch (this.format) {
      case 'json': this.out += `${this.rowsWritten === 0 ? '[\n' : ',\n'}  ${jsonObject(this.names ?? [], row)}`; break;
      case 'csv': this.out += csvRow(row.map(csvValue)) + '\n'; break;
      case 'markdown': this.out += markdownRow(this.columns, row.map(cellOf)); break;
      case 'text': this.out += this.layout?.row(row.map(cellOf)) ?? ''; break;
    }
    this.rowsWritten++;
  }

  get rows(): number {
    return this.rowsWritten + this.sample.length;
  }

  /** Text written since the last call. */
  take(): string {
    const text = this.out;
    this.out = '';
    return text;
  }

  end(): string {
    if (this.names === undefined && !(this.format === 'json' && this.chosen === undefined)) {
      if (this.sample.length > 0 || this.chosen !== undefined) this.fix();
    }
    if (this.laterKeys > 0) {
      const count = this.uncounted ? `more than ${this.laterKeys}` : String(this.laterKeys);
      this.onNote(`… and ${count} more keys first appear after the first ${SAMPLE} rows; name them with --keys`);
    }
    if (this.format === 'json') this.out += this.rowsWritten === 0 ? '[]\n' : '\n]\n';
    if (this.format === 'text' && this.layout) {
      this.out += this.layout.foot;
      if (this.withSource && this.display.folder !== undefined) this.out += `${escapeForTerminal(folderNote(this.display.folder))}\n`;
    }
    return this.take();
  }
}
