/**
 * Folders and framework files as inputs: what every command that reads logs sees through
 * readInputs and summarizeExecutions.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { expandInputs, needsExpanding } from '../../src/input/frameworks.js';
import { readInputs } from '../../src/input/read-inputs.js';
import { summarizeExecutions } from '../../src/input/executions.js';
import type { Diagnostic, MetadataRecord } from '../../src/core/types.js';
import { ROOT } from '../helpers/run-cli.js';

const FILES = join(ROOT, 'fixtures/frameworks/files');
const TB = join(ROOT, 'fixtures/frameworks/tensorboard');

async function read(inputs: string[]): Promise<{ records: MetadataRecord[]; diagnostics: Diagnostic[]; errors: string[] }> {
  const records: MetadataRecord[] = [];
  const diagnostics: Diagnostic[] = [];
  const errors: string[] = [];
  await readInputs(inputs, Readable.from([]), { record: (r) => records.push(r), diagnostic: (d) => diagnostics.push(d) }, {}, { onError: (m) => errors.push(m) });
  return { records, diagnostics, errors };
}

describe('which inputs are expanded', () => {
  it('leaves plain log names alone (no stat, no read) and expands folders and framework files', () => {
    expect(needsExpanding(['train.log', 'b.jsonl', '-'])).toBe(false);
    expect(needsExpanding(['runs/'])).toBe(true);
    expect(needsExpanding(['runs'])).toBe(true);
    expect(needsExpanding(['out/trainer_state.json'])).toBe(true);
    expect(needsExpanding(['lightning_logs/version_0/metrics.csv'])).toBe(true);
    expect(needsExpanding(['events.out.tfevents.1700000000.host.1.0'])).toBe(true);
  });
});

describe('a TensorBoard logdir', () => {
  it('gives one execution per run folder, named by its path below the logdir', async () => {
    const found = await expandInputs([TB], { onWarning: () => undefined });
    const names = found.map((e) => (e.kind === 'framework' ? e.input.name : e.path));
    expect(names).toEqual(expect.arrayContaining(['keras/train', 'keras/validation', 'tf2', 'tensorboardx', 'torch']));
  });

  it('reads scalars as records with step and wall time, as the writer logged them', async () => {
    const { records, errors } = await read([join(TB, 'tensorboardx')]);
    expect(errors).toEqual([]);
    const expected = JSON.parse(readFileSync(join(TB, 'tensorboardx.expected.json'), 'utf8')) as { scalars: Array<{ tag: string; step: number; wall_time: number; value: number }> };
    expect(records.map((r) => {
      const [tag, value] = Object.entries(r.values).find(([k]) => k !== 'step')!;
      return [tag, r.values['step'], Date.parse(r.time), Math.fround(value as number)];
    })).toEqual(expected.scalars.map((s) => [s.tag, s.step, Math.round(s.wall_time * 1000), Math.fround(s.value)]));
  });
});

describe('sort, compare and gate over framework runs', () => {
  it('summarises an mlruns tree one execution per run, named with the run name', async () => {
    const summaries = await summarizeExecutions([join(FILES, 'mlruns')], { stdin: Readable.from([]), jobs: 1 });
    expect(summaries.length).toBe(3);
    expect(summaries.every((s) => s.kind === 'framework' && s.error === undefined)).toBe(true);
    expect(summaries.map((s) => s.execution)).toContainEqual(expect.stringContaining('(brave-owl-17)'));
  });

  it('keeps logs and framework runs in the order given, logs still read by the line reader', async () => {
    const summaries = await summarizeExecutions([join(ROOT, 'fixtures/runs/run-1.log'), join(FILES, 'hf-trainer'), '-'], {
      stdin: Readable.from([Buffer.from('{"accuracy": 0.5}\n')]),
      jobs: 1,
    });
    expect(summaries.map((s) => s.kind)).toEqual(['log', 'framework', 'log']);
    expect(summaries[1]!.keys.get('eval_accuracy')?.latest).toBeTypeOf('number');
    expect(summaries[2]!.keys.get('accuracy')?.latest).toBe(0.5);
  });

  it('says so when a folder holds nothing readable, and still reads the other inputs', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'vizmeta-empty-'));
    mkdirSync(join(empty, 'sub'));
    writeFileSync(join(empty, 'sub', 'notes.md'), '# nothing here\n');
    const { records, errors } = await read([empty, join(FILES, 'keras', 'training.csv')]);
    expect(errors).toEqual([expect.stringMatching(/no training logs found in this folder/)]);
    expect(records.length).toBeGreaterThan(0);
  });
});

describe('a damaged TensorBoard file', () => {
  it('keeps the records around the damage and names the file and byte offset', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vizmeta-tb-corrupt-'));
    const source = join(TB, 'tensorboardx');
    const name = (await import('node:fs')).readdirSync(source).find((f) => f.startsWith('events.out.tfevents.')) as string;
    const bytes = readFileSync(join(source, name));
    const whole = await read([join(source, name)]);
    // Flip one byte inside the data of a scalar record in the middle: its checksum fails.
    const { readTensorBoardEvents } = await import('../../src/parsers/frameworks/tensorboard.js');
    const frames = readTensorBoardEvents(bytes).records;
    const target = frames[Math.floor(frames.length / 2)]!;
    const damaged = Buffer.from(bytes);
    const at = target.offset + 12 + 2;
    damaged[at] = (damaged[at] as number) ^ 0xff;
    const file = join(dir, name);
    writeFileSync(file, damaged);
    const { records, diagnostics, errors } = await read([file]);
    expect(errors).toEqual([]);
    expect(records.length).toBeGreaterThan(0);
    expect(records).toHaveLength(whole.records.length - 1);
    expect(diagnostics.length).toBeGreaterThan(0);
    expect(diagnostics[0]!.source).toBe(file);
    expect(diagnostics[0]!.message).toMatch(/offset \d+/);
  });
});
