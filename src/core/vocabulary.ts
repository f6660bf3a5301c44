/**
 * The vocabulary of metadata keys every command shares: what a key is for (its role), which way
 * is better (its direction), which keys belong on one chart (pairs), when a chart wants a log
 * scale, and which known keys a mistyped name was probably meant to be.
 *
 * - *Step keys* (`step`, `global_step`, `epoch`, …) say how far a run got: the x axis, never a
 *   metric, never better or worse.
 * - *Settings* hold one value for the whole run (a seed, a batch size, a config print, any text):
 *   shown side by side, never charted, never better or worse.
 * - *Metrics* change, or have a direction by name (a loss printed once is still a loss).
 *
 * Directions come from the words of a name (`val_accuracy` → accuracy → higher is better;
 * `eval_samples_per_second` → per second → higher; `eval_runtime` → runtime → neutral), so
 * dotted, slashed, camelCase and framework-suffixed names (`train_loss_epoch`) read alike.
 * Everything here is pure.
 */
import { normalizeKey } from './keys.js';

/** What a key is for. */
export type KeyRole = 'step' | 'setting' | 'metric';

/** Whether a bigger value is better (`max`) or a smaller one (`min`). */
export type Direction = 'max' | 'min';

/** A key's direction, or `neutral` when neither is better (learning rate, grad norm, runtime, unknown names). */
export type Tendency = Direction | 'neutral';

/** Explicit directions from `--higher-is-better` / `--lower-is-better` (or the config). */
export interface DirectionOverrides {
  higher?: readonly string[];
  lower?: readonly string[];
}

/**
 * Names (the last segment of a path, lower-cased) that count how far a run got, and W&B's clock
 * keys: the x axis, never metrics.
 */
const STEP_NAMES = new Set([
  'step', 'steps', '_step', 'global_step', 'globalstep', 'iteration', 'iter', 'it', 'batch', 'batch_idx',
  'epoch', 'trainer/global_step', '_runtime', '_timestamp', 'timestamp',
]);

/** Words that end a name whose bigger value is better. */
const HIGHER_WORDS = new Set([
  'acc', 'accuracy', 'auc', 'auroc', 'auprc', 'f1', 'fscore', 'f1score', 'fbeta', 'precision', 'recall', 'map', 'ap',
  'iou', 'miou', 'jaccard', 'dice', 'bleu', 'rouge', 'rouge1', 'rouge2', 'rougel', 'rougelsum', 'meteor', 'chrf',
  'r2', 'top1', 'top5', 'ndcg', 'mrr', 'hit', 'hits', 'hitrate', 'em', 'exact', 'match', 'spearman', 'pearson',
  'correlation', 'mcc', 'matthews', 'kappa', 'psnr', 'ssim', 'reward', 'return', 'throughput', 'fps', 'sps', 'tps',
  'specificity', 'sensitivity', 'success', 'win', 'coverage', 'score',
]);

/** Words that end a name whose smaller value is better. */
const LOWER_WORDS = new Set([
  'loss', 'losses', 'error', 'err', 'errors', 'perplexity', 'ppl', 'mae', 'mse', 'rmse', 'rmsle', 'msle', 'mape',
  'smape', 'wer', 'cer', 'ter', 'nll', 'logloss', 'crossentropy', 'entropy', 'ce', 'bce', 'kl', 'kld', 'divergence',
  'fid', 'lpips', 'brier', 'hamming', 'regret', 'eer', 'fpr', 'fnr', 'distance', 'latency',
]);

/** Words that make a name neutral wherever they fall last: schedules, norms, clocks, sizes, counts. */
const NEUTRAL_WORDS = new Set([
  'lr', 'momentum', 'decay', 'norm', 'grad', 'scale', 'runtime', 'time', 'duration', 'seconds', 'secs',
  'seed', 'size', 'num', 'count', 'memory', 'mem', 'gpu', 'cpu', 'temperature', 'flos', 'flops', 'tokens', 'samples',
  'epochs', 'steps', 'warmup', 'beta', 'alpha', 'gamma', 'eps', 'epsilon', 'dropout', 'params', 'parameters',
]);

/** Words that name a split, a phase or a reduction: skipped when reading a name's meaning, dropped when pairing. */
const SPLIT_WORDS = new Set(['train', 'training', 'val', 'valid', 'validation', 'eval', 'evaluation', 'test', 'testing', 'dev']);
const QUALIFIER_WORDS = new Set(['epoch', 'step', 'avg', 'mean', 'running', 'smoothed', 'final', 'best', 'last', 'total', 'overall', 'macro', 'micro', 'weighted', 'batch', 'std', 'min', 'max', 'top']);

/** `metadata.val/Loss_epoch` → `['val', 'loss', 'epoch']`: lower-case words, camelCase split, separators dropped. */
export function nameWords(key: string): string[] {
  return normalizeKey(key)
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
}

