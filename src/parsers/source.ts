/**
 * Inputs to records: stdin, files (optionally followed as they grow) or any byte stream,
 * split into lines at the byte level.
 *
 * Speed comes from never decoding a line that cannot be metadata: most training output
 * has no `{` at all, so the splitter looks for `{` bytes with Buffer.indexOf (native code)
 * and only lines holding one are decoded and handed to the grammar. Memory is bounded by
 * the longest line allowed (`maxLineBytes`), never by the size of the input.
 */
import { constants, createReadStream, readFileSync, type Stats } from 'node:fs';
import { accessFile, statFile } from '../core/files.js';
import type { Readable } from 'node:stream';
import { InputError } from '../core/errors.js';
import { classifyLine, parseCleanLine, type LineGrammarOptions } from './line.js';
import type { JsonLineWriter } from './fast/canonical.js';
import { IsoTimes, toRecord } from './metadata.js';
import { OtherEntries, restrictKeys, scanSelected, selectKeys, takesOtherKeys, type KeySelection, type OtherKeysSink } from './fast/partial.js';
import type { Diagnostic, JsonObject, MetadataRecord } from '../core/types.js';
import { reads } from './dialects/dialects.js';
import { KerasProgress } from './dialects/keras.js';
import { loggingRecordAt, mayBeDialectLine } from './fast/dialect-bytes.js';
import { CriJoiner, splitKnownPrefix } from './dialects/prefixes.js';
import { diagnoseNoRecords, KEPT_LINES } from './dialects/diagnose.js';
import { TimestampReader } from './fast/timestamp-bytes.js';
import { CARRIAGE_RETURN, isDigit, NEWLINE, OPEN_BRACE as BRACE } from './fast/json-bytes.js';
import { cannotBeMetadata, criStreamAt, firstNonBlank, kerasAt, onlyBracesIn, recordSegment, timestampPrefixAt } from './fast/line-bytes.js';

export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

/** Where an input read to its end gives up on a line with no end (ReadOptions.maxSkippedLineBytes): 256 × the line limit, at least 1 GiB (4 GiB by default). */
export function endlessLineBytes(maxLineBytes = DEFAULT_MAX_LINE_BYTES): number {
  return Math.max(1024 * 1024 * 1024, 256 * maxLineBytes);
}

/** How lines are read. */
export interface ReadOptions extends LineGrammarOptions {
  /** Lines longer than this are skipped with a warning. Default 16 MiB. */
  maxLineBytes?: number;
  /**
   * An over-long line still without a newline after this many bytes ends the input with an
   * InputError: a stream whose line never ends (`/dev/zero`) stops instead of being skipped
   * forever. Default: never, for live readers (a job's `\r` progress may run for days); the
   * summaries of sort, gate and compare set it (endlessLineBytes).
   */
  maxSkippedLineBytes?: number;
  /** The clock for records without a time of their own; injectable for tests. Default Date.now. */
  now?: () => number;
  /**
   * Keep only these top-level keys in each record's values (a command that needs a few keys need
   * not build the rest). Records, times and diagnostics are the same as without it; values are the
   * full values restricted to these keys. For dotted paths pass `topLevelKeysFor(paths)`.
   * Default: every key.
   */
  keys?: ReadonlySet<string>;
  /**
   * Write clean metadata lines straight to this writer as extract prints them, instead of making
   * records of them; other metadata lines still reach the sink as records. Not in loose mode.
   */
  jsonLines?: JsonLineWriter;
  /**
   * The whole input is small (SMALL_INPUT_BYTES or less): read every line with the grammar's
   * JSON.parse path, not the byte scanners (`keys`, `jsonLines`). The scanners win on big logs once
   * the JIT has compiled them; on a few thousand lines they run interpreted and lose to the native
   * JSON.parse (issue 18). Records, values and diagnostics are the same either way.
   */
  smallInput?: boolean;
}

/** An input this size or smaller is read by the small-input path (ReadOptions.smallInput). */
export const SMALL_INPUT_BYTES = 512 * 1024;

/**
 * Finding the next newline or brace: Buffer#indexOf searches with memchr, best over long runs, but
 * each call first goes through Node's argument checks, which on a small log's short lines cost more
 * than the search (3× the typed array's own indexOf over 1,000 lines). Small inputs use this one.
 */
const typedIndexOf = Uint8Array.prototype.indexOf;

