/**
 * The result every framework-file reader returns (trainer_state.json, metrics.csv, DVCLive,
 * MLflow), and the small cell/time helpers they share so a `nan` or a millisecond timestamp means
 * the same thing in every format.
 */
import type { JsonObject, JsonValue } from '../../core/types.js';
import { numberFromText } from '../../core/numbers.js';

/** One record of a framework file: what one logging call (or one step, where the format merges them) wrote. */
export interface FrameworkRecord {
  /** The record's keys in the order the file has them. */
  values: JsonObject;
  /** ISO-8601 UTC with milliseconds, ending in `Z`, when the file holds a time for the record. */
  time?: string;
  /** 1-based line in the file where the record starts, for single-file formats where that is meaningful. */
  line?: number;
}

/** Something in a framework file that was skipped or read with a guess. */
export interface FrameworkWarning {
  /** 1-based line in the (single) file, when the warning is about one line. Multi-file runs name the file in the message instead. */
  line?: number;
  message: string;
}

/** One execution read from a framework file or run folder. */
export interface FrameworkRun {
  records: FrameworkRecord[];
  warnings: FrameworkWarning[];
  /** The run's own name when the format stores one (MLflow's `mlflow.runName` tag). */
  name?: string;
}

export { numberFromText };

/** A metric cell as a value: numbers (non-finite included) as numbers, anything else as the string it is. */
export function cellValue(text: string): JsonValue {
  return numberFromText(text) ?? text;
}

/** An integer step or timestamp field: digits with an optional minus sign, else undefined. */
export function integerFromText(text: string): number | undefined {
  return /^-?\d+$/.test(text) ? Number(text) : undefined;
}

/** Epoch milliseconds as ISO-8601 UTC with milliseconds, or undefined when outside Date's range. */
export function isoFromMillis(ms: number): string | undefined {
  if (!Number.isFinite(ms)) return undefined;
  const date = new Date(Math.round(ms));
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** The text without a leading UTF-8 byte-order mark, which editors on Windows add and parsers would read as part of the first key. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
