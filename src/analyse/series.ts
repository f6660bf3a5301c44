/**
 * Per-key series for charts, kept in bounded memory, plus the pure transforms charts need:
 * shape-preserving downsampling, TensorBoard's smoothing and elapsed time for `--x _time`.
 * No I/O, no clock.
 */

/** One value of a metric: `x` is the step (or elapsed seconds), `y` the value; `y` may be NaN or ±Infinity. */
export interface Point {
  readonly x: number;
  readonly y: number;
}

/** How many NaN, +Infinity and -Infinity values were seen. */
export interface NonFiniteCounts {
  nan: number;
  posInf: number;
  negInf: number;
}

/** Default number of points a {@link Series} keeps: at least 4× the widest chart worth drawing. */
export const DEFAULT_CAPACITY = 2048;

/** Below this a bucket's own representatives (up to 5) plus first and last could not fit after compaction. */
const MIN_CAPACITY = 16;

type NonFiniteKind = keyof NonFiniteCounts;

/** The kind of a non-finite value, or undefined for a finite one. */
export function nonFiniteKind(y: number): NonFiniteKind | undefined {
  if (Number.isNaN(y)) return 'nan';
  if (y === Infinity) return 'posInf';
  if (y === -Infinity) return 'negInf';
  return undefined;
}

/** Counts the non-finite y values of some points. */
export function countNonFinite(points: readonly Point[]): NonFiniteCounts {
  const counts: NonFiniteCounts = { nan: 0, posInf: 0, negInf: 0 };
  for (const p of points) {
    const kind = nonFiniteKind(p.y);
    if (kind) counts[kind]++;
  }
  return counts;
}

/** A point tagged with its push order, so representatives of merged buckets can be put back in order. */
interface Kept extends Point {
  readonly seq: number;
}

/**
 * A run of consecutive pushes summarised by the points that matter for drawing it:
 * its lowest and highest finite point and the first point of each non-finite kind (the series
 * counts non-finite values as a whole, in `totals`).
 */
interface Bucket {
  /** Push index of the first point in the bucket. */
  from: number;
  /** Number of points pushed into the bucket. */
  n: number;
  min: Kept | undefined;
  max: Kept | undefined;
  nan: Kept | undefined;
  posInf: Kept | undefined;
  negInf: Kept | undefined;
}

function emptyBucket(from: number): Bucket {
  return { from, n: 0, min: undefined, max: undefined, nan: undefined, posInf: undefined, negInf: undefined };
}

/**
 * Appends the distinct points a bucket keeps to `out`, in push order. Most buckets hold only finite
 * values: their one or two points are appended without the arrays {@link representatives} makes,
 * which on a small log (every point its own bucket, code not yet optimised) was most of a chart's
 * garbage.
 */
function appendRepresentatives(b: Bucket, out: Kept[]): void {
  const { min, max } = b;
  if (b.nan !== undefined || b.posInf !== undefined || b.negInf !== undefined || min === undefined || max === undefined) {
    const reps = representatives(b);
    for (let i = 0; i < reps.length; i++) out.push(reps[i] as Kept);
  } else if (min === max) out.push(min);
  else if (min.seq < max.seq) out.push(min, max);
  else out.push(max, min);
}

/** The distinct points a bucket keeps, in push order (1 to 5 of them). */
function representatives(b: Bucket): Kept[] {
  const reps: Kept[] = [];
  for (const p of [b.min, b.max, b.nan, b.posInf, b.negInf]) {
    if (p && !reps.includes(p)) reps.push(p);
  }
  return reps.sort((a, c) => a.seq - c.seq);
}

function keptCount(b: Bucket): number {
  let n = b.min ? 1 : 0;
  if (b.max && b.max !== b.min) n++;
  if (b.nan) n++;
  if (b.posInf) n++;
  if (b.negInf) n++;
  return n;
}

/** Ties keep the earlier point, so the kept extreme is the first time the value was reached. */
function addToBucket(b: Bucket, p: Kept): void {
  b.n++;
  const kind = nonFiniteKind(p.y);
  if (kind) {
    b[kind] ??= p;
    return;
  }
  if (!b.min || p.y < b.min.y) b.min = p;
  if (!b.max || p.y > b.max.y) b.max = p;
}

/** Merges two adjacent buckets (`a` before `c`); the result keeps the extremes of both. */
function mergeBuckets(a: Bucket, c: Bucket): Bucket {
  return {
    from: a.from,
    n: a.n + c.n,
    min: lower(a.min, c.min),
    max: higher(a.max, c.max),
    nan: a.nan ?? c.nan,
    posInf: a.posInf ?? c.posInf,
    negInf: a.negInf ?? c.negInf,
  };
}

