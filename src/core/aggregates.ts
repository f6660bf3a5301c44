/**
 * The aggregates of a key's values, one vocabulary for `sort --agg`, expressions (`max(loss)`),
 * summaries and `table --agg`.
 */

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
