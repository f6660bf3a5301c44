/**
 * Inputs of `matrix` and `roc`: each file is either a metadata log (JSON lines among other
 * output, read through the streaming LineReader) or a CSV file (read whole: CSV sources are
 * matrices, curves and per-sample predictions, not endless logs).
 *
 * Which one is decided per input:
 * - a name ending in `.csv` is CSV;
 * - a name ending in `.jsonl`, `.ndjson`, `.json` or `.log` is a log;
 * - anything else, stdin included, is sniffed from its first 64 KiB: CSV when its first five
 *   non-blank lines hold no `{` and all have the same number (at least one) of commas;
 *   otherwise a log.
 *
 * Inputs are opened and read concurrently; callers print results in argument order.
 */
import { resolve } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import { InputError, UsageError } from '../core/errors.js';
import type { CommandIO } from '../core/io.js';
import { checkReadable, describeFsError, LineReader, openFile, type ReadOptions, type RecordSink } from '../parsers/source.js';

export type InputKind = 'csv' | 'log';

const SNIFF_BYTES = 64 * 1024;

/** The name used in messages: `stdin` for `-`, else the path as the user gave it. */
export function displayName(input: string): string {
  return input === '-' ? 'stdin' : input;
}

/** The kind a file name implies, or undefined when its content must decide. */
export function kindFromName(input: string): InputKind | undefined {
  if (input === '-') return undefined;
  const lower = input.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (/\.(jsonl|ndjson|json|log)$/.test(lower)) return 'log';
  return undefined;
}

/** The sniffing rule (see the module comment) over the first bytes of an input. */
export function looksLikeCsv(head: string, complete: boolean): boolean {
  let lines = head.split(/\r\n|\n|\r/);
  // The last piece may be a partial line unless the whole input is here.
  if (!complete && lines.length > 1) lines = lines.slice(0, -1);
  const sample = lines.filter((line) => line.trim() !== '').slice(0, 5);
  if (sample.length === 0) return false;
  const commas = (line: string): number => line.split(',').length - 1;
  const first = commas(sample[0] as string);
  return first > 0 && sample.every((line) => !line.includes('{') && commas(line) === first);
}

export type InputContent = { kind: 'csv'; text: string } | { kind: 'log'; lines: number };

/**
 * Opens an input that is not a local file (`git:REV:PATH`, `s3://…`), or says it is one
 * (undefined). The command passes input/open-input.ts's: formats/ imports nothing above it.
 */
export type OpenOtherInput = (input: string) => Promise<Readable | undefined>;

/**
 * Reads one input. A log's records go to `sink` as they are read; a CSV input is returned as
 * text, or, given `csv`, handed to it as it arrives (then the text returned is empty), so that a
 * CSV of millions of rows is never held whole. Throws InputError (`name: no such file` and the
 * like) when the input cannot be read, and what `csv` throws.
 */
export async function readVisualInput(input: string, io: CommandIO, sink: RecordSink, read: ReadOptions, csv?: (text: string) => void, openOther?: OpenOtherInput): Promise<InputContent> {
  let stream: Readable;
  const other = input === '-' || openOther === undefined ? undefined : await openOther(input);
  if (input === '-') {
    stream = io.stdin;
  } else if (other !== undefined) {
    stream = other;
  } else {
    const path = resolve(io.cwd, input);
    try {
      await checkReadable(path);
    } catch (error) {
      // The message names the resolved path; show the name the user typed instead.
      const message = (error as Error).message;
      throw new InputError(message.startsWith(path) ? input + message.slice(path.length) : message);
    }
    stream = openFile(path);
  }
  const named = kindFromName(input);
  const reader = new LineReader(input, sink, read);
  const held: Buffer[] = [];
  let heldBytes = 0;
  let kind: InputKind | undefined = named;
  const decoder = new StringDecoder('utf8');
  /** CSV bytes: to `csv` as text when it is given, else held. */
  const csvBytes = (buffer: Buffer): void => {
    if (csv) csv(decoder.write(buffer));
    else {
      held.push(buffer);
      heldBytes += buffer.length;
    }
  };
  try {
    for await (const chunk of stream) {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      if (kind === undefined) {
        held.push(buffer);
        heldBytes += buffer.length;
        if (heldBytes < SNIFF_BYTES) continue;
        const head = Buffer.concat(held, heldBytes);
        kind = looksLikeCsv(head.toString('utf8', 0, SNIFF_BYTES), false) ? 'csv' : 'log';
        held.length = 0;
        heldBytes = 0;
        if (kind === 'log') reader.push(head);
        else csvBytes(head);
        continue;
      }
      if (kind === 'csv') {
        csvBytes(buffer);
      } else {
        reader.push(buffer);
        const waiting = sink.afterChunk?.();
        if (waiting) await waiting;
      }
    }
  } catch (error) {
    if (error instanceof InputError || error instanceof UsageError) throw error;
    throw new InputError(describeFsError(displayName(input), error));
  }
  if (kind === undefined) {
    const head = Buffer.concat(held, heldBytes);
    kind = looksLikeCsv(head.toString('utf8'), true) ? 'csv' : 'log';
    held.length = 0;
    heldBytes = 0;
    if (kind === 'log') reader.push(head);
    else csvBytes(head);
  }
  if (kind === 'csv') {
    if (csv) {
      const rest = decoder.end();
      if (rest !== '') csv(rest);
      return { kind, text: '' };
    }
    return { kind, text: Buffer.concat(held, heldBytes).toString('utf8') };
  }
  reader.end();
  return { kind, lines: reader.lines };
}

/**
 * Turns a core parser's `CSV line 3: …` / `ROC CSV line 3 has …` message into the
 * compiler-style `file:3: …` every diagnostic uses; other messages get `file: ` in front.
 */
export function locateMessage(name: string, message: string): string {
  const m = /^(?:ROC )?CSV line (\d+)(:?) (.*)$/s.exec(message);
  if (m) return `${name}:${m[1]}: ${m[2] === ':' ? '' : 'row '}${m[3]}`;
  return `${name}: ${message}`;
}
