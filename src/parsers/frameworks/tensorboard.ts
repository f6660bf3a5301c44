/**
 * Reads TensorBoard event files (`events.out.tfevents.*`) into metadata-like records.
 *
 * A file is a sequence of TFRecord frames, each holding one serialized `tensorboard.Event`:
 *
 *     uint64 LE  length
 *     uint32 LE  masked CRC32C of the 8 length bytes
 *     bytes      data (length bytes)
 *     uint32 LE  masked CRC32C of data
 *
 * Scalars come in two shapes: `Summary.Value.simple_value` (a float32; TF1, PyTorch's and
 * tensorboardX's SummaryWriter) and `Summary.Value.tensor` holding one element, on a tag whose
 * metadata names the `scalars` plugin or says `DATA_CLASS_SCALAR` (TF2 `tf.summary.scalar`,
 * Keras, `tensorboard.summary.Writer`, PyTorch's `new_style=True`). Writers may put that
 * metadata only on a tag's first value, so the plugin is remembered per tag from the first
 * value that names one, as TensorBoard does. Histograms, images, audio, text, hparams and the
 * rest are skipped (the `hparams` plugin's hyperparameters are not read yet).
 *
 * Decoding uses @bufbuild/protobuf with code generated from the vendored protos in
 * ./tensorboard-proto (see its README), and @aws-crypto/crc32c for the checksums.
 */
import { crc32c } from '@aws-crypto/crc32c';
import { fromBinary } from '@bufbuild/protobuf';
import type { JsonObject } from '../../core/types.js';
import { defineKey } from '../json.js';
import { EventSchema } from './tensorboard-proto/gen/tensorboard/compat/proto/event_pb.js';
import type { Summary_Value } from './tensorboard-proto/gen/tensorboard/compat/proto/summary_pb.js';
import { DataClass } from './tensorboard-proto/gen/tensorboard/compat/proto/summary_pb.js';
import type { TensorProto } from './tensorboard-proto/gen/tensorboard/compat/proto/tensor_pb.js';
import { DataType } from './tensorboard-proto/gen/tensorboard/compat/proto/types_pb.js';

/** One Event that held at least one scalar. */
export interface TensorBoardRecord {
  /** `{ step, <tag>: <value>, ... }` in the order the Event lists its values; tags as written (`train/loss`). */
  values: JsonObject;
  /** The Event's `wall_time` as ISO-8601 UTC with milliseconds, ending in `Z`. */
  time: string;
  /** Byte offset of the record's frame in the file. */
  offset: number;
}

/** Something wrong with one record; `offset` is the byte offset of its frame. The caller adds the file name. */
export interface TensorBoardWarning {
  offset: number;
  message: string;
}

/** What a read (or one step of a streaming read) produced. */
export interface TensorBoardBatch {
  records: TensorBoardRecord[];
  warnings: TensorBoardWarning[];
}

/** Frame header: 8 length bytes and their 4-byte CRC. */
const HEADER_BYTES = 12;
/** Trailing data CRC. */
const FOOTER_BYTES = 4;
/**
 * Longest record accepted. Events are small (a scalar Event is ~50 bytes; images and graphs run
 * to megabytes); a larger length, even with a valid CRC, is treated as corruption so that a
 * streaming read never waits to buffer gigabytes for one frame.
 */
export const MAX_RECORD_BYTES = 256 * 1024 * 1024;

const FILE_NAME_PREFIX = 'events.out.tfevents.';

/**
 * Whether a path's last component is a TensorBoard event file name (`events.out.tfevents.<...>`,
 * as TF, Keras, PyTorch and tensorboardX name them). Both `/` and `\` separate components.
 */
export function isTensorBoardFileName(name: string): boolean {
  const base = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  return base.length > FILE_NAME_PREFIX.length && base.startsWith(FILE_NAME_PREFIX);
}

/**
 * Whether bytes start like a TFRecord file: the first frame's length CRC holds and, when the
 * whole first record is in `head`, its data CRC too. For sniffing content whose name says
 * nothing; 12 bytes are needed, and a 1-in-2^32 chance of a false yes remains on 12–15 bytes.
 */
export function looksLikeTensorBoard(head: Uint8Array): boolean {
  if (head.length < HEADER_BYTES) return false;
  const length = frameLength(head, 0);
  if (length === undefined) return false;
  const end = HEADER_BYTES + length + FOOTER_BYTES;
  if (head.length < end) return true;
  return dataCrcHolds(head, 0, length);
}

