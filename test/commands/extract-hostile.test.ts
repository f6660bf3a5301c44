import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runExtract } from '../../src/commands/extract.js';
import { escapeJsonForTerminal } from '../../src/core/escape.js';
import type { CommandIO } from '../../src/core/io.js';

async function extractTo(input: string, stdoutIsTTY: boolean, format: 'json' | 'csv'): Promise<string> {
  const stdout = new PassThrough();
  const chunks: Buffer[] = [];
  stdout.on('data', (c: Buffer) => chunks.push(c));
  const io: CommandIO = { stdin: Readable.from([Buffer.from(input)]), stdout, stderr: new PassThrough(), stdinIsTTY: false, stdoutIsTTY, columns: 80, rows: 24, env: {}, cwd: process.cwd() };
  await runExtract(['-'], { format, nan: 'null' }, io);
  return Buffer.concat(chunks).toString('utf8');
}

const HOSTILE = '{"k\\u009b2J": "a\\u202eb\\u2028c\\u001b[2J", "n": 1}\n';
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]/;

describe('extract on a terminal', () => {
  it('escapes C1 and bidi controls in JSON without changing the data', async () => {
    const text = await extractTo(HOSTILE, true, 'json');
    expect(text).not.toMatch(RAW_CONTROL);
    const parsed = JSON.parse(text.trim());
    expect(parsed).toMatchObject({ 'k\u009b2J': 'a\u202eb\u2028c\u001b[2J', n: 1 });
  });

  it('writes the raw characters (valid JSON either way) when stdout is not a terminal', async () => {
    expect(await extractTo(HOSTILE, false, 'json')).toMatch(/\u202e/);
  });

  it('shows control characters in CSV escaped on a terminal', async () => {
    const text = await extractTo(HOSTILE, true, 'csv');
    expect(text.split('\n').filter(Boolean)).toHaveLength(2);
    expect(text).not.toMatch(RAW_CONTROL);
    expect(text).toContain('\\x1b[2J');
  });

  it('escapeJsonForTerminal leaves JSON text that needs nothing untouched', () => {
    const json = JSON.stringify({ a: 'plain ✓ text', b: [1, 2] });
    expect(escapeJsonForTerminal(json)).toBe(json);
  });
});
