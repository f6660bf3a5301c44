/**
 * The options `watch`, `run` and `demo` share — what to chart and when to stop — declared once
 * and normalised into typed objects before any work. The stop rules' defaults come from the
 * config's `stop` section, whose fields are the flags' names (`startFrom` is `--start-from`).
 */
import { Option, type Command } from 'commander';
import { UsageError } from '../core/errors.js';
import { warn, type CommandIO } from '../core/io.js';
import { loadConfig, type StopConfig } from '../formats/config.js';
import { collect, collectKeys, parseNumber, parseWholeNumber } from '../options/parse.js';
import { oldSpelling } from '../options/aliases.js';

/** What the dashboard shows. */
export interface DashboardFlags {
  /** `--keys a+b,c`: only these keys (dotted paths), in this order; `+` puts keys on one chart. Default: every metric. */
  keys?: string[];
  /** `--log-y`: every chart on a log scale. Default: only charts whose values span more than three decades. */
  logY?: boolean;
  /** `--no-keyboard` sets this to false: no keyboard control, and `run`'s job keeps the terminal's stdin. */
  keyboard?: boolean;
  /** `--x KEY`: the horizontal axis. Default `step` when present, else the record index; `_time` for elapsed time. */
  x?: string;
  /** `--smooth W`: TensorBoard smoothing weight in [0, 1). Default 0 (off). */
  smooth?: number;
  /** `--quiet`: do not pass the input through. Default false. */
  quiet?: boolean;
  /** `--no-color` sets this to false. */
  color?: boolean;
}

/** When to stop. */
export interface StopFlags {
  /** `--stop-when EXPR`, repeatable: stop when any is true for the latest values. */
  stopWhen?: string[];
  /** `--monitor KEY`: the plateau rule's metric (Keras EarlyStopping). */
  monitor?: string;
  /** `--patience N`: records without improvement before stopping. Default 0. */
  patience?: number;
  /** `--min-delta D`: least change that counts as an improvement. Default 0. */
  minDelta?: number;
  /** `--mode min|max|auto`. Default auto (max for names that read higher-is-better, core/vocabulary.ts; min otherwise). */
  mode?: 'min' | 'max' | 'auto';
  /** `--baseline-value B`: the value to beat before patience resets (Keras's `baseline`). */
  baselineValue?: number;
  /**
   * `--baseline B`: the old spelling of `--baseline-value`, still read, with a note: `gate
   * --baseline` names a file, and one flag should mean one thing.
   */
  baseline?: number;
  /** `--start-from N`: records of `monitor` ignored at the start (warm-up). Default 0. */
  startFrom?: number;
  /** `--stop-exit-code N`: exit status after an early stop. Default 0. */
  stopExitCode?: number;
  /** `--config FILE`: whose `stop` section gives defaults. Default: vizmeta.config.json here or in a parent. */
  config?: string;
}

export function parseSmoothing(text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value >= 1) {
    throw new UsageError(`--smooth: expected a weight from 0 up to (not including) 1, such as 0.6, got '${text}'`);
  }
  return value;
}

export const parseCount = (flag: string) => parseWholeNumber(flag, 0);
export const parseFinite = (flag: string) => parseNumber(flag, 'a number');

export function addDashboardOptions(command: Command): Command {
  return command
    .option('--keys <keys>', "chart only these keys, comma-separated; 'loss+val_loss' shares a chart; dotted paths reach nested values; repeatable", collectKeys)
    .option('--log-y', 'every chart on a log scale (default: only charts whose positive values span more than three decades)')
    .option('--no-keyboard', 'no keyboard control on a terminal (run: the job keeps the terminal as its stdin)')
    .option('--x <key>', 'horizontal axis: a metadata key, or _time for elapsed time (default: step when present, else the record index)')
    .option('--smooth <weight>', 'TensorBoard smoothing weight in [0, 1), e.g. 0.6; raw values drawn faintly behind', parseSmoothing)
    .option('-q, --quiet', 'do not pass the input through; show only the dashboard')
    .option('--no-color', 'no colours');
}