/** The lower of two kept points, the earlier `l` when tied; either may be missing. */
function lower(l: Kept | undefined, r: Kept | undefined): Kept | undefined {
  return !l ? r : !r ? l : r.y < l.y ? r : l;
}

/** The higher of two kept points, the earlier `l` when tied; either may be missing. */
function higher(l: Kept | undefined, r: Kept | undefined): Kept | undefined {
  return !l ? r : !r ? l : r.y > l.y ? r : l;
}

const plain = (p: Point): Point => ({ x: p.x, y: p.y });

/**
 * A metric's points for charting, in memory bounded by `capacity` however many are pushed.
 *
 * Points are grouped into buckets of `span` consecutive pushes. A bucket keeps only its lowest and
 * highest finite point and the first NaN, +Infinity and -Infinity it saw (with counts). When the kept
 * points would exceed `capacity`, adjacent buckets merge pairwise and `span` doubles; a merge keeps
 * the extremes of both halves, so every bucket's min and max (and so the global ones), every
 * non-finite kind in every bucket, and the first and last points pushed always survive.
 * Pushing is amortised O(1): after a compaction at least a quarter of `capacity` pushes happen
 * before the next one, and a compaction costs O(capacity).
 */
export class Series {
  readonly capacity: number;
  private buckets: Bucket[] = [];
  /**
   * Until the first compaction every push would be a bucket of its own, keeping its one point, so
   * the points are kept as plain numbers instead: no bucket and no point object per push, which is
   * what a chart of a small log used to spend most of its garbage on. Undefined once buckets take
   * over (see {@link leaveRaw}); the result is the same either way.
   */
  private rawX: number[] | undefined = [];
  private rawY: number[] = [];
  /** In the raw phase, where the lowest and highest finite values are (the first on ties), or -1. */
  private rawMin = -1;
  private rawMax = -1;
  private span = 1;
  /** Sum of keptCount over buckets. */
  private kept = 0;
  private cache: readonly Point[] | undefined;
  private firstKept: Kept | undefined;
  /** The last point pushed, as numbers: most pushes keep no point, so they make no object. */
  private latestX = 0;
  private latestY = 0;
  private latestSeq = -1;
  private minKept: Kept | undefined;
  private maxKept: Kept | undefined;
  private readonly totals: NonFiniteCounts = { nan: 0, posInf: 0, negInf: 0 };
  private pushed = 0;

