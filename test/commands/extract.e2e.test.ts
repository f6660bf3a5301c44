import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, runCli } from '../helpers/run-cli.js';

describe('vizmeta extract (built binary)', () => {
  it('prints one JSON object per metadata line with _time, keys in order', async () => {
    const input = 'Epoch 1/2\n\n{"step": 1, "loss": 0.5, "_time": "2026-01-01T00:00:00"}\nnoise {\n{"step": 2, "loss": NaN}\n';
    const result = await runCli(['extract', '--with-source'], { input });
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    const lines = result.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[0]).toEqual({ step: 1, loss: 0.5, _time: '2026-01-01T00:00:00.000Z', _source: '-', _line: 3 });
    expect(Object.keys(lines[1])).toEqual(['step', 'loss', '_time', '_source', '_line']);
    expect(lines[1].loss).toBeNull();
  });

  it('writes NaN as chosen', async () => {
    const input = '{"a": NaN, "b": -Infinity}\n';
    expect((await runCli(['extract', '--nan', 'string'], { input })).stdout).toMatch(/^\{"a":"NaN","b":"-Infinity","_time":/);
    expect((await runCli(['extract', '--nan', 'python'], { input })).stdout).toMatch(/^\{"a":NaN,"b":-Infinity,"_time":/);
  });

  it('writes CSV with the union of keys, nested keys dotted, formulas guarded', async () => {
    const input = '{"step": 1, "val": {"loss": 0.5}}\n{"step": 2, "note": "=1+2", "d": -0.5}\n';
    const result = await runCli(['extract', '--format', 'csv'], { input });
    const [header, first, second] = result.stdout.trim().split('\n');
    expect(header).toBe('step,val.loss,note,d,_time');
    expect(first).toMatch(/^1,0.5,,,2/);
    expect(second).toMatch(/^2,,'=1\+2,-0.5,2/);
  });

  it('reads several files in order, reports a missing one and exits 2 after reading the rest', async () => {
    // A folder is searched for logs now; one holding none is the error (test/children has only programs).
    const result = await runCli(['extract', '--with-source', 'missing.log', 'fixtures/e2e/two.log', 'test/children/faults']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^vizmeta: missing\.log: no such file\nvizmeta: test\/children\/faults: no training logs found in this folder/);
    expect(result.stdout.trim().split('\n')).toHaveLength(2);
  });

  it('names the file of each row over several logs; --no-source turns that off, and not with --with-source', async () => {
    const csv = await runCli(['extract', '--format', 'csv', 'fixtures/e2e/two.log', 'fixtures/e2e/two.log']);
    expect(csv.status).toBe(0);
    const [header, first] = csv.stdout.split('\n');
    expect(header).toBe('step,accuracy,_time,_source');
    expect(first).toMatch(/^1,0\.5,[^,]+,fixtures\/e2e\/two\.log$/);
    const plain = await runCli(['extract', '--no-source', 'fixtures/e2e/two.log', 'fixtures/e2e/two.log']);
    expect(plain.stdout).not.toMatch(/_source/);
    const both = await runCli(['extract', '--with-source', '--no-source', 'fixtures/e2e/two.log']);
    expect(both.status).toBe(2);
    expect(both.stderr).toMatch(/'--no-source' cannot be used with option '--with-source'|'--with-source' cannot be used with option '--no-source'/);
  });

  it('warns about a broken metadata line with file:line and goes on', async () => {
    const result = await runCli(['extract'], { input: '{"a": 1}\n{"a": \n{"a": 3}\n' });
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/^stdin:2: looks like metadata but is not valid JSON/);
    expect(result.stdout.trim().split('\n')).toHaveLength(2);
  });

  it('exits quietly with 0 when the reader closes the pipe', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vizmeta-'));
    const log = join(dir, 'many.log');
    writeFileSync(log, Array.from({ length: 200_000 }, (_, i) => `{"step": ${i}}`).join('\n'));
    const output = execFileSync('bash', ['-c', `node ${JSON.stringify(BIN)} extract ${JSON.stringify(log)} 2>&1 | head -1; echo "status=\${PIPESTATUS[0]}"`], { cwd: ROOT, encoding: 'utf8' });
    expect(output).toMatch(/^\{"step":0,/);
    expect(output).toMatch(/status=0\n$/);
  });

  it('prints --version and --help', async () => {
    expect((await runCli(['--version'])).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    const help = await runCli(['extract', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/Examples:/);
    expect(help.stdout).toMatch(/--no-source/);
  });

  it('rejects a bad flag with status 2', async () => {
    const result = await runCli(['extract', '--bogus']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/unknown option '--bogus'/);
  });
});