/** Where the reader sends what it finds. */
export interface RecordSink {
  /**
   * A record: its values are the sink's to keep. (With `keys`, a sink that also implements
   * OtherKeysSink, parsers/fast/partial.ts, gets the other keys too: SummaryBuilder's, for sort.)
   */
  record(record: MetadataRecord): void;
  /** Called when the reader is done with the chunk last pushed (and at the end of input). */
  chunkDone?(): void;
  diagnostic(diagnostic: Diagnostic): void;
  /** Called after each chunk; a returned promise pauses reading until it settles (backpressure). */
  afterChunk?(): Promise<void> | void;
}

/**
 * Splits pushed byte chunks into lines and turns metadata lines into records.
 * A push-based state machine, so files, pipes and child processes share it.
 */
export class LineReader {
  private lineNumber = 1;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** The current line is longer than the limit: drop bytes until its newline. */
  private overflowing = false;
  /** Bytes of the over-long line dropped so far (for maxSkippedLineBytes). */
  private skipped = 0;
  private atStart = true;
  private readonly maxLineBytes: number;
  /** ReadOptions.smallInput: lines are found with {@link typedIndexOf}. */
  private readonly small: boolean;
  private readonly now: () => number;
  private readTime = '';
  private readonly selection: KeySelection | undefined;
  /** With `keys` and a sink taking them: the other keys of the record being sent, and where they go. */
  private readonly others: OtherEntries | undefined;
  private readonly othersSink: OtherKeysSink | undefined;
  private readonly jsonLines: JsonLineWriter | undefined;
  /** Keras progress state (the `Epoch N/M` header, a held-back bar), when that dialect is read. */
  private readonly keras: KerasProgress | undefined;
  /**
   * Keras epoch records not yet sent: each waits for the next `Epoch N/M` header (or the end), so
   * that a job printing its own metadata (a JSON line from an on_epoch_end callback, as Valohai's
   * docs do it) is not charted twice. Once the input has held its own records, Keras's are dropped.
   */
  private kerasHeld: Array<{ values: JsonObject; line: number; time?: string }> = [];
  /** Whether this input has printed metadata of its own (JSON, a Python dict): then Keras progress is only progress. */
  private ownMetadata = false;
  /** Whether prefixed lines and objects after progress bars are read (the `prefix` and `bar` dialects). */
  private readonly prefixOrBar: boolean;
  /** Kubernetes CRI `P` pieces waiting for their `F` line, when the prefix dialect is read. */
  private readonly cri: CriJoiner | undefined;
  /** Whether the CRI joiner holds pieces: then a `{`-less CRI line may end a record. */
  private criPending = false;
  /** Records found so far (every path: records made, lines copied by extract, keys picked). */
  private recordCount = 0;
  /** While no record has been found: a few lines that looked like they might hold one, to say why none did. */
  private kept: string[] = [];
  /** This input's timestamp prefixes (the last date read) and record times (the last day formatted). */
  private readonly timestamps = new TimestampReader();
  private readonly times = new IsoTimes();

  constructor(
    readonly source: string,
    private readonly sink: RecordSink,
    private readonly options: ReadOptions = {},
  ) {
    this.maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.small = options.smallInput === true;
    this.now = options.now ?? Date.now;
    // Loose mode finds objects inside lines, and a small input is read faster by JSON.parse than by
    // the byte scanners before the JIT has warmed them up: both take the full grammar.
    const scanners = !options.loose && options.smallInput !== true;
    this.selection = options.keys && scanners ? selectKeys(options.keys) : undefined;
    this.jsonLines = scanners ? options.jsonLines : undefined;
    this.othersSink = options.keys && takesOtherKeys(sink) ? sink : undefined;
    this.others = this.othersSink !== undefined ? new OtherEntries(this.selection?.table.names) : undefined;
    this.keras = reads(options.dialects, 'keras') ? new KerasProgress() : undefined;
    this.prefixOrBar = reads(options.dialects, 'prefix') || reads(options.dialects, 'bar');
    this.cri = reads(options.dialects, 'prefix') ? new CriJoiner(this.maxLineBytes) : undefined;
  }

  /** Number of complete lines seen so far. */
  get lines(): number {
    return this.lineNumber - 1;
  }

  /** Number of records found so far. */
  get records(): number {
    return this.recordCount;
  }

