/**
 * An MLflow run folder as the local FileStore writes it (`mlruns/<experiment>/<run>/`):
 * `metrics/<key>` holds one line per logged value, `<timestamp_ms> <value> <step>` (older MLflow
 * wrote no step: two fields, read as step 0, as MLflow itself reads them); `params/<key>` and
 * `tags/<key>` hold the bare value without a newline. Keys containing `/` are paths, so the caller
 * passes the key relative to `metrics/` (`val/loss`), not the file name.
 */
import type { JsonObject, JsonValue } from '../../core/types.js';
import { defineKey } from '../json.js';
import { integerFromText, isoFromMillis, numberFromText, type FrameworkRecord, type FrameworkRun, type FrameworkWarning } from './framework-record.js';

/** The texts of one run folder's files, keys relative to `metrics/`, `params/`, `tags/`. */
export interface MlflowRunFiles {
  metrics: Array<{ key: string; text: string }>;
  params: Array<{ key: string; value: string }>;
  tags: Array<{ key: string; value: string }>;
}

/** The tag MLflow stores the run's display name under. */
export const MLFLOW_RUN_NAME_TAG = 'mlflow.runName';

interface Point {
  value: number;
  timestamp: number;
}

/**
 * Reads one MLflow run: the params as one settings record first (numeric strings as numbers), then
 * one record per step, sorted by step, holding every metric logged at that step (`step` first,
 * metrics in the order given), its `time` the latest timestamp at that step. A metric logged twice
 * at one step keeps the value with the later timestamp (the later line on a tie), which is the
 * value MLflow shows as latest. The name is the `mlflow.runName` tag when present.
 */
export function parseMlflowRun(files: MlflowRunFiles): FrameworkRun {
  const warnings: FrameworkWarning[] = [];
  const records: FrameworkRecord[] = [];

  if (files.params.length > 0) {
    const settings: JsonObject = {};
    // MLflow stores every param as a string; "0.01" and "32" are what the user passed as numbers.
    for (const { key, value } of files.params) defineKey(settings, key, numberFromText(value.trim(), false) ?? value);
    records.push({ values: settings });
  }

  // step -> metric key -> the point kept; a Map keeps first-seen key order within a step.
  const steps = new Map<number, Map<string, Point>>();
  for (const { key, text } of files.metrics) {
    const lines = text.split('\n');
    lines.forEach((raw, index) => {
      const line = raw.trim();
      if (line === '') return;
      const point = parseMetricLine(line);
      if (typeof point === 'string') {
        warnings.push({ message: `metrics/${key} line ${index + 1}: ${point}; skipped` });
        return;
      }
      let atStep = steps.get(point.step);
      if (!atStep) steps.set(point.step, (atStep = new Map()));
      const kept = atStep.get(key);
      if (!kept || point.timestamp >= kept.timestamp) atStep.set(key, point);
    });
  }

  for (const step of [...steps.keys()].sort((a, b) => a - b)) {
    const values: JsonObject = { step };
    let latest = -Infinity;
    for (const [key, point] of steps.get(step)!) {
      defineKey(values, key, point.value satisfies JsonValue);
      if (point.timestamp > latest) latest = point.timestamp;
    }
    const time = isoFromMillis(latest);
    records.push(time === undefined ? { values } : { values, time });
  }

  const nameTag = files.tags.find((tag) => tag.key === MLFLOW_RUN_NAME_TAG)?.value.trim();
  return nameTag ? { records, warnings, name: nameTag } : { records, warnings };
}

/** One `metrics/<key>` line, or the reason it is not one. */
function parseMetricLine(line: string): { timestamp: number; value: number; step: number } | string {
  // MLflow splits on single spaces (line.strip().split(" ")); extra blanks would be empty fields there too.
  const parts = line.split(' ');
  if (parts.length !== 2 && parts.length !== 3) return `expected "timestamp value step", found ${parts.length} fields`;
  const timestamp = integerFromText(parts[0]!);
  if (timestamp === undefined) return `timestamp "${parts[0]}" is not an integer`;
  // Python's float() spelling of the value: nan, inf, -inf, 1e-05, 0.5.
  const value = numberFromText(parts[1]!);
  if (value === undefined) return `value "${parts[1]}" is not a number`;
  const step = parts.length === 3 ? integerFromText(parts[2]!) : 0;
  if (step === undefined) return `step "${parts[2]}" is not an integer`;
  return { timestamp, value, step };
}
