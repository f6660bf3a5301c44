/**
 * How `sort` and `table` order rows, spelled the same in both (issue 19): `--by KEY`, best first
 * by the key's direction unless `--asc` or `--desc` says otherwise. Table's old `--sort KEY`
 * (ascending) and `--sort -KEY` (descending) still work in both, as a hidden old spelling.
 */
import type { Command } from 'commander';
import { UsageError } from '../core/errors.js';
import { normalizeKey } from '../core/keys.js';
import { parseSortSpec } from '../analyse/table.js';
import { parseAggregates } from '../core/aggregates.js';
import { AGGREGATES, type Aggregate } from '../analyse/summary.js';
import { oldSpelling } from './aliases.js';

export interface OrderFlags {
  /** `--by KEY`: what to order by (`metadata.` prefix and dotted paths allowed). */
  by?: string;
  /** `--asc`: lowest first. Default: best first by the key's direction, highest first for a key with none. */
  asc?: boolean;
  /** `--desc`: highest first. */
  desc?: boolean;
  /** `--sort KEY` / `--sort -KEY`: the old spelling of `--by KEY --asc` / `--by KEY --desc`. */
  sort?: string;
}

/** `--by`, `--asc`, `--desc` and the hidden `--sort`; `by` describes `--by` for this command. */
export function addOrderOptions(command: Command, by: string): Command {
  return command
    .option('--by <key>', by)
    .option('--asc', 'lowest first (default: best first by the key\'s direction; highest first when it has none)')
    .option('--desc', 'highest first')
    .addOption(oldSpelling('--sort <key>', '--by KEY --asc (-KEY: --by KEY --desc)'));
}

/** The key to order by (undefined when none is named) and the order asked for, `--sort` read as its new spelling. */
export function orderFrom(flags: OrderFlags): { by: string | undefined; asc: boolean; desc: boolean } {
  if (flags.asc === true && flags.desc === true) throw new UsageError('--asc and --desc cannot be used together');
  if (flags.sort === undefined) {
    const by = flags.by === undefined ? undefined : normalizeKey(flags.by);
    if (by === '') throw new UsageError('--by: expected a key name');
    return { by, asc: flags.asc === true, desc: flags.desc === true };
  }
  if (flags.by !== undefined) throw new UsageError('--sort is the old spelling of --by: give one of them');
  if (flags.asc === true || flags.desc === true) throw new UsageError('--sort KEY / -KEY says the order itself: give --by KEY with --asc or --desc instead');
  const spec = parseSortSpec(flags.sort);
  return { by: spec.key, asc: spec.ascending, desc: !spec.ascending };
}

/**
 * `--agg` as `table` writes it, read for sort: bare names (`min`) are of the `--by` key, and
 * executions are ranked by the first, which must be of that key; the rest are columns. Only what
 * a summary keeps (not `sum`) can be asked for.
 */
export function sortAggregates(agg: string | readonly string[] | undefined, key: string): { aggregate: Aggregate; more: Array<{ key: string; aggregate: Aggregate }> } {
  const texts = agg === undefined ? [] : typeof agg === 'string' ? [agg] : agg;
  const specs = parseAggregates(texts, key);
  const kept = specs.map((spec) => {
    const aggregate = AGGREGATES.find((known) => known === spec.fn);
    if (aggregate === undefined) throw new UsageError(`--agg: ${spec.fn} is for table --group-by; sort keeps ${AGGREGATES.join(', ')}`);
    return { key: spec.key ?? key, aggregate };
  });
  const [first, ...rest] = kept;
  if (first === undefined) return { aggregate: 'latest', more: [] };
  if (first.key !== key) throw new UsageError(`--agg: the first aggregate ranks, so it is of the --by key (${first.aggregate} or ${first.aggregate}(${key})), got ${first.aggregate}(${first.key})`);
  const seen = new Set([`${first.aggregate}(${key})`]);
  const more = rest.filter((item) => {
    const id = `${item.aggregate}(${item.key})`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  return { aggregate: first.aggregate, more };
}