  /**
   * For an input that held no records (call after end()): what its lines looked like and what
   * would read them (`--dialect`, `--loose`, a Python dict with a call inside), or undefined.
   */
  noRecordsHint(): string | undefined {
    if (this.recordCount > 0 || this.kept.length === 0) return undefined;
    return diagnoseNoRecords(this.kept, this.options);
  }

  /** Keeps a line that might have held a record, while none has been found (at most KEPT_LINES). */
  private keep(buffer: Buffer, start: number, stop: number): void {
    this.kept.push(buffer.toString('utf8', start, Math.min(stop, start + 4096)));
  }

  push(chunk: Buffer): void {
    this.pushLines(chunk);
    this.sink.chunkDone?.();
  }

  private pushLines(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.readTime = new Date(this.now()).toISOString();
    let start = 0;
    if (this.atStart) {
      this.atStart = false;
      // A UTF-8 byte order mark at the start of input is not content.
      if (chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) start = 3;
    }
    const length = chunk.length;
    // Position of the next `{` at or after `start`, reused across lines so the scan stays linear.
    const small = this.small;
    let brace = small ? typedIndexOf.call(chunk, BRACE, start) : chunk.indexOf(BRACE, start);
    while (start < length) {
      const newline = small ? typedIndexOf.call(chunk, NEWLINE, start) : chunk.indexOf(NEWLINE, start);
      const end = newline === -1 ? length : newline;
      if (newline === -1) {
        this.keepPartial(chunk, start, end);
        return;
      }
      if (this.pendingBytes > 0 || this.overflowing) {
        this.finishPartial(chunk, start, end);
      } else if (end - start > this.maxLineBytes) {
        this.tooLong();
      } else {
        if (brace !== -1 && brace < start) brace = small ? typedIndexOf.call(chunk, BRACE, start) : chunk.indexOf(BRACE, start);
        if (brace !== -1 && brace < end) this.handleLine(chunk, start, end);
        // Once the job has printed its own metadata, Keras bars are only progress: not even decoded.
        else if (this.keras !== undefined && !this.ownMetadata && kerasAt(chunk, start, end, this.timestamps) !== -1) this.handleKeras(chunk, start, end, this.keras);
        else if (this.criPending) this.handleLine(chunk, start, end);
        else if (this.recordCount === 0 && this.kept.length < KEPT_LINES && kerasAt(chunk, start, end, this.timestamps) !== -1) this.keep(chunk, start, end);
      }
      this.lineNumber++;
      start = newline + 1;
    }
  }

  /** Ends the input: a last line without a newline still counts. */
  end(): void {
    this.endLines();
    this.sink.chunkDone?.();
  }

  private endLines(): void {
    if (this.overflowing) {
      this.overflowing = false;
      this.lineNumber++;
      return;
    }
    if (this.pendingBytes > 0) {
      const line = Buffer.concat(this.pending, this.pendingBytes);
      this.pending = [];
      this.pendingBytes = 0;
      this.handleWholeLine(line);
      this.lineNumber++;
    }
    // CRI pieces never closed by an `F` line: what arrived is still the line's text.
    if (this.cri !== undefined && this.criPending) {
      this.criPending = false;
      for (const piece of this.cri.end()) this.classifyText(piece.text, undefined);
    }
    // A Keras bar held back to see whether another followed it is the last epoch's.
    if (this.keras !== undefined) {
      this.emitKeras(this.keras.end(), Math.max(1, this.lineNumber - 1));
      this.releaseKeras();
    }
  }

  /** A line put together from pieces of several chunks. */
  private handleWholeLine(line: Buffer): void {
    if (line.indexOf(BRACE) !== -1) this.handleLine(line, 0, line.length);
    else if (this.keras !== undefined && !this.ownMetadata && kerasAt(line, 0, line.length, this.timestamps) !== -1) this.handleKeras(line, 0, line.length, this.keras);
    else if (this.criPending) this.handleLine(line, 0, line.length);
  }

  /** A line that may be Keras progress output (checked on its bytes): its records, if it completes an epoch. */
  private handleKeras(buffer: Buffer, start: number, end: number, keras: KerasProgress): void {
    // A saved log (`run --save`, `kubectl logs --timestamps`) times each line: the epoch's time.
    let from = start;
    let time: string | undefined;
    if (timestampPrefixAt(this.timestamps, buffer, start, end)) {
      from = start + this.timestamps.length;
      time = this.times.format(this.timestamps.time);
    }
    const headers = keras.headers;
    const records = keras.line(buffer.toString('utf8', from, end));
    // A new epoch's header: the last epoch's record had its chance to be printed by the job itself.
    if (keras.headers !== headers) this.releaseKeras();
    this.emitKeras(records, this.lineNumber, time);
  }

