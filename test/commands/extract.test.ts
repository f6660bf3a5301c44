/**
 * `extract` in-process: where each row came from. Over several inputs (files named, or the logs and
 * runs a lone folder holds) every record says its `_source`; one input keeps the plain output;
 * `--with-source` adds `_line` too and `--no-source` turns the default off.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { runExtract, type ExtractOptions } from '../../src/commands/extract.js';
import type { CommandIO } from '../../src/core/io.js';

const NOW = Date.parse('2026-01-01T00:00:00.000Z');
const T = '2026-01-01T00:00:00.000Z';

let dir = '';
let run1 = '';
let run2 = '';
let folder = '';
let lone = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vizmeta-extract-'));
  run1 = join(dir, 'run-1.log');
  run2 = join(dir, 'run-2.log');
  writeFileSync(run1, 'start\n{"step": 1, "loss": 0.5}\n{"step": 2, "loss": 0.4}\n');
  writeFileSync(run2, '{"step": 1, "accuracy": 0.9}\n');
  folder = join(dir, 'logs');
  mkdirSync(folder);
  writeFileSync(join(folder, 'a.log'), '{"step": 1, "loss": 0.5}\n');
  writeFileSync(join(folder, 'b.log'), '{"step": 1, "loss": 0.7}\n');
  lone = join(dir, 'one');
  mkdirSync(lone);
  writeFileSync(join(lone, 'only.log'), '{"step": 1, "loss": 0.5}\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'], now: NOW });
});
afterEach(() => {
  vi.useRealTimers();
});

async function extract(inputs: string[], options: Partial<ExtractOptions> = {}, stdin = ''): Promise<{ stdout: string; status: number }> {
  const stdout = new PassThrough();
  const chunks: Buffer[] = [];
  stdout.on('data', (c: Buffer) => chunks.push(c));
  const io: CommandIO = { stdin: Readable.from([Buffer.from(stdin)]), stdout, stderr: new PassThrough(), stdinIsTTY: false, stdoutIsTTY: false, columns: 80, rows: 24, env: {}, cwd: process.cwd() };
  const status = await runExtract(inputs, { format: 'json', nan: 'null', ...options }, io);
  return { stdout: Buffer.concat(chunks).toString('utf8'), status };
}

const json = (...objects: object[]): string => objects.map((o) => `${JSON.stringify(o)}\n`).join('');

describe('extract says where each row came from over several inputs', () => {
  it('JSON over several files: _source after _time, the file as given', async () => {
    const { stdout, status } = await extract([run1, run2]);
    expect(status).toBe(0);
    expect(stdout).toBe(json({ step: 1, loss: 0.5, _time: T, _source: run1 }, { step: 2, loss: 0.4, _time: T, _source: run1 }, { step: 1, accuracy: 0.9, _time: T, _source: run2 }));
  });

  it('CSV over several files: a _source column after _time', async () => {
    const { stdout } = await extract([run1, run2], { format: 'csv' });
    expect(stdout).toBe(`step,loss,accuracy,_time,_source\n1,0.5,,${T},${run1}\n2,0.4,,${T},${run1}\n1,,0.9,${T},${run2}\n`);
  });

  it('one input keeps the plain output, file or stdin', async () => {
    expect((await extract([run1])).stdout).toBe(json({ step: 1, loss: 0.5, _time: T }, { step: 2, loss: 0.4, _time: T }));
    expect((await extract([run2], { format: 'csv' })).stdout).toBe(`step,accuracy,_time\n1,0.9,${T}\n`);
    expect((await extract(['-'], {}, '{"a": 1}\n')).stdout).toBe(json({ a: 1, _time: T }));
  });

  it('stdin among several inputs is named -', async () => {
    expect((await extract(['-', run2], {}, '{"a": 1}\n')).stdout).toBe(json({ a: 1, _time: T, _source: '-' }, { step: 1, accuracy: 0.9, _time: T, _source: run2 }));
  });

  it('counts the logs a lone folder holds: two are several, one is one', async () => {
    expect((await extract([folder])).stdout).toBe(json({ step: 1, loss: 0.5, _time: T, _source: join(folder, 'a.log') }, { step: 1, loss: 0.7, _time: T, _source: join(folder, 'b.log') }));
    expect((await extract([lone], { format: 'csv' })).stdout).toBe(`step,loss,_time\n1,0.5,${T}\n`);
  });

  it('--with-source adds _line too, over one input or several', async () => {
    expect((await extract([run1, run2], { withSource: true, format: 'csv' })).stdout).toBe(`step,loss,accuracy,_time,_source,_line\n1,0.5,,${T},${run1},2\n2,0.4,,${T},${run1},3\n1,,0.9,${T},${run2},1\n`);
    expect((await extract([run2], { withSource: true })).stdout).toBe(json({ step: 1, accuracy: 0.9, _time: T, _source: run2, _line: 1 }));
  });

  it('--no-source leaves _source out', async () => {
    expect((await extract([run1, run2], { source: false })).stdout).toBe(json({ step: 1, loss: 0.5, _time: T }, { step: 2, loss: 0.4, _time: T }, { step: 1, accuracy: 0.9, _time: T }));
    expect((await extract([folder], { source: false, format: 'csv' })).stdout).toBe(`step,loss,_time\n1,0.5,${T}\n1,0.7,${T}\n`);
  });
});
