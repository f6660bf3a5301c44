/**
 * Kubeflow Pipelines v1 `mlpipeline-metrics.json`: `{"metrics": [{"name", "numberValue", "format"}]}`.
 *
 * Such a file is read as one execution with a single record `{name: numberValue, ...}`, so
 * `sort`, `compare` and `gate` take it beside JSON-lines logs. It is recognised by content: the
 * whole file is one JSON object whose top-level keys are only `metrics` (an array or null) and
 * `runId`/`run_id`, as KFP's decoder demands. Like KFP, the first report of a repeated name wins.
 */
import type { JsonObject, JsonValue } from '../core/types.js';

/** Files larger than this are never Kubeflow metrics (KFP keeps at most 50 metrics). */
export const KUBEFLOW_MAX_BYTES = 1024 * 1024;

const TOP_LEVEL = new Set(['metrics', 'runId', 'run_id']);

/** Cheap test on the start of a file: worth a full parse only if this holds. */
export function mightBeKubeflowMetrics(head: string): boolean {
  return /^\s*\{/.test(head) && head.includes('"metrics"');
}

export interface KubeflowMetrics {
  values: JsonObject;
  /** Metrics skipped because their value is not a number, with the reason. */
  skipped: string[];
}

/** Parses a whole file; undefined when it is not a Kubeflow metrics document. */
export function parseKubeflowMetrics(text: string): KubeflowMetrics | undefined {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (document === null || typeof document !== 'object' || Array.isArray(document)) return undefined;
  const object = document as Record<string, unknown>;
  const keys = Object.keys(object);
  if (!keys.includes('metrics') || keys.some((key) => !TOP_LEVEL.has(key))) return undefined;
  const metrics = object['metrics'];
  if (metrics !== null && !Array.isArray(metrics)) return undefined;
  const values: JsonObject = {};
  const skipped: string[] = [];
  for (const metric of (metrics ?? []) as unknown[]) {
    if (metric === null || typeof metric !== 'object' || Array.isArray(metric)) return undefined;
    const entry = metric as Record<string, unknown>;
    const name = entry['name'];
    if (typeof name !== 'string' || name === '') return undefined;
    if (Object.hasOwn(values, name)) continue;
    const value = toNumber(entry['numberValue'] ?? entry['number_value']);
    if (value === undefined) {
      skipped.push(`metric "${name}" has no numeric numberValue, skipped`);
      continue;
    }
    // defineProperty keeps a `__proto__` name as data.
    Object.defineProperty(values, name, { value: value as JsonValue, writable: true, enumerable: true, configurable: true });
  }
  return { values, skipped };
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  // Protobuf's JSON mapping writes non-finite doubles as strings.
  if (value === 'NaN') return Number.NaN;
  if (value === 'Infinity') return Number.POSITIVE_INFINITY;
  if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}