  private emitKeras(objects: readonly JsonObject[], line: number, time?: string): void {
    if (this.ownMetadata) return;
    for (const values of objects) this.kerasHeld.push(time === undefined ? { values, line } : { values, line, time });
  }

  private releaseKeras(): void {
    const held = this.kerasHeld;
    this.kerasHeld = [];
    if (this.ownMetadata) return;
    for (const { values, line, time } of held) this.emit({ values, time: time ?? (this.readTime || new Date(this.now()).toISOString()), source: this.source, line });
  }

  /** A record went out by a fast path (extract's copy, picked keys). Returns nothing, for `return this.wroteRecord()`. */
  private wroteRecord(): void {
    this.recordCount++;
    this.sawOwnMetadata();
  }

  /** The input printed a record of its own: Keras progress is progress from now on. */
  private sawOwnMetadata(): void {
    if (this.ownMetadata) return;
    this.ownMetadata = true;
    this.kerasHeld = [];
  }

  private keepPartial(chunk: Buffer, start: number, end: number): void {
    if (this.overflowing) {
      this.skipped += end - start;
      if (this.skipped > (this.options.maxSkippedLineBytes ?? Infinity)) this.endless();
      return;
    }
    if (this.pendingBytes + (end - start) > this.maxLineBytes) {
      this.tooLong();
      this.overflowing = true;
      this.skipped = this.pendingBytes + (end - start);
      this.pending = [];
      this.pendingBytes = 0;
      return;
    }
    // Copy: the caller may reuse the chunk's memory.
    this.pending.push(Buffer.from(chunk.subarray(start, end)));
    this.pendingBytes += end - start;
  }

  private finishPartial(chunk: Buffer, start: number, end: number): void {
    if (this.overflowing) {
      this.overflowing = false;
      return;
    }
    if (this.pendingBytes + (end - start) > this.maxLineBytes) {
      this.tooLong();
      this.pending = [];
      this.pendingBytes = 0;
      return;
    }
    this.pending.push(chunk.subarray(start, end));
    const line = Buffer.concat(this.pending, this.pendingBytes + (end - start));
    this.pending = [];
    this.pendingBytes = 0;
    this.handleWholeLine(line);
  }

  /** A line that does not end: reading stops (issue 15, item 13), since skipping it would never end. */
  private endless(): never {
    throw new InputError(`${this.source}:${this.lineNumber}: a line with no newline in ${formatBytes(this.options.maxSkippedLineBytes ?? this.skipped)} (the limit is ${formatBytes(this.maxLineBytes)}): not a log, stopped reading`);
  }

  private tooLong(): void {
    this.sink.diagnostic({
      source: this.source,
      line: this.lineNumber,
      message: `line longer than ${formatBytes(this.maxLineBytes)}, skipped`,
    });
  }

