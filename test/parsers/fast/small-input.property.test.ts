/**
 * The small-input path (ReadOptions.smallInput: a whole input of 512 KiB or less read by the
 * grammar's JSON.parse path instead of the byte scanners, issue 18) gives the same summaries as
 * the scanners, on fuzzed logs: every key, in first-seen order, with the same aggregates, for the
 * keys folded in full and for the others kept light (sort's default columns); and extract prints
 * the same bytes, whether its JSON-lines writer copies the clean lines or every line is parsed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { topLevelKeysFor, type OtherEntries } from '../../../src/parsers/fast/partial.js';
import { LineReader, SMALL_INPUT_BYTES } from '../../../src/parsers/source.js';
import { STEP_KEYS, SummaryBuilder, type ExecutionSummary } from '../../../src/analyse/summary.js';
import { summarizeFile } from '../../../src/input/executions.js';
import { JsonLineWriter } from '../../../src/parsers/fast/canonical.js';
import { recordJsonLine } from '../../../src/render/extract.js';
import { comparable as normalise, pythonDumps as dumps } from '../../helpers/python-json.js';
import type { MetadataRecord } from '../../../src/core/types.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const KEYS = ['accuracy', 'loss', 'lr', 'step', 'epoch', 'val', 'val.loss', '_time', '__proto__', 'naïve'];
const key = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...KEYS) }, { weight: 1, arbitrary: fc.string({ maxLength: 4 }) });
const scalar = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(NaN, Infinity, -Infinity, 0.1, 1e-7, 2 ** 60), fc.string({ maxLength: 5 }), fc.boolean(), fc.constant(null));
const value = fc.oneof({ weight: 6, arbitrary: scalar }, { weight: 1, arbitrary: fc.array(scalar, { maxLength: 2 }) }, { weight: 1, arbitrary: fc.dictionary(key, scalar, { maxKeys: 3 }) });
const record = fc.dictionary(key, value, { maxKeys: 6 });
const line = fc.oneof(
  { weight: 8, arbitrary: record.map(dumps) },
  { weight: 1, arbitrary: record.map((r) => `2026-11-22T10:00:01Z ${dumps(r)}`) },
  { weight: 1, arbitrary: record.map((r) => `\x1b[2m${dumps(r)}\x1b[0m`) },
  { weight: 1, arbitrary: record.map((r) => `INFO:root:${dumps(r)}`) },
  { weight: 1, arbitrary: fc.constantFrom('{"loss": 1, "loss": 2, "lr": NaN}', 'epoch 3 done', '{"loss": 0.5', "{'loss': 0.25, 'epoch': 1.0}", '{"a.b": 1, "a": {"b": 2}}') },
);

function summarize(input: Buffer, folded: string[], smallInput: boolean): ExecutionSummary {
  const keys = new Set(folded);
  const builder = new SummaryBuilder('x', { keys, others: 'latest' });
  const sink = {
    record: (r: MetadataRecord) => builder.add(r),
    recordWithOthers: (r: MetadataRecord, entries: OtherEntries) => builder.recordWithOthers(r, entries),
    chunkDone: () => builder.chunkDone(),
    diagnostic: () => {},
  };
  const reader = new LineReader('x', sink, { keys: topLevelKeysFor([...keys, ...STEP_KEYS]), now: () => 0, smallInput });
  reader.push(input);
  reader.end();
  return builder.finish(reader.lines);
}

const entries = (summary: ExecutionSummary) => [...summary.keys].map(([name, key]) => [name, normalise({ ...key, history: undefined })]);

/** What `vizmeta extract` writes for `input`, as it wires the reader (commands/extract.ts). */
function extractLines(input: Buffer, smallInput: boolean): string {
  const writer = new JsonLineWriter('source');
  const sink = {
    record: (r: MetadataRecord) => writer.appendText(`${recordJsonLine(r, 'source', 'null')}\n`),
    diagnostic: () => {},
  };
  const reader = new LineReader('logs/x.log', sink, { jsonLines: writer, now: () => 0, smallInput });
  reader.push(input);
  reader.end();
  return writer.take().toString();
}

describe('the small-input path', () => {
  it('gives extract the same bytes as the JSON-lines writer, on fuzzed logs', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 10 }), (lines) => {
        const input = Buffer.from(lines.join('\n'));
        expect(extractLines(input, true)).toBe(extractLines(input, false));
      }),
      { numRuns: 1000 },
    );
  });

  it('summarises fuzzed logs exactly as the byte scanners do', () => {
    const folded = fc.constantFrom<string[]>(['accuracy'], ['loss'], ['val.loss'], ['loss', 'lr'], ['step']);
    fc.assert(
      fc.property(fc.array(line, { maxLength: 10 }), folded, (lines, names) => {
        const input = Buffer.from(lines.join('\n'));
        const small = summarize(input, names, true);
        const scanned = summarize(input, names, false);
        expect(small.records).toBe(scanned.records);
        expect(entries(small)).toEqual(entries(scanned));
      }),
      { numRuns: 1000 },
    );
  });

  it('a file either side of 512 KiB (read by either path) is summarised alike', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vizmeta-small-'));
    try {
      const line = (i: number): string => JSON.stringify({ step: i, accuracy: i / 1e4, loss: 1 / (i + 1), note: 'x'.repeat(60) });
      let text = '';
      for (let i = 0; text.length < SMALL_INPUT_BYTES + 4096; i++) text += `${line(i)}\n`;
      const smallText = text.slice(0, text.lastIndexOf('\n', SMALL_INPUT_BYTES - 1) + 1);
      writeFileSync(join(dir, 'small.log'), smallText);
      writeFileSync(join(dir, 'big.log'), text);
      const options = { keys: new Set(['accuracy']), others: 'latest' as const };
      const small = await summarizeFile(join(dir, 'small.log'), options);
      const big = await summarizeFile(join(dir, 'big.log'), options);
      expect(small.records).toBe(smallText.split('\n').length - 1);
      expect(big.records).toBeGreaterThan(small.records);
      expect(normalise(small.keys.get('accuracy')?.first)).toEqual(normalise(big.keys.get('accuracy')?.first));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
