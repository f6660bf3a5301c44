/**
 * CSV read as it arrives: the records of `parseCsvRecords` (formats/confusion.ts, RFC 4180 with
 * the same leniencies: a quote inside an unquoted field is text, text after a closing quote is
 * appended, CRLF, LF or CR end a record, a leading byte-order mark is dropped, a blank line is a
 * record of one empty field) from text pushed in pieces of any size, so that a CSV of millions of
 * rows is never held whole. A state machine that keeps only the record being read.
 */
import { InputError } from '../core/errors.js';
import type { CsvRecord } from './confusion.js';

const enum Mode { RecordStart, FieldStart, Unquoted, Quoted, QuoteSeen }

export class CsvRecordStream {
  private mode = Mode.RecordStart;
  /** After a CR that ended a record: an LF next is part of it. */
  private skipLf = false;
  /** The last character read inside quotes was a CR: an LF next is the same line break. */
  private quotedCr = false;
  private cells: string[] = [];
  private field = '';
  private line = 1;
  private startLine = 1;
  private quoteLine = 1;
  private fieldChars = 0;
  private started = false;

  /**
   * @param onRecord  each record as soon as its line break (or the end) is read
   * @param maxRecordChars  a record longer than this is an error, not held in memory without end
   */
  constructor(private readonly onRecord: (record: CsvRecord) => void, private readonly maxRecordChars = Infinity) {}

  push(text: string): void {
    let p = 0;
    const n = text.length;
    if (!this.started && n > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) p = 1;
    }
    while (p < n) {
      switch (this.mode) {
        case Mode.RecordStart: {
          if (this.skipLf) {
            this.skipLf = false;
            if (text.charCodeAt(p) === 0x0a) { p++; continue; }
          }
          this.startLine = this.line;
          this.cells = [];
          this.fieldChars = 0;
          this.mode = Mode.FieldStart;
          continue;
        }
        case Mode.FieldStart: {
          if (text.charCodeAt(p) === 0x22) {
            this.mode = Mode.Quoted;
            this.quoteLine = this.line;
            this.quotedCr = false;
            p++;
          } else this.mode = Mode.Unquoted;
          continue;
        }
        case Mode.Unquoted: {
          const from = p;
          let c = 0;
          while (p < n) {
            c = text.charCodeAt(p);
            if (c === 0x2c || c === 0x0a || c === 0x0d) break;
            p++;
          }
          if (p > from) this.append(text, from, p);
          if (p >= n) continue;
          this.cells.push(this.field);
          this.field = '';
          p++;
          if (c === 0x2c) {
            this.mode = Mode.FieldStart;
            continue;
          }
          this.line++;
          this.skipLf = c === 0x0d;
          this.emit();
          continue;
        }
        case Mode.Quoted: {
          const from = p;
          while (p < n) {
            const c = text.charCodeAt(p);
            if (c === 0x22) break;
            // Line breaks inside quotes count as parseCsvRecords counts them: CRLF once.
            if (c === 0x0a) { if (!this.quotedCr) this.line++; this.quotedCr = false; }
            else if (c === 0x0d) { this.line++; this.quotedCr = true; }
            else this.quotedCr = false;
            p++;
          }
          if (p > from) this.append(text, from, p);
          if (p < n) {
            this.mode = Mode.QuoteSeen;
            p++;
          }
          continue;
        }
        case Mode.QuoteSeen: {
          if (text.charCodeAt(p) === 0x22) {
            this.append('"', 0, 1);
            this.mode = Mode.Quoted;
            this.quotedCr = false;
            p++;
          } else this.mode = Mode.Unquoted;
          continue;
        }
      }
    }
  }

  /** The input ended: the last record, if it had no line break. @throws InputError for a quote never closed. */
  end(): void {
    if (this.mode === Mode.Quoted) throw new InputError(`CSV line ${this.quoteLine}: quoted field is never closed`);
    if (this.mode === Mode.RecordStart) return;
    this.cells.push(this.field);
    this.field = '';
    this.emit();
  }

  private append(text: string, from: number, to: number): void {
    this.fieldChars += to - from;
    if (this.fieldChars > this.maxRecordChars) {
      throw new InputError(`CSV line ${this.startLine}: a record longer than ${this.maxRecordChars} characters (the --max-line-bytes limit)`);
    }
    this.field += from === 0 && to === text.length ? text : text.slice(from, to);
  }

  private emit(): void {
    const record: CsvRecord = { cells: this.cells, line: this.startLine };
    this.cells = [];
    this.mode = Mode.RecordStart;
    this.onRecord(record);
  }
}