/** The last segment of a key (after `/` or `.`), lower-cased; `trainer/global_step` is kept whole. */
function lastSegment(key: string): string {
  const name = normalizeKey(key).toLowerCase();
  if (STEP_NAMES.has(name)) return name;
  const cut = Math.max(name.lastIndexOf('/'), name.lastIndexOf('.'));
  return cut === -1 ? name : name.slice(cut + 1);
}

/** Whether a key counts how far a run got (`step`, `epoch`, `global_step`, `train/epoch`, …). */
export function isStepKey(key: string): boolean {
  return STEP_NAMES.has(lastSegment(key));
}

/**
 * tendencyOf by name alone, remembered: a chart asks it of every key several times a frame, and
 * working it out (words, a few regular expressions) is most of what ordering the charts costs.
 */
const tendencies = new Map<string, Tendency>();
/** A run may have any number of distinct keys; the memory stays bounded. */
const MAX_REMEMBERED_NAMES = 4096;

/**
 * A key's direction by name: an override wins; then the last word of the name that means
 * something (splits like `val`, qualifiers like `epoch` or `mean`, and numbers are skipped):
 * higher-is-better and lower-is-better words give `max` and `min`, neutral words and unknown
 * names give `neutral`. `…_per_second` (and `per_sec`, `it/s`) is a throughput: `max`.
 */
export function tendencyOf(key: string, overrides: DirectionOverrides = {}): Tendency {
  const name = normalizeKey(key);
  if (overrides.higher?.some((k) => normalizeKey(k) === name)) return 'max';
  if (overrides.lower?.some((k) => normalizeKey(k) === name)) return 'min';
  let tendency = tendencies.get(name);
  if (tendency === undefined) {
    if (tendencies.size >= MAX_REMEMBERED_NAMES) tendencies.clear();
    tendency = tendencyByName(name);
    tendencies.set(name, tendency);
  }
  return tendency;
}

/** tendencyOf without overrides, worked out. */
function tendencyByName(name: string): Tendency {
  if (isStepKey(name)) return 'neutral';
  const words = nameWords(name);
  const joined = words.join('_');
  if (/(^|_)per_(second|sec|s)$/.test(joined) || /(^|_)it_s$/.test(joined)) return 'max';
  if (/(^|_)learning_rate$/.test(joined)) return 'neutral';
  for (let i = words.length - 1; i >= 0; i--) {
    const word = words[i] as string;
    if (/^\d+$/.test(word) || SPLIT_WORDS.has(word) || (QUALIFIER_WORDS.has(word) && i > 0)) continue;
    const verdict = wordTendency(word) ?? wordTendency(word.replace(/\d+$/, '')) ?? wordTendency(word.replace(/^(val|eval|train|test)/, ''));
    if (verdict !== undefined) return verdict;
  }
  return 'neutral';
}

function wordTendency(word: string): Tendency | undefined {
  if (word === '') return undefined;
  if (HIGHER_WORDS.has(word)) return 'max';
  if (LOWER_WORDS.has(word)) return 'min';
  if (NEUTRAL_WORDS.has(word)) return 'neutral';
  return undefined;
}

/** Whether a name is a speed (`…_per_second`, `throughput`, `it/s`): higher is better, but it says how fast, not how well. */
export function isThroughput(key: string): boolean {
  const joined = nameWords(key).join('_');
  return /(^|_)(per_(second|sec|s)|it_s|throughput|fps|sps|tps)$/.test(joined);
}

/**
 * Where a metric goes among charts: what a run is judged by (losses, accuracies) first, then
 * neutral quantities (learning rate, grad norm, runtime), then speeds.
 */
export function chartRank(key: string, overrides: DirectionOverrides = {}): number {
  if (isThroughput(key)) return 2;
  return tendencyOf(key, overrides) === 'neutral' ? 1 : 0;
}

/** What is known of a key's values in one run, enough to give it a role. */
export interface KeyFacts {
  /** Every value seen was a number (NaN and ±Infinity count as numbers). */
  numeric: boolean;
  /** Every value seen was the same (one value, or one repeated). */
  constant: boolean;
}

/**
 * A key's role: a step key by name; a setting when it holds text (or any non-number) or one
 * value throughout and has no direction (`seed`, `per_device_train_batch_size`, a constant
 * learning rate); a metric otherwise (it changes, or is a loss or an accuracy by name).
 */
export function roleOf(key: string, facts: KeyFacts, overrides: DirectionOverrides = {}): KeyRole {
  if (isStepKey(key)) return 'step';
  if (!facts.numeric) return 'setting';
  if (facts.constant && tendencyOf(key, overrides) === 'neutral') return 'setting';
  return 'metric';
}

