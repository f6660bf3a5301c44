/**
 * A vizmeta custom renderer: a per-epoch leaderboard.
 *
 *   vizmeta chart train.log --renderer examples/renderers/leaderboard.mjs
 *
 * The default export receives every metadata record ({values, time, source, line}) and the
 * command's options, and returns the text to print. It may be async. Throwing, or returning
 * something other than a string, is reported as one line naming this file (exit status 2).
 */
const METRIC_KEYS = ['val_accuracy', 'accuracy', 'val_acc', 'acc'];
const LOSS_KEYS = ['val_loss', 'loss'];
const STEP_KEYS = ['epoch', 'step'];

function first(values, keys) {
  for (const key of keys) if (typeof values[key] === 'number' && Number.isFinite(values[key])) return [key, values[key]];
  return [undefined, undefined];
}

export default function leaderboard(records, options) {
  const rows = [];
  for (const { values, source } of records) {
    const [stepKey, step] = first(values, STEP_KEYS);
    const [metricKey, metric] = first(values, METRIC_KEYS);
    if (step === undefined || metric === undefined) continue;
    const [lossKey, loss] = first(values, LOSS_KEYS);
    rows.push({ source, stepKey, step, metricKey, metric, lossKey, loss });
  }
  if (rows.length === 0) return `no records with an epoch (or step) and an accuracy key (${METRIC_KEYS.join(', ')})\n`;
  rows.sort((a, b) => b.metric - a.metric || a.step - b.step);
  const top = rows.slice(0, Number(options.top) > 0 ? Number(options.top) : 10);
  const many = new Set(rows.map((r) => r.source)).size > 1;
  // Bars span the range of every row, so close scores still look different.
  const lo = Math.min(...rows.map((r) => r.metric));
  const hi = Math.max(...rows.map((r) => r.metric));
  const bar = (v) => '█'.repeat(hi > lo ? Math.round(((v - lo) / (hi - lo)) * 19) + 1 : 20).padEnd(20, '·');
  const lines = [`Top ${top.length} of ${rows.length} by ${top[0].metricKey}`];
  top.forEach((r, i) => {
    const where = many ? `  ${r.source}` : '';
    const loss = r.loss === undefined ? '' : `  ${r.lossKey} ${r.loss.toFixed(4)}`;
    lines.push(`${String(i + 1).padStart(2)}. ${r.stepKey} ${String(r.step).padStart(4)}  ${r.metric.toFixed(4)} ${bar(r.metric)}${loss}${where}`);
  });
  return lines.join('\n') + '\n';
}