/**
 * Reads a whole event file. Records come out in file order; a record whose data CRC fails is
 * skipped with a warning, a corrupt frame header makes the reader search forward for the next
 * valid frame (with a warning), and an incomplete last frame gives one warning
 * "truncated record at offset N (file still being written?)". Records before any of these are kept.
 */
export function readTensorBoardEvents(bytes: Uint8Array): TensorBoardBatch {
  const reader = new TensorBoardReader();
  const first = reader.push(bytes);
  const last = reader.end();
  return { records: [...first.records, ...last.records], warnings: [...first.warnings, ...last.warnings] };
}

/**
 * Incremental form of {@link readTensorBoardEvents} for big files and `--follow`: `push` each
 * chunk as it is read and get the records completed so far; a frame split across chunks waits
 * in the reader (only its bytes are kept). Call `end` when the input is over: it reports an
 * incomplete last frame. While following a file that is still being written, just don't call
 * `end`: a half-written record is then not an error but waits for the rest.
 *
 * Reading the same bytes in any chunking gives the same records and warnings.
 */
export class TensorBoardReader {
  /** Chunks not consumed yet, oldest first, and their total length. */
  private chunks: Uint8Array[] = [];
  private buffered = 0;
  /** File offset of the first buffered byte. */
  private base = 0;
  /** Bytes that must be buffered before parsing can move on. */
  private needed = HEADER_BYTES;
  /** Set while skipping over corruption: where it started. */
  private resyncFrom: number | undefined;
  private ended = false;
  private readonly state = new SummaryState();

  /** Adds the next bytes of the file; returns the records (and warnings) they completed. */
  push(chunk: Uint8Array): TensorBoardBatch {
    if (this.ended) throw new Error('TensorBoardReader: push after end');
    const out: TensorBoardBatch = { records: [], warnings: [] };
    if (chunk.length === 0) return out;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    if (this.buffered >= this.needed) this.parse(out);
    return out;
  }

  /** Says the input is over; returns what the last bytes complete and a warning for an incomplete frame. */
  end(): TensorBoardBatch {
    const out: TensorBoardBatch = { records: [], warnings: [] };
    if (this.ended) return out;
    this.ended = true;
    if (this.buffered > 0) this.parse(out);
    return out;
  }

  /** Bytes read so far that are not yet part of a returned record or warning (a partial frame). */
  get pendingBytes(): number {
    return this.buffered;
  }

  private parse(out: TensorBoardBatch): void {
    const buf = this.take();
    let pos = 0;
    for (;;) {
      const avail = buf.length - pos;
      const offset = this.base + pos;
      if (avail < HEADER_BYTES) {
        // Leftovers of a corrupt stretch were already warned about; a short tail is a cut frame.
        if (this.ended && avail > 0 && this.resyncFrom === undefined) this.incomplete(out, offset);
        this.needed = HEADER_BYTES;
        break;
      }
      const length = frameLength(buf, pos);
      if (length === undefined) {
        if (this.resyncFrom === undefined) {
          this.resyncFrom = offset;
          out.warnings.push({ offset, message: `corrupt record at offset ${offset}: bad length checksum; skipping to the next valid record` });
        }
        pos++;
        continue;
      }
      const total = HEADER_BYTES + length + FOOTER_BYTES;
      if (avail < total) {
        if (this.ended) {
          // While resyncing, a header that checks out but runs past the end was a chance match.
          if (this.resyncFrom !== undefined) { pos++; continue; }
          this.incomplete(out, offset);
          break;
        }
        this.needed = total;
        break;
      }
      if (!dataCrcHolds(buf, pos, length)) {
        if (this.resyncFrom !== undefined) { pos++; continue; }
        // The frame's length is trustworthy, so only this record is lost.
        out.warnings.push({ offset, message: `corrupt record at offset ${offset}: data checksum mismatch; record skipped` });
        pos += total;
        continue;
      }
      if (this.resyncFrom !== undefined) {
        out.warnings.push({ offset, message: `resumed at offset ${offset} after skipping ${offset - this.resyncFrom} corrupt bytes` });
        this.resyncFrom = undefined;
      }
      this.state.event(buf.subarray(pos + HEADER_BYTES, pos + HEADER_BYTES + length), offset, out);
      pos += total;
    }
    this.keep(buf, pos);
  }

  private incomplete(out: TensorBoardBatch, offset: number): void {
    out.warnings.push({ offset, message: `truncated record at offset ${offset} (file still being written?)` });
    this.chunks = [];
    this.base += this.buffered;
    this.buffered = 0;
  }