  private handleLine(buffer: Buffer, start: number, end: number): void {
    let stop = end;
    if (stop > start && buffer[stop - 1] === CARRIAGE_RETURN) stop--;
    if (this.recordCount === 0 && this.kept.length < KEPT_LINES) this.keep(buffer, start, stop);
    let dialectLine = false;
    if (!this.options.loose && cannotBeMetadata(buffer, start, stop)) {
      // `[rank0]: {...}`, `INFO:root:{...}`, `trainer-1  | {...}`, a bar then `{...}`: the grammar's.
      if (!this.prefixOrBar) return;
      const first = firstNonBlank(buffer, start, stop);
      if (first >= stop || !mayBeDialectLine(buffer, first, stop)) return;
      dialectLine = true;
      // `INFO:root:{...}` adds nothing to its record: the record's bytes take the fast paths.
      const record = this.cri !== undefined && (this.jsonLines !== undefined || this.selection !== undefined) ? loggingRecordAt(buffer, first, stop) : -1;
      if (record !== -1) {
        if (this.jsonLines !== undefined && this.jsonLines.writeLine(buffer, record, stop, this.readTime, this.source, this.lineNumber)) return this.wroteRecord();
        if (this.selection !== undefined && this.pickKeys(buffer, record, stop, this.selection)) return this.wroteRecord();
      }
    }
    if (this.cri !== undefined && timestampPrefixAt(this.timestamps, buffer, start, stop) && criStreamAt(buffer, start + this.timestamps.length, stop)) {
      this.handleCri(buffer.toString('utf8', start, stop), this.cri);
      return;
    }
    if (!dialectLine && (this.jsonLines !== undefined || this.selection !== undefined)) {
      const first = buffer[start] as number;
      if (first === BRACE || isDigit(first)) {
        if (this.jsonLines !== undefined && this.writeJsonLine(buffer, start, stop, this.jsonLines)) return this.wroteRecord();
        if (this.selection !== undefined && this.pickKeys(buffer, start, stop, this.selection)) return this.wroteRecord();
      } else {
        // A coloured record, or a progress bar redrawn with \r and then a record.
        const segment = recordSegment(buffer, start, stop);
        // No segment starts with `{`; behind a prefix or a progress bar one may still hold a record.
        if (segment === null && !this.prefixOrBar) return;
        // Under the prefix and bar dialects, a `{` outside the segment may start a record too.
        if (segment !== undefined && segment !== null && (!this.prefixOrBar || onlyBracesIn(buffer, start, stop, segment))) {
          if (this.jsonLines !== undefined && this.jsonLines.writeLine(buffer, segment.start, segment.end, this.readTime, this.source, this.lineNumber)) return this.wroteRecord();
          if (this.selection !== undefined && this.pickKeys(buffer, segment.start, segment.end, this.selection)) return this.wroteRecord();
        }
      }
    }
    this.classifyText(buffer.toString('utf8', start, stop), undefined);
  }

  /**
   * A Kubernetes node log line (`<time> stdout F <line>`; `P` for a piece of a longer line): pieces
   * are joined per stream, then the whole line is read by the grammar, timed by the runtime's clock.
   */
  private handleCri(text: string, joiner: CriJoiner): void {
    const known = splitKnownPrefix(text);
    if (known === undefined || known.kind !== 'cri') {
      this.classifyText(text, undefined);
      return;
    }
    const line = joiner.push(known.stream ?? 'stdout', known.partial === true, known.rest);
    this.criPending = joiner.pending;
    if (line !== undefined) this.classifyText(line, known.time);
  }

  /** The full grammar on a decoded line; `outerTime` is a time an outer prefix (CRI) gave the line. */
  private classifyText(text: string, outerTime: number | undefined): void {
    const clean = this.options.loose || outerTime !== undefined ? undefined : parseCleanLine(text);
    if (clean !== undefined) {
      this.emit(toRecord(clean, this.source, this.lineNumber, undefined, this.readTime, this.times));
      return this.sawOwnMetadata();
    }
    const classified = classifyLine(text, this.options, this.timestamps);
    if (classified.objects.length > 0) this.sawOwnMetadata();
    const prefixTime = classified.prefixTime ?? outerTime;
    for (const object of classified.objects) {
      this.emit(toRecord(object, this.source, this.lineNumber, prefixTime, this.readTime, this.times));
    }
    for (const reason of classified.rejected) {
      this.sink.diagnostic({ source: this.source, line: this.lineNumber, message: `looks like metadata but is ${reason}, skipped` });
    }
    if (classified.badPrefix !== undefined && classified.objects.length > 0) {
      this.sink.diagnostic({ source: this.source, line: this.lineNumber, message: `'${classified.badPrefix}' is not a valid RFC 3339 time; the record is read without it, timed when read` });
    }
  }

  /** A clean line (`{...}`, or `<RFC 3339 time> {...}`) written as extract prints it; false when it needs the full grammar. */
  private writeJsonLine(buffer: Buffer, start: number, stop: number, writer: JsonLineWriter): boolean {
    if (buffer[start] === BRACE) return writer.writeLine(buffer, start, stop, this.readTime, this.source, this.lineNumber);
    const timestamps = this.timestamps;
    if (!timestampPrefixAt(timestamps, buffer, start, stop)) return false;
    return writer.writeLine(buffer, start + timestamps.length, stop, this.times.format(timestamps.time), this.source, this.lineNumber);
  }

