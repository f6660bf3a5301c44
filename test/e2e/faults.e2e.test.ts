/**
 * Malformed input through `extract`, `watch` and `chart` (built binary): each bad input gets one
 * clear message naming `file:line` (or the file, when it cannot be read), the documented status —
 * 0 when only lines were skipped with a warning, 2 when an input could not be read — bounded
 * memory, and the other inputs are still read.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, createWriteStream, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deepLog, wideLog } from '../../scripts/make-fixtures.mjs';
import { runCli } from '../helpers/run-cli.js';
import { FLOOD, NODE, exited, sleep, startCli, watchPeakMemory } from '../helpers/faults.js';

const GOOD = 'fixtures/runs/run-2.log';
const GOOD_RECORDS = 81;
const M = 'fixtures/malformed';
const tmp = (): string => mkdtempSync(join(tmpdir(), 'vizmeta-faults-'));

interface Case {
  name: string;
  file: string;
  records: number;
  /** stderr, exactly, line by line */
  stderr: Array<string | RegExp>;
  /** What extract and chart add on stderr for an input that held no records (watch says it in its dashboard). */
  noRecords?: string | RegExp;
  status: number;
}

const CASES: Case[] = [
  { name: 'an empty file', file: `${M}/empty.log`, records: 0, stderr: [], status: 0, noRecords: `vizmeta: ${M}/empty.log: no metadata in 0 lines` },
  { name: 'a binary file', file: `${M}/binary.bin`, records: 0, stderr: [], status: 0, noRecords: /^vizmeta: fixtures\/malformed\/binary\.bin: no metadata in \d+ lines?$/ },
  {
    name: 'truncated JSON (killed mid-print)',
    file: `${M}/truncated.log`,
    records: 2,
    stderr: [`${M}/truncated.log:3: looks like metadata but is not valid JSON (unterminated string at column 32), skipped`],
    status: 0,
  },
  { name: 'JSON nested 10,000 deep', file: `${M}/deep.log`, records: 0, stderr: [`${M}/deep.log:1: looks like metadata but is nested deeper than 100 levels, skipped`], status: 0, noRecords: `vizmeta: ${M}/deep.log: no metadata in 1 line` },
  { name: '1e400 and -1e400', file: `${M}/bignum.log`, records: 2, stderr: [], status: 0 },
  { name: 'duplicate keys', file: `${M}/dupkeys.log`, records: 1, stderr: [], status: 0 },
  { name: 'invalid UTF-8', file: `${M}/invalid-utf8.log`, records: 2, stderr: [], status: 0 },
  // A folder is searched for logs; a folder of programs has none.
  { name: 'a folder without logs', file: 'test/children/faults', records: 0, stderr: [/^vizmeta: test\/children\/faults: (no training logs found in this folder \(|is a directory$)/], status: 2 },
  { name: 'a missing file', file: `${M}/no-such.log`, records: 0, stderr: [`vizmeta: ${M}/no-such.log: no such file`], status: 2 },
];

/** How many records each command reports: extract's lines, the dashboard header's count. */
function recordsShown(command: string, stdout: string): number {
  if (command === 'extract') return stdout === '' ? 0 : stdout.trimEnd().split('\n').length;
  const m = /· ([\d,]+) records?\b/.exec(stdout.split('\n')[0] ?? '');
  if (!m) throw new Error(`no record count in: ${stdout.slice(0, 200)}`);
  return Number((m[1] as string).replace(/,/g, ''));
}

function expectStderr(stderr: string, expected: Array<string | RegExp>): void {
  const lines = stderr === '' ? [] : stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(expected.length);
  expected.forEach((line, i) => (typeof line === 'string' ? expect(lines[i]).toBe(line) : expect(lines[i]).toMatch(line)));
}

describe('malformed input: one message, the documented status, the other inputs still read', () => {
  for (const command of ['extract', 'watch', 'chart'] as const) {
    const args = command === 'watch' ? ['watch', '--quiet'] : [command];
    for (const c of CASES) {
      it(`${command}: ${c.name}`, async () => {
        // The bad input first, then a good one that must still be read.
        const result = await runCli([...args, c.file, GOOD]);
        expect(result.status).toBe(c.status);
        expectStderr(result.stderr, command === 'watch' || c.noRecords === undefined ? c.stderr : [...c.stderr, c.noRecords]);
        expect(recordsShown(command, result.stdout)).toBe(c.records + GOOD_RECORDS);
      });
    }
  }

  it('values: 1e400 is Infinity (--nan string in JSON, and in CSV), the last duplicate key wins, bad bytes become U+FFFD', async () => {
    const bignum = await runCli(['extract', '--nan', 'string', `${M}/bignum.log`]);
    expect(bignum.stdout).toMatch(/^\{"x":"Infinity","y":"-Infinity","_time":/);
    const csv = await runCli(['extract', '--format', 'csv', `${M}/bignum.log`]);
    expect(csv.stdout.split('\n')[1]).toMatch(/^Infinity,-Infinity,/);
    const dup = await runCli(['extract', `${M}/dupkeys.log`]);
    expect(dup.stdout).toMatch(/^\{"a":2,"_time":/);
    const utf8 = await runCli(['extract', `${M}/invalid-utf8.log`]);
    expect(utf8.stdout).toContain('caf\ufffd cr\ufffdme');
  });

  it('an object with 100,000 keys: extract writes it whole; watch and chart chart 64 keys and say the rest were left out', async () => {
    const dir = tmp();
    const wide = join(dir, 'wide.log');
    writeFileSync(wide, wideLog());
    const extracted = await runCli(['extract', wide]);
    expect(extracted.status).toBe(0);
    const record = JSON.parse(extracted.stdout) as Record<string, unknown>;
    expect(Object.keys(record)).toHaveLength(100_001);
    expect(record['k99999']).toBe(99999);
    for (const command of [['watch', '--quiet'], ['chart']]) {
      const started = Date.now();
      const result = await runCli([...command, wide, GOOD]);
      expect(result.status).toBe(0);
      expect(result.stderr).toBe('');
      expect(result.stdout.split('\n')[0]).toMatch(/· 82 records · 10,000\+ more keys not charted$/);
      expect(result.stdout.length).toBeLessThan(200_000);
      expect(Date.now() - started).toBeLessThan(10_000);
    }
  });

  it('the fixture generator\'s deep log (10,000 levels) is rejected, never a stack overflow, through stdin too', async () => {
    const result = await runCli(['extract'], { input: `${deepLog()}\n{"ok": 1}\n` });
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('stdin:1: looks like metadata but is nested deeper than 100 levels, skipped\n');
    expect(result.stdout).toMatch(/^\{"ok":1,"_time":/);
  });

  it.skipIf(process.getuid?.() === 0)('a file without read permission: one line, status 2, the others read (skipped as root, where chmod 000 does not deny)', async () => {
    const path = join(tmp(), 'secret.log');
    writeFileSync(path, '{"a": 1}\n');
    chmodSync(path, 0o000);
    for (const command of ['extract', 'chart']) {
      const result = await runCli([command, path, GOOD]);
      expect(result.status).toBe(2);
      expect(result.stderr).toBe(`vizmeta: ${path}: permission denied\n`);
      expect(recordsShown(command, result.stdout)).toBe(GOOD_RECORDS);
    }
  });

  it('a FIFO with a writer is read like a file', async () => {
    const fifo = join(tmp(), 'pipe');
    execFileSync('mkfifo', [fifo]);
    const cli = startCli(['extract', fifo, GOOD], ['ignore', 'pipe', 'pipe']);
    const writer = createWriteStream(fifo);
    writer.end('{"step": 1}\n{"step": 2}\n');
    let stdout = '';
    cli.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
    const { status } = await exited(cli);
    expect(status).toBe(0);
    expect(stdout.trimEnd().split('\n')).toHaveLength(2 + GOOD_RECORDS);
  });

  it('a FIFO nobody writes to: waits for a writer, as cat does, then reads it and the inputs after it', async () => {
    const fifo = join(tmp(), 'pipe');
    execFileSync('mkfifo', [fifo]);
    const cli = startCli(['extract', fifo, GOOD], ['ignore', 'pipe', 'pipe']);
    let stdout = '';
    cli.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
    await sleep(700);
    expect(cli.exitCode).toBeNull();
    expect(stdout).toBe('');
    createWriteStream(fifo).end('{"late": 1}\n');
    const { status } = await exited(cli);
    expect(status).toBe(0);
    expect(stdout).toMatch(/^\{"late":1,/);
    expect(stdout.trimEnd().split('\n')).toHaveLength(1 + GOOD_RECORDS);
  });

  for (const jobs of ['1', '2']) {
    it(`sort --jobs ${jobs}: stdin and a FIFO fed by the same writer (tee) are read together, no deadlock`, async () => {
      const fifo = join(tmp(), 'pipe');
      execFileSync('mkfifo', [fifo]);
      const cli = startCli(['sort', '--by', 'loss', '--format', 'json', '--jobs', jobs, '-', fifo, GOOD], ['pipe', 'pipe', 'pipe']);
      // A deadlocked run must not outlive the test.
      const deadline = setTimeout(() => cli.kill('SIGKILL'), 25_000);
      let stdout = '';
      cli.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
      // As tee does: each chunk goes to both, and the writer waits while either pipe is full.
      const other = createWriteStream(fifo);
      const write = (stream: NodeJS.WritableStream, text: string): Promise<void> => new Promise((resolve) => (stream.write(text) ? resolve() : stream.once('drain', () => resolve())));
      const chunk = Array.from({ length: 1000 }, (_, i) => `{"step": ${i}, "loss": 0.5}`).join('\n') + '\n';
      for (let i = 0; i < 60; i++) {
        await write(cli.stdin!, chunk);
        await write(other, chunk);
      }
      cli.stdin!.end();
      other.end();
      const { status } = await exited(cli);
      clearTimeout(deadline);
      expect(status).toBe(0);
      const rows = JSON.parse(stdout) as Array<{ execution: string }>;
      expect(rows.map((row) => row.execution).sort()).toEqual(['-', GOOD, fifo].sort());
    }, 30_000);
  }

  for (const command of ['extract', 'watch'] as const) {
    it(`${command}: an endless line (64 MB, no newline) with --max-line-bytes 1M: one warning, memory bounded, reading goes on`, async () => {
      const cli = startCli([command, '--max-line-bytes', '1M', ...(command === 'watch' ? ['--quiet'] : [])], ['pipe', 'pipe', 'pipe']);
      const writer = spawn(NODE, [FLOOD, 'longline', '64', join(tmp(), 'report')], { stdio: ['ignore', cli.stdin!, 'inherit'] });
      cli.stdin!.destroy();
      const memory = watchPeakMemory(cli.pid!);
      let stdout = '';
      let stderr = '';
      cli.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
      cli.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
      const [{ status }] = await Promise.all([exited(cli), exited(writer)]);
      memory.stop();
      expect(status).toBe(0);
      expect(stderr).toBe('stdin:1: line longer than 1 MiB, skipped\n');
      expect(recordsShown(command, stdout)).toBe(1);
      expect(memory.peakMb()).toBeLessThan(150);
    });
  }
});