  /** All buffered bytes as one array (joined only when there is more than one chunk). */
  private take(): Uint8Array {
    if (this.chunks.length === 1) return this.chunks[0] as Uint8Array;
    const joined = new Uint8Array(this.buffered);
    let at = 0;
    for (const c of this.chunks) { joined.set(c, at); at += c.length; }
    return joined;
  }

  /** Keeps `buf[pos..]` for the next push, copied so that a big chunk's consumed part can be freed. */
  private keep(buf: Uint8Array, pos: number): void {
    if (this.buffered === 0) return; // incomplete() already dropped everything
    const rest = buf.length - pos;
    this.base += pos;
    this.buffered = rest;
    this.chunks = rest > 0 ? [buf.slice(pos)] : [];
  }
}

/** Per-file decoding state: which plugin each tag belongs to, and the warnings already given. */
class SummaryState {
  private readonly plugins = new Map<string, { plugin: string; scalar: boolean }>();
  private readonly warned = new Set<string>();

  event(data: Uint8Array, offset: number, out: TensorBoardBatch): void {
    let event;
    try {
      event = fromBinary(EventSchema, data, { readUnknownFields: false });
    } catch (error) {
      out.warnings.push({ offset, message: `corrupt record at offset ${offset}: not an Event (${(error as Error).message}); record skipped` });
      return;
    }
    // file_version, graph_def, session_log, ...: nothing to chart.
    if (event.what.case !== 'summary') return;
    let values: JsonObject | undefined;
    for (const value of event.what.value.value) {
      const scalar = this.scalar(value, offset, out);
      if (scalar === undefined) continue;
      if (value.tag === 'step') {
        this.warnOnce(out, 'step-tag', offset, `tag 'step' at offset ${offset} clashes with the event step; its values are skipped`);
        continue;
      }
      if (values === undefined) {
        values = {};
        // int64 steps beyond 2^53 lose precision; no training run gets there.
        values.step = Number(event.step);
      }
      defineKey(values, value.tag, scalar);
    }
    if (values === undefined) return;
    out.records.push({ values, time: isoTime(event.wallTime, offset, out, this), offset });
  }

  private scalar(value: Summary_Value, offset: number, out: TensorBoardBatch): number | undefined {
    const meta = value.metadata;
    if (meta !== undefined && !this.plugins.has(value.tag)) {
      const plugin = meta.pluginData?.pluginName ?? '';
      // The first value naming a plugin (or a data class) fixes the tag's kind; later values
      // of that tag usually carry no metadata. A display-name-only metadata decides nothing.
      if (plugin !== '' || meta.dataClass !== DataClass.UNKNOWN) {
        this.plugins.set(value.tag, { plugin, scalar: plugin === 'scalars' || meta.dataClass === DataClass.SCALAR });
      }
    }
    switch (value.value.case) {
      case 'simpleValue':
        return float32Number(value.value.value);
      case 'tensor': {
        if (this.plugins.get(value.tag)?.scalar !== true) return undefined;
        const result = tensorScalar(value.value.value);
        if (typeof result === 'string') {
          this.warnOnce(out, `tensor:${value.tag}`, offset, `tag '${value.tag}' at offset ${offset}: ${result}; its values are skipped`);
          return undefined;
        }
        return result;
      }
      default:
        return undefined;
    }
  }

  warnOnce(out: TensorBoardBatch, key: string, offset: number, message: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    out.warnings.push({ offset, message });
  }
}

/** Reads a frame's length, or undefined when its CRC fails or it is beyond {@link MAX_RECORD_BYTES}. */
function frameLength(buf: Uint8Array, pos: number): number | undefined {
  const view = new DataView(buf.buffer, buf.byteOffset + pos, HEADER_BYTES);
  if (maskedCrc32c(buf.subarray(pos, pos + 8)) !== view.getUint32(8, true)) return undefined;
  const high = view.getUint32(4, true);
  const low = view.getUint32(0, true);
  if (high !== 0 || low > MAX_RECORD_BYTES) return undefined;
  return low;
}

function dataCrcHolds(buf: Uint8Array, pos: number, length: number): boolean {
  const start = pos + HEADER_BYTES;
  const view = new DataView(buf.buffer, buf.byteOffset + start + length, FOOTER_BYTES);
  return maskedCrc32c(buf.subarray(start, start + length)) === view.getUint32(0, true);
}

/**
 * TFRecord's masked CRC32C: rotate right by 15 and add a constant, so that a CRC stored inside
 * checksummed data does not make the outer checksum trivial.
 */
