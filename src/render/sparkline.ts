/**
 * One-line sparklines (▁▂▃▄▅▆▇█) for tables and summaries. Pure: values in, string out.
 */

const LEVELS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;

/** Drawn for a column holding any NaN or ±Infinity, so a diverged run cannot hide behind an average. */
export const SPARK_NON_FINITE = '×';

/** Drawn across the whole line when every finite column has the same value. */
const FLAT = '▄';

/**
 * Draws values as a sparkline at most `width` characters long (default: one per value; fewer values
 * than `width` are not stretched). When downsampling, each character shows the mean of its run of
 * values (runs of near-equal length, in order); a run holding any NaN or ±Infinity shows `×` instead.
 * A constant series is a flat mid-height line; no values (or width 0) give ''.
 */
export function sparkline(values: readonly number[], width?: number): string {
  const cols = Math.min(values.length, width === undefined || Number.isNaN(width) ? values.length : Math.max(0, Math.floor(width)));
  if (cols === 0) return '';
  const cells = columnMeans(values, cols);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of cells) {
    if (v === undefined) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return cells.map((v) => (v === undefined ? SPARK_NON_FINITE : lo === hi ? FLAT : LEVELS[level(v, lo, hi)])).join('');
}

/** Mean of each of `cols` runs of values; undefined for a run with a non-finite value. */
function columnMeans(values: readonly number[], cols: number): (number | undefined)[] {
  const n = values.length;
  const out: (number | undefined)[] = [];
  for (let c = 0; c < cols; c++) {
    const from = Math.floor((c * n) / cols);
    const to = Math.floor(((c + 1) * n) / cols);
    let mean: number | undefined = 0;
    // Dividing each term first keeps the sum of huge values finite.
    for (let i = from; i < to && mean !== undefined; i++) {
      const v = values[i] as number;
      mean = Number.isFinite(v) ? mean + v / (to - from) : undefined;
    }
    out.push(mean);
  }
  return out;
}

/** 0..7 for v in [lo, hi]; halves keep hi - lo from overflowing when the range spans ±1e308. */
function level(v: number, lo: number, hi: number): number {
  const t = (v / 2 - lo / 2) / (hi / 2 - lo / 2);
  // t is NaN only when hi and lo are so close that their halves are equal: treat as the bottom.
  return t > 0 ? Math.min(7, Math.round(t * 7)) : 0;
}