  /**
   * Only the wanted keys of a clean line (`{...}`, or `<RFC 3339 time> {...}`), straight from the
   * bytes. Returns false when the line needs the full grammar.
   */
  private pickKeys(buffer: Buffer, start: number, stop: number, selection: KeySelection): boolean {
    let from = start;
    let prefixTime: number | undefined;
    if (buffer[start] !== BRACE) {
      if (!timestampPrefixAt(this.timestamps, buffer, start, stop)) return false;
      from = start + this.timestamps.length;
      prefixTime = this.timestamps.time;
    }
    const picked = scanSelected(buffer, from, stop, selection, this.others);
    if (picked === undefined) return false;
    // The scanner leaves `vh_metadata` lines to the full grammar, so only `_time` needs toRecord.
    const record: MetadataRecord = Object.hasOwn(picked, '_time') || prefixTime !== undefined
      ? toRecord(picked, this.source, this.lineNumber, prefixTime, this.readTime, this.times)
      : { values: picked, time: this.readTime, source: this.source, line: this.lineNumber };
    if (this.othersSink !== undefined) this.othersSink.recordWithOthers(record, this.others as OtherEntries);
    else this.sink.record(record);
    return true;
  }

  private emit(record: MetadataRecord): void {
    this.recordCount++;
    const keys = this.options.keys;
    if (keys === undefined) {
      this.sink.record(record);
      return;
    }
    // The full grammar's record, every key already a value: a sink taking the other keys (a
    // summary's `others: 'latest'`) reads them from the whole record, as its `record` says it does;
    // any other sink gets the wanted keys only.
    if (this.othersSink === undefined) record.values = restrictKeys(record.values, keys);
    this.sink.record(record);
  }
}


export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3 && bytes % 1024 ** 3 === 0) return `${bytes / 1024 ** 3} GiB`;
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/** Reads a whole stream through a LineReader; resolves with the number of lines. */
export async function readStream(stream: Readable, source: string, sink: RecordSink, options: ReadOptions = {}): Promise<number> {
  return (await readStreamCounted(stream, source, sink, options)).lines;
}

/** What reading one input found: its lines, its records, and for none, why (LineReader.noRecordsHint). */
export interface ReadCount {
  lines: number;
  records: number;
  hint?: string;
}

/** readStream, with the records counted and, when there were none, the reason. */
export async function readStreamCounted(stream: AsyncIterable<Buffer | string>, source: string, sink: RecordSink, options: ReadOptions = {}): Promise<ReadCount> {
  const reader = new LineReader(source, sink, options);
  for await (const chunk of stream) {
    reader.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
    const waiting = sink.afterChunk?.();
    if (waiting) await waiting;
  }
  reader.end();
  const count: ReadCount = { lines: reader.lines, records: reader.records };
  const hint = reader.noRecordsHint();
  if (hint !== undefined) count.hint = hint;
  return count;
}

/** Describes why a path cannot be read, in the words a user expects. */
export function describeFsError(path: string, error: unknown): string {
  // The reader's own verdict (a line that never ends) already names the input.
  if (error instanceof InputError) return error.message;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT': return `${path}: no such file`;
    case 'EACCES':
    case 'EPERM': return `${path}: permission denied`;
    case 'EISDIR': return `${path}: is a directory`;
    default: return `${path}: cannot read (${(error as Error)?.message ?? String(error)})`;
  }
}

/** Checks that a path names a readable regular file (or FIFO/character device); throws InputError. */
export async function checkReadable(path: string): Promise<Stats> {
  let stats;
  try {
    stats = await statFile(path);
  } catch (error) {
    throw new InputError(describeFsError(path, error));
  }
  if (stats.isDirectory()) throw new InputError(`${path}: is a directory`);
  try {
    await accessFile(path, constants.R_OK);
  } catch (error) {
    throw new InputError(describeFsError(path, error));
  }
  return stats;
}

/** Opens a file for reading with a large buffer: fewer, bigger chunks are faster to scan. */
export function openFile(path: string): Readable {
  return createReadStream(path, { highWaterMark: 1024 * 1024 });
}

/**
 * A small file (SMALL_INPUT_BYTES or less) as one chunk, read when it is iterated (so a read error
 * reaches the reader's caller as a stream's would): setting up a read stream and taking it down
 * again cost more than reading the file.
 */
export async function* wholeFile(path: string): AsyncGenerator<Buffer> {
  yield readFileSync(path);
}