  /** @param capacity most points {@link points} returns; default 2048, at least 16. */
  constructor(capacity: number = DEFAULT_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < MIN_CAPACITY) {
      throw new RangeError(`Series capacity must be an integer >= ${MIN_CAPACITY}, got ${capacity}`);
    }
    this.capacity = capacity;
  }

  push(x: number, y: number): void {
    const seq = this.pushed++;
    this.cache = undefined;
    this.latestX = x;
    this.latestY = y;
    this.latestSeq = seq;
    const rawX = this.rawX;
    if (rawX !== undefined) {
      rawX.push(x);
      this.rawY.push(y);
      this.trackRaw(y, seq);
      // Each raw point stands for a one-point bucket: the same test as below.
      if (rawX.length + 2 > this.capacity) this.leaveRaw();
      return;
    }
    let b = this.buckets[this.buckets.length - 1];
    // The usual push: a finite value within the current bucket's lowest and highest, which changes
    // no kept point (nor the overall extremes, which are at least as far out). NaN and ±Infinity
    // fail these comparisons.
    if (b !== undefined && b.n < this.span && b.min !== undefined && b.max !== undefined && y >= b.min.y && y <= b.max.y) {
      b.n++;
      return;
    }
    const p: Kept = { x, y, seq };
    this.track(p);
    if (!b || b.n >= this.span) {
      b = emptyBucket(p.seq);
      this.buckets.push(b);
    }
    this.kept -= keptCount(b);
    addToBucket(b, p);
    this.kept += keptCount(b);
    // +2: the first and last points may be returned on top of the buckets' representatives.
    if (this.kept + 2 > this.capacity) this.compact();
  }

  /** The kept points in push order: at most `capacity`, always including the first and last pushed. */
  points(): readonly Point[] {
    this.cache ??= this.collect();
    return this.cache;
  }

  /** Number of points ever pushed. */
  get count(): number {
    return this.pushed;
  }

  /** Non-finite values ever pushed, by kind. */
  get nonFinite(): Readonly<NonFiniteCounts> {
    return { ...this.totals };
  }

  /** Lowest finite point ever pushed (the first if tied); undefined until one is pushed. */
  get min(): Point | undefined {
    if (this.rawX !== undefined) return this.rawPoint(this.rawMin);
    return this.minKept && plain(this.minKept);
  }

  /** Highest finite point ever pushed (the first if tied). */
  get max(): Point | undefined {
    if (this.rawX !== undefined) return this.rawPoint(this.rawMax);
    return this.maxKept && plain(this.maxKept);
  }

  /** Last point pushed, finite or not. */
  get latest(): Point | undefined {
    return this.latestSeq === -1 ? undefined : { x: this.latestX, y: this.latestY };
  }

  /** First point pushed. */
  get first(): Point | undefined {
    if (this.rawX !== undefined) return this.rawPoint(this.rawX.length > 0 ? 0 : -1);
    return this.firstKept && plain(this.firstKept);
  }

  /**
   * The push-index ranges `[from, to)` the kept buckets summarise. Exposed so tests can check the
   * guarantee that each range's lowest and highest finite point is among {@link points}.
   */
  spans(): readonly { from: number; to: number }[] {
    if (this.rawX !== undefined) return this.rawX.map((_, i) => ({ from: i, to: i + 1 }));
    return this.buckets.map((b) => ({ from: b.from, to: b.from + b.n }));
  }

  /** {@link track} for the raw point at `index`, by index: a rising accuracy is a new highest at every push. */
  private trackRaw(y: number, index: number): void {
    const kind = nonFiniteKind(y);
    if (kind) {
      this.totals[kind]++;
      return;
    }
    const ys = this.rawY;
    if (this.rawMin === -1 || y < (ys[this.rawMin] as number)) this.rawMin = index;
    if (this.rawMax === -1 || y > (ys[this.rawMax] as number)) this.rawMax = index;
  }

  /** The raw point at `index` (-1: none). */
  private rawPoint(index: number): Point | undefined {
    return index === -1 ? undefined : { x: (this.rawX as number[])[index] as number, y: this.rawY[index] as number };
  }

  /** Turns the raw points into the one-point buckets they stand for, and compacts them. */
  private leaveRaw(): void {
    const xs = this.rawX as number[];
    const ys = this.rawY;
    this.rawX = undefined;
    this.rawY = [];
    const buckets: Bucket[] = [];
    // Raw points are the pushes from the first, so a point's index is its push order.
    for (let seq = 0; seq < xs.length; seq++) {
      const b = emptyBucket(seq);
      const p: Kept = { x: xs[seq] as number, y: ys[seq] as number, seq };
      addToBucket(b, p);
      buckets.push(b);
      if (seq === 0) this.firstKept = p;
      if (seq === this.rawMin) this.minKept = p;
      if (seq === this.rawMax) this.maxKept = p;
    }
    this.buckets = buckets;
    this.kept = buckets.length;
    this.compact();
  }

  private track(p: Kept): void {
    this.firstKept ??= p;
    const kind = nonFiniteKind(p.y);
    if (kind) {
      this.totals[kind]++;
      return;
    }
    if (!this.minKept || p.y < this.minKept.y) this.minKept = p;
    if (!this.maxKept || p.y > this.maxKept.y) this.maxKept = p;
  }

  /**
   * Merges pairwise until the kept points are at most 3/4 of capacity, leaving room for a quarter of
   * capacity more before the next compaction. One pass may not shrink anything (single-point buckets
   * become two-point buckets), hence the loop; a single bucket always fits since capacity >= 16.
   */
  private compact(): void {
    do {
      const merged: Bucket[] = [];
      for (let i = 0; i < this.buckets.length; i += 2) {
        const a = this.buckets[i] as Bucket;
        const c = this.buckets[i + 1];
        merged.push(c ? mergeBuckets(a, c) : a);
      }
      this.buckets = merged;
      this.span *= 2;
      let kept = 0;
      for (let i = 0; i < merged.length; i++) kept += keptCount(merged[i] as Bucket);
      this.kept = kept;
    } while (this.kept + 2 > (this.capacity * 3) / 4 && this.buckets.length > 1);
  }

  private collect(): Point[] {
    const rawX = this.rawX;
    if (rawX !== undefined) {
      const rawY = this.rawY;
      const points: Point[] = new Array<Point>(rawX.length);
      for (let i = 0; i < rawX.length; i++) points[i] = { x: rawX[i] as number, y: rawY[i] as number };
      return points;
    }
    const out: Kept[] = [];
    const buckets = this.buckets;
    for (let i = 0; i < buckets.length; i++) appendRepresentatives(buckets[i] as Bucket, out);
    const first = this.firstKept;
    if (first && out[0]?.seq !== first.seq) out.unshift(first);
    if (this.latestSeq !== -1 && out[out.length - 1]?.seq !== this.latestSeq) out.push({ x: this.latestX, y: this.latestY, seq: this.latestSeq });
    return out.map(plain);
  }
}

