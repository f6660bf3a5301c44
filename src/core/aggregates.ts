/**
 * The aggregates of a key's values, one vocabulary for `sort --agg`, expressions (`max(loss)`),
 * summaries and `table --agg`, and the one way an `--agg` list is written.
 */
import { UsageError } from './errors.js';
import { normalizeKey } from './keys.js';

/** The aggregates an execution summary keeps, and an expression or `--agg` can ask for. */
export type Aggregate = 'latest' | 'first' | 'min' | 'max' | 'mean' | 'count';
export const AGGREGATES: readonly Aggregate[] = ['latest', 'first', 'min', 'max', 'mean', 'count'];

/** Over rows (`table --group-by ... --agg`), also their sum. */
export type RowAggregate = Aggregate | 'sum';
export const ROW_AGGREGATES: readonly RowAggregate[] = [...AGGREGATES, 'sum'];

/** Other spellings people write for an aggregate. */
const ALIASES: Readonly<Record<string, RowAggregate>> = { last: 'latest', avg: 'mean' };

/** The aggregate a name (any case, `last` and `avg` included) stands for, or undefined. */
export function rowAggregateNamed(name: string): RowAggregate | undefined {
  const lower = name.trim().toLowerCase();
  const aggregate = Object.hasOwn(ALIASES, lower) ? ALIASES[lower] : lower;
  return ROW_AGGREGATES.find((known) => known === aggregate);
}

/** One item of an `--agg` list: a function and the key it reads. */
export interface AggregateSpec {
  fn: RowAggregate;
  /** The key; undefined for `count()` (rows of a group). */
  key?: string;
  /** `mean(loss)`, `count()`. */
  label: string;
}

/**
 * Parses an `--agg` list, as `sort` and `table` both take it: `mean(loss), max(metadata.accuracy),
 * count()`, comma-separated and repeatable. With `bareKey` (sort's `--by` key) a bare function
 * (`min`) or an empty call (`min()`) reads that key; without it, only `count()` may go without one.
 */
export function parseAggregates(texts: readonly string[], bareKey?: string): AggregateSpec[] {
  const specs: AggregateSpec[] = [];
  const named = (name: string): RowAggregate => {
    const fn = rowAggregateNamed(name);
    if (fn === undefined) throw new UsageError(`--agg: unknown function '${name.trim().toLowerCase()}'; use ${ROW_AGGREGATES.join(', ')}`);
    return fn;
  };
  for (const text of texts) {
    for (const match of text.matchAll(/\s*([^,(]*)\(([^)]*)\)\s*(?:,|$)|\s*([^,]+?)\s*(?:,|$)/g)) {
      if (match[0].trim() === '' || match[0].trim() === ',') continue;
      if (match[3] !== undefined) {
        if (bareKey === undefined) throw new UsageError(`--agg: expected FUNCTION(KEY) such as mean(loss) or count(), got '${match[3]}'`);
        const fn = named(match[3]);
        specs.push({ fn, key: bareKey, label: `${fn}(${bareKey})` });
        continue;
      }
      const fn = named(match[1] ?? '');
      const key = normalizeKey(match[2] ?? '') || (bareKey ?? '');
      if (key === '' && fn !== 'count') throw new UsageError(`--agg: ${fn}() needs a key, e.g. ${fn}(loss)`);
      specs.push({ fn, ...(key !== '' ? { key } : {}), label: `${fn}(${key})` });
    }
  }
  return specs;
}
