/**
 * `others: 'latest'` (sort's default columns) against the plain summary of every key, on fuzzed
 * logs cut into random chunks: every key the plain summary has is there with the same count,
 * first and latest value, line and step, in the same first-seen order; the keys folded in full
 * are identical. The raw values are read when the chunk they point into is done, so the cuts
 * matter: a value read after its chunk was released would show here.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { topLevelKeysFor, type OtherEntries } from '../../../src/parsers/fast/partial.js';
import type { MetadataRecord } from '../../../src/core/types.js';
import { LineReader } from '../../../src/parsers/source.js';
import { defaultKeys } from '../../../src/analyse/sort.js';
import { comparable as normalise, pythonDumps as dumps } from '../../helpers/python-json.js';
import { runCli } from '../../helpers/run-cli.js';
import { STEP_KEYS, SummaryBuilder, type ExecutionSummary, type KeySummary } from '../../../src/analyse/summary.js';

const RUNS = 10_000;



const KEYS = ['accuracy', 'loss', 'lr', 'step', 'epoch', 'val', 'val.loss', 'loss.x', '_time', 'vh_metadata', '__proto__', 'constructor', 'naïve', 'k\\"q'];
const key = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...KEYS) }, { weight: 1, arbitrary: fc.string({ maxLength: 4 }) });
const scalar = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(NaN, Infinity, -Infinity, 0.1, 1e-7, 2 ** 60), fc.string({ maxLength: 5 }), fc.constantFrom('a\\b', 'é', '\u2028'), fc.boolean(), fc.constant(null));
const value = fc.oneof({ weight: 6, arbitrary: scalar }, { weight: 1, arbitrary: fc.array(scalar, { maxLength: 2 }) }, { weight: 1, arbitrary: fc.dictionary(key, scalar, { maxKeys: 3 }) });
const record = fc.dictionary(key, value, { maxKeys: 7 });
const line = fc.oneof(
  { weight: 8, arbitrary: record.map(dumps) },
  { weight: 1, arbitrary: record.map((r) => `2026-11-22T10:00:01Z ${dumps(r)}`) },
  { weight: 1, arbitrary: record.map((r) => `\x1b[2m${dumps(r)}\x1b[0m`) },
  { weight: 1, arbitrary: record.map((r) => `{"vh_metadata": ${dumps(r)}}`) },
  { weight: 1, arbitrary: fc.constantFrom('{"loss": 1, "loss": 2, "lr": NaN}', '{"a.b": 1, "a": {"b": 2}}', 'epoch 3 done', '{"loss": [1, NaN]}', '{"loss": 0.5', '{"__proto__": {"x": 1}}') },
  // A key twice in a line, its value changing between object and number: JSON.parse keeps the last.
  { weight: 1, arbitrary: fc.constantFrom('{"lr": {"b": 1}, "lr": 2}', '{"lr": 2, "lr": {"b": 1}}', '{"val": {"b": 1}, "loss": 3, "val": {"c": 2}}', '{"lo\u009b0mss": 0.5, "x": 1}') },
  // One leaf name twice inside a nested object (`val.loss.x`): counted once, the later value kept.
  { weight: 1, arbitrary: fc.constantFrom('{"val": {"loss.x": 1, "loss": {"x": 2}}}', '{"val": {"loss": {"x": 3}, "loss.x": 4}, "lr": 1}') },
);

function summarize(input: Buffer, cuts: number[], folded: string[] | 'all', others: 'skip' | 'latest' = 'latest'): ExecutionSummary {
  const keys = folded === 'all' ? 'all' : new Set(folded);
  const builder = new SummaryBuilder('x', keys === 'all' ? {} : { keys, others });
  const sink = {
    record: (r: MetadataRecord) => builder.add(r),
    chunkDone: () => builder.chunkDone(),
    diagnostic: () => {},
  };
  // The builder itself is the OtherKeysSink, as input/executions.ts hands it to the reader.
  const reader = new LineReader('x', others === 'latest' ? Object.assign(sink, { recordWithOthers: (r: MetadataRecord, entries: OtherEntries) => builder.recordWithOthers(r, entries) }) : sink, keys === 'all' ? { now: () => 0 } : { keys: topLevelKeysFor([...keys, ...STEP_KEYS]), now: () => 0 });
  let from = 0;
  for (const cut of [...new Set(cuts.map((c) => Math.min(c, input.length)))].sort((a, b) => a - b)) {
    // A copy per chunk, then scribbled over: a raw value read late would read the scribbles.
    const chunk = Buffer.from(input.subarray(from, cut));
    reader.push(chunk);
    chunk.fill(0x39);
    from = cut;
  }
  reader.push(Buffer.from(input.subarray(from)));
  reader.end();
  return builder.finish(reader.lines);
}

const light = (summary: KeySummary) => [summary.count, normalise(summary.first), normalise(summary.latest), summary.latestLine, summary.latestStep];

describe("summaries with others: 'latest'", () => {
  it('keep count, first and latest of every key, in first-seen order; folded keys in full', () => {
    const folded = fc.constantFrom<string[]>(['accuracy'], ['loss'], ['val.loss'], ['loss', 'lr'], ['__proto__'], ['step']);
    fc.assert(
      fc.property(fc.array(line, { maxLength: 8 }), folded, fc.array(fc.nat(400), { maxLength: 4 }), (lines, names, cuts) => {
        const input = Buffer.from(lines.join('\n'));
        const full = summarize(input, [], 'all');
        const foldedOnly = summarize(input, [], names, 'skip');
        const partial = summarize(input, cuts, names);
        const plainKeys = [...full.keys.keys()];
        // Extra keys only where a folded path names an object that the plain summary splits into leaves.
        const extra = [...partial.keys.keys()].filter((k) => !full.keys.has(k));
        expect(extra.every((k) => names.includes(k))).toBe(true);
        expect([...partial.keys.keys()].filter((k) => full.keys.has(k))).toEqual(plainKeys);
        // A folded key is what the summary of only those keys says (a path may name an object).
        for (const k of names) expect(normalise(partial.keys.get(k))).toEqual(normalise(foldedOnly.keys.get(k)));
        for (const k of plainKeys) {
          if (names.includes(k)) continue;
          expect(light(partial.keys.get(k) as KeySummary)).toEqual(light(full.keys.get(k) as KeySummary));
        }
        expect(partial.records).toBe(full.records);
        // So what sort shows by default (it folds the --by key only) is the same.
        if (names.length === 1) expect(defaultKeys([partial], names)).toEqual(defaultKeys([full], names));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('the RecordSink contract', () => {
  it('hands a plain sink reading with keys only records, never the raw other keys', () => {
    const calls: unknown[][] = [];
    const reader = new LineReader('x', { record: (...args: unknown[]) => void calls.push(args), diagnostic: () => {} }, { keys: new Set(['loss']), now: () => 0 });
    reader.push(Buffer.from('{"loss": 1, "lr": 0.5}\n2026-11-22T10:00:01Z {"lr": 2, "loss": 3}\n{"loss": NaN, "lr": [1]}\n'));
    reader.end();
    expect(calls.map((args) => args.length)).toEqual([1, 1, 1]);
    expect(calls.map(([record]) => (record as MetadataRecord).values)).toEqual([{ loss: 1 }, { loss: 3 }, { loss: NaN }]);
  });
});

describe('sort with its default columns (built binary)', () => {
  it('shows the same values as when every key is read in full, in-process and with worker threads', async () => {
    const logs = [...Array.from({ length: 8 }, (_, i) => `fixtures/runs/run-${i + 1}.log`), 'fixtures/nan.log', 'fixtures/timestamps.log', 'fixtures/valohai-utils.log', 'fixtures/hostile.log', 'fixtures/tqdm.log'];
    for (const jobs of ['1', '2']) {
      const light = await runCli(['sort', '--by', 'accuracy', '--format', 'json', '--jobs', jobs, ...logs]);
      const all = await runCli(['sort', '--by', 'accuracy', '--format', 'json', '--keys', 'all', '--jobs', jobs, ...logs]);
      expect(light.status).toBe(0);
      const rows = JSON.parse(light.stdout) as Array<Record<string, unknown>>;
      const full = JSON.parse(all.stdout) as Array<Record<string, unknown>>;
      expect(rows.map((row) => row['execution'])).toEqual(full.map((row) => row['execution']));
      expect(Object.keys(rows[0] ?? {}).length).toBeGreaterThan(3);
      rows.forEach((row, i) => {
        for (const [name, value] of Object.entries(row)) expect([name, value]).toEqual([name, (full[i] as Record<string, unknown>)[name]]);
      });
    }
  });
});