/** The words of a name without its split and framework suffix: the name a train/validation pair shares. */
export function pairName(key: string): string {
  const words = nameWords(key);
  const kept = words.filter((word) => !SPLIT_WORDS.has(word));
  // Lightning logs `train_loss_step` and `train_loss_epoch`: one quantity at two granularities.
  while (kept.length > 1 && (kept[kept.length - 1] === 'epoch' || kept[kept.length - 1] === 'step')) kept.pop();
  return kept.length === 0 ? words.join('_') : kept.join('_');
}

/**
 * Groups metric keys that belong on one chart: train and validation variants of one quantity
 * (`loss`, `val_loss`, `eval_loss`, `train/loss`, `train_loss_epoch`), in first-seen order; a
 * key with no partner is a group of one. Keys named in `manual` groups (`loss+val_loss`) keep
 * those groups and are not paired again.
 */
export function groupKeys(keys: readonly string[], manual: readonly (readonly string[])[] = []): string[][] {
  const groups: string[][] = manual.map((group) => [...group]);
  const taken = new Set(manual.flat());
  const byName = new Map<string, string[]>();
  for (const key of keys) {
    if (taken.has(key)) continue;
    const name = pairName(key);
    let group = byName.get(name);
    if (!group) {
      group = [];
      byName.set(name, group);
      groups.push(group);
    }
    group.push(key);
  }
  return groups;
}

/** Decades a positive series must span before its chart is drawn on a log scale. */
export const LOG_SCALE_DECADES = 3;

/**
 * Whether values are better read on a log scale: all finite ones positive, and spanning more
 * than {@link LOG_SCALE_DECADES} decades (a learning-rate warm-up and decay, a loss that falls
 * from 10 to 0.001). Non-finite values are ignored.
 */
export function wantsLogScale(values: readonly number[]): boolean {
  let min = Infinity;
  let max = -Infinity;
  // Indexed: a chart's every value comes through here once, in code V8 has not optimised yet,
  // where each step of a for-of allocates an iterator result.
  for (let k = 0; k < values.length; k++) {
    const value = values[k] as number;
    if (!Number.isFinite(value)) continue;
    if (value <= 0) return false;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return spansLogDecades(min, max);
}

/**
 * {@link wantsLogScale} for values whose lowest and highest finite values are known already (a
 * chart series keeps them): both positive and more than three decades apart.
 */
export function spansLogDecades(lowest: number, highest: number): boolean {
  return highest > 0 && lowest > 0 && Math.log10(highest / lowest) > LOG_SCALE_DECADES;
}

/** Damerau–Levenshtein distance (adjacent swaps count one), case-insensitive. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const rows: number[][] = [];
  for (let i = 0; i <= s.length; i++) rows.push([i, ...new Array<number>(t.length).fill(0)]);
  for (let j = 0; j <= t.length; j++) (rows[0] as number[])[j] = j;
  for (let i = 1; i <= s.length; i++) {
    const row = rows[i] as number[];
    const above = rows[i - 1] as number[];
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let best = Math.min((above[j] as number) + 1, (row[j - 1] as number) + 1, (above[j - 1] as number) + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) best = Math.min(best, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      row[j] = best;
    }
  }
  return (rows[s.length] as number[])[t.length] as number;
}

/**
 * Known keys a mistyped name was probably meant to be, closest first (at most `limit`): those
 * within a few edits (one for short names, a third of the name's length for longer ones; a split
 * prefix such as `val_` costs one), then
 * those that contain the name or its words (`acc` → `val_acc`).
 */
export function closestKeys(name: string, known: Iterable<string>, limit = 3): string[] {
  const wanted = normalizeKey(name);
  const allowed = Math.max(1, Math.floor(wanted.length / 3));
  const scored: Array<{ key: string; score: number }> = [];
  for (const key of new Set(known)) {
    // `acuracy` is one edit from `accuracy` and so one more from `val_accuracy`, its pair.
    const distance = Math.min(editDistance(wanted, key), editDistance(wanted, pairName(key)) + 1);
    if (distance <= allowed) scored.push({ key, score: distance });
    else if (wanted.length >= 3 && key.toLowerCase().includes(wanted.toLowerCase())) scored.push({ key, score: allowed + 1 + key.length - wanted.length });
  }
  scored.sort((a, b) => a.score - b.score || a.key.localeCompare(b.key));
  return scored.slice(0, limit).map((entry) => entry.key);
}

/**
 * `no key "los" in train.log; did you mean loss?` — the message for a key named on the command
 * line that no input has. `where` names the inputs (a file, or `3 inputs`).
 */
export function unknownKeyMessage(name: string, where: string, known: Iterable<string>): string {
  const list = [...known];
  const near = closestKeys(name, list);
  const base = `no key "${name}" in ${where}`;
  if (near.length > 0) return `${base}; did you mean ${orList(near)}?`;
  if (list.length === 0) return `${base}: it has no metadata keys`;
  const shown = list.slice(0, 8);
  return `${base}; its keys: ${shown.join(', ')}${list.length > shown.length ? `, … (${list.length} in all)` : ''}`;
}

function orList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}