export function maskedCrc32c(bytes: Uint8Array): number {
  const crc = crc32c(bytes);
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

/**
 * A float32 as the shortest decimal that reads back as the same float32: 0.1f gives 0.1,
 * not its exact double widening 0.10000000149011612. Writers narrow the double the user logged
 * to float32, so this is what the user wrote whenever it had at most ~7 significant digits,
 * and `Math.fround` of it is exactly the stored float32, so nothing is lost.
 */
export function float32Number(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  // If d digits read back as x, so do d + 1 (the nearest (d+1)-digit decimal is no farther),
  // so a binary search over 1..9 finds the fewest; 9 digits identify every float32.
  let low = 1;
  let high = 9;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (Math.fround(Number(x.toPrecision(mid))) === x) high = mid;
    else low = mid + 1;
  }
  return Number(x.toPrecision(high));
}

/** Elements in a tensor of this shape; rank 0 is one element. */
function elementCount(tensor: TensorProto): number {
  let count = 1;
  for (const dim of tensor.tensorShape?.dim ?? []) count *= Number(dim.size);
  return count;
}

/**
 * The value of a one-element numeric tensor, or a reason it has none. TF writes the value
 * either in the typed `*_val` field or as little-endian `tensor_content` bytes (TF2's C++
 * writer does the latter); with neither, the value is zero, as numpy's make_ndarray reads it.
 */
export function tensorScalar(tensor: TensorProto): number | string {
  const count = elementCount(tensor);
  if (count !== 1) return `scalars tensor has ${count} elements, not 1`;
  const content = tensor.tensorContent;
  const view = new DataView(content.buffer, content.byteOffset, content.byteLength);
  const has = (width: number): boolean => content.byteLength >= width;
  switch (tensor.dtype) {
    case DataType.DT_FLOAT:
      return float32Number(has(4) ? view.getFloat32(0, true) : tensor.floatVal[0] ?? 0);
    case DataType.DT_DOUBLE:
      return has(8) ? view.getFloat64(0, true) : tensor.doubleVal[0] ?? 0;
    case DataType.DT_HALF:
      return halfToNumber(has(2) ? view.getUint16(0, true) : tensor.halfVal[0] ?? 0);
    case DataType.DT_BFLOAT16:
      // bfloat16 is the top half of a float32; TF stores it in half_val too.
      return float32Number(bfloat16ToNumber(has(2) ? view.getUint16(0, true) : tensor.halfVal[0] ?? 0));
    case DataType.DT_INT8:
      return has(1) ? view.getInt8(0) : tensor.intVal[0] ?? 0;
    case DataType.DT_UINT8:
      return has(1) ? view.getUint8(0) : tensor.intVal[0] ?? 0;
    case DataType.DT_INT16:
      return has(2) ? view.getInt16(0, true) : tensor.intVal[0] ?? 0;
    case DataType.DT_UINT16:
      return has(2) ? view.getUint16(0, true) : tensor.intVal[0] ?? 0;
    case DataType.DT_INT32:
      return has(4) ? view.getInt32(0, true) : tensor.intVal[0] ?? 0;
    case DataType.DT_UINT32:
      return has(4) ? view.getUint32(0, true) : tensor.uint32Val[0] ?? 0;
    case DataType.DT_INT64:
      return Number(has(8) ? view.getBigInt64(0, true) : tensor.int64Val[0] ?? 0n);
    case DataType.DT_UINT64:
      return Number(has(8) ? view.getBigUint64(0, true) : tensor.uint64Val[0] ?? 0n);
    default:
      return `unsupported scalars dtype ${DataType[tensor.dtype] ?? tensor.dtype}`;
  }
}

/** IEEE 754 binary16 bits to a number (exact: every half fits a double). */
function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1024 + fraction) * 2 ** (exponent - 25);
}

function bfloat16ToNumber(bits: number): number {
  const view = new DataView(new ArrayBuffer(4));
  view.setUint32(0, (bits & 0xffff) << 16 >>> 0);
  return view.getFloat32(0);
}

/** Wall time (seconds since the epoch, a double) to ISO-8601 with milliseconds, rounded. */
function isoTime(wallTime: number, offset: number, out: TensorBoardBatch, state: SummaryState): string {
  const ms = Math.round(wallTime * 1000);
  // Date covers ±8.64e15 ms; anything else (NaN, a garbage double) cannot be a wall time.
  if (Number.isFinite(ms) && Math.abs(ms) <= 8.64e15) return new Date(ms).toISOString();
  state.warnOnce(out, 'wall-time', offset, `record at offset ${offset}: wall_time ${wallTime} is not a time; using the Unix epoch`);
  return new Date(0).toISOString();
}