/** Bucket `i` of `buckets` over `n` items covers indices `[floor(i*n/buckets), floor((i+1)*n/buckets))`. */
export function bucketStart(i: number, n: number, buckets: number): number {
  return Math.floor((i * n) / buckets);
}

/**
 * Reduces points to draw them `buckets` wide, keeping their shape: the points are split into
 * `buckets` runs of near-equal length (see {@link bucketStart}); each run keeps its lowest and highest
 * finite point and its first NaN, +Infinity and -Infinity, in their original order, and the first and
 * last points are always kept. So the global min and max and every run's extremes survive. Points
 * that already fit (at most 2 per bucket) are returned as they are.
 */
export function downsample(points: readonly Point[], buckets: number): Point[] {
  if (!Number.isFinite(buckets) || buckets < 1) throw new RangeError(`downsample needs at least 1 bucket, got ${buckets}`);
  const nb = Math.floor(buckets);
  const n = points.length;
  if (n <= 2 * nb) return points.slice();
  const keep: number[] = [];
  for (let i = 0; i < nb; i++) keep.push(...bucketKeep(points, bucketStart(i, n, nb), bucketStart(i + 1, n, nb)));
  if (keep[0] !== 0) keep.unshift(0);
  if (keep[keep.length - 1] !== n - 1) keep.push(n - 1);
  return keep.map((i) => points[i] as Point);
}

/** Indices, ascending, of the points worth keeping in `points[from..to)`. */
function bucketKeep(points: readonly Point[], from: number, to: number): number[] {
  let min = -1;
  let max = -1;
  const firstOf: Partial<Record<NonFiniteKind, number>> = {};
  for (let i = from; i < to; i++) {
    const y = (points[i] as Point).y;
    const kind = nonFiniteKind(y);
    if (kind) {
      firstOf[kind] ??= i;
      continue;
    }
    if (min < 0 || y < (points[min] as Point).y) min = i;
    if (max < 0 || y > (points[max] as Point).y) max = i;
  }
  const picked = new Set([min, max, firstOf.nan ?? -1, firstOf.posInf ?? -1, firstOf.negInf ?? -1]);
  picked.delete(-1);
  return [...picked].sort((a, b) => a - b);
}

/**
 * TensorBoard's scalar smoothing (debiased exponential moving average), value for value:
 * non-finite values pass through unchanged and do not update the average, and a constant series is
 * returned unchanged (TensorBoard #786: the debiasing would otherwise add rounding noise).
 * A non-finite weight counts as 0 (no smoothing), as in TensorBoard.
 * @param weight in [0, 1); 0 leaves values unchanged. Throws RangeError outside that range.
 */
export function smooth(ys: readonly number[], weight: number): number[] {
  const w = Number.isFinite(weight) ? weight : 0;
  // TensorBoard allows 1, which flattens every series to 0: useless on a terminal chart.
  if (w < 0 || w >= 1) throw new RangeError(`smoothing weight must be in [0, 1), got ${weight}`);
  const first = ys[0];
  if (ys.every((y) => y === first)) return ys.slice();
  let last = 0;
  let n = 0;
  return ys.map((y) => {
    if (!Number.isFinite(y)) return y;
    last = last * w + (1 - w) * y;
    n++;
    return last / (1 - w ** n);
  });
}

/**
 * The y values of points. A loop, not map: charts and sparklines take them from every track each
 * frame, and on a small log that code runs before V8 has optimised it, where a callback per point
 * costs more than what is done with the values.
 */
export function ysOf(points: readonly Point[]): number[] {
  const ys = new Array<number>(points.length);
  for (let i = 0; i < points.length; i++) ys[i] = (points[i] as Point).y;
  return ys;
}

/** {@link smooth} applied to the y values of points, keeping their x. */
export function smoothPoints(points: readonly Point[], weight: number): Point[] {
  const ys = smooth(ysOf(points), weight);
  return points.map((p, i) => ({ x: p.x, y: ys[i] as number }));
}

/**
 * A converter from ISO-8601 times to seconds since the first valid time it was given (for
 * `--x _time`). Feed it in arrival order; an unparseable time gives NaN and does not set the origin.
 */
export function elapsedClock(): (iso: string) => number {
  let origin: number | undefined;
  return (iso) => {
    const ms = Date.parse(iso);
    if (Number.isNaN(ms)) return NaN;
    origin ??= ms;
    return (ms - origin) / 1000;
  };
}

/** Seconds since the first valid time, for each ISO-8601 time (NaN where unparseable). */
export function elapsedSeconds(isoTimes: readonly string[]): number[] {
  return isoTimes.map(elapsedClock());
}