export function addStopOptions(command: Command): Command {
  return command
    .option('--stop-when <expr>', "stop as soon as EXPR is true for the latest values, e.g. 'val_loss > 5 or isnan(loss)'; repeatable", collect)
    .option('--monitor <key>', 'plateau rule (Keras EarlyStopping): the metric to watch')
    .option('--patience <n>', 'plateau rule: records without improvement before stopping (default 0)', parseCount('--patience'))
    .option('--min-delta <d>', 'plateau rule: least change that counts as an improvement (default 0)', parseFinite('--min-delta'))
    .addOption(new Option('--mode <mode>', 'plateau rule: which direction improves; auto is max for names that read higher-is-better (accuracy, f1, auc, bleu, …), min otherwise').choices(['min', 'max', 'auto']))
    .option('--baseline-value <value>', 'plateau rule: stop unless the metric beats this value within the patience (old spelling: --baseline)', parseFinite('--baseline-value'))
    .addOption(oldSpelling('--baseline <value>', '--baseline-value', parseFinite('--baseline')))
    .option('--start-from <n>', 'plateau rule: ignore the first N values of the metric (warm-up, default 0)', parseCount('--start-from'))
    .option('--stop-exit-code <n>', 'exit status after an early stop (default 0: an early stop is a normal end)', parseNumber('--stop-exit-code', 'a whole number from 0 to 255', (n) => Number.isInteger(n) && n >= 0 && n <= 255))
    .option('--config <file>', "config file whose stop section gives these options' defaults (default: vizmeta.config.json here or in a parent directory)");
}

/** The config's `stop` fields and the flags they stand for: each field is its flag's name. */
const STOP_FIELDS = ['monitor', 'patience', 'minDelta', 'mode', 'baselineValue', 'startFrom'] as const;

/**
 * The stop flags as the rules read them: `--baseline` (the old spelling) read as
 * `--baseline-value`, with one note on stderr; then the config's `stop` section under the flags
 * (a flag wins over its field; `stop.when` stands for `--stop-when`). Throws a UsageError for a
 * flag given in both spellings, or a bad config.
 */
export function resolveStopFlags<T extends StopFlags>(flags: T, io: CommandIO): T {
  const { baseline, ...rest } = flags;
  const resolved = { ...rest } as T;
  if (baseline !== undefined) {
    if (flags.baselineValue !== undefined) throw new UsageError('--baseline is the old spelling of --baseline-value: give one of them');
    warn(io, '--baseline is now --baseline-value for watch, run and demo (gate --baseline names a file); read as --baseline-value');
    resolved.baselineValue = baseline;
  }
  const loaded = loadConfig(io.cwd, flags.config);
  for (const note of loaded.notes ?? []) warn(io, note);
  const stop: StopConfig | undefined = loaded.config.stop;
  if (stop === undefined) return resolved;
  if (resolved.stopWhen === undefined && stop.when !== undefined) resolved.stopWhen = stop.when;
  for (const field of STOP_FIELDS) {
    if (resolved[field] === undefined && stop[field] !== undefined) Object.assign(resolved, { [field]: stop[field] });
  }
  if (resolved.monitor === undefined) {
    const plateauOnly = STOP_FIELDS.filter((field) => stop[field] !== undefined);
    if (plateauOnly.length > 0) throw new UsageError(`${loaded.path ?? 'config'}: stop.${plateauOnly[0] as string} needs stop.monitor (or --monitor KEY)`);
  }
  return resolved;
}

/** Plateau flags without `--monitor` are a mistake worth reporting. */
export function checkStopFlags(flags: StopFlags): void {
  const plateauOnly = (['patience', 'minDelta', 'mode', 'baselineValue', 'startFrom'] as const).filter((k) => flags[k] !== undefined);
  if (flags.monitor === undefined && plateauOnly.length > 0) {
    const names = plateauOnly.map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
    throw new UsageError(`${names.join(', ')} ${names.length === 1 ? 'needs' : 'need'} --monitor KEY`);
  }
}
