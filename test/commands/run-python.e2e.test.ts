/**
 * `run` is live for a Python script that prints without flushing: Python block-buffers a pipe,
 * so without PYTHONUNBUFFERED the records would all arrive when the job exits. The saved log's
 * timestamps (`--save` stamps each line as it arrives) prove when they arrived.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jobEnvironment } from '../../src/live/supervise.js';
import { BIN, ROOT } from '../helpers/run-cli.js';

const python = spawnSync('python3', ['--version']).status === 0 ? 'python3' : undefined;
const SCRIPT = join(ROOT, 'test/children/frameworks/buffered_print.py');

describe('the job environment', () => {
  it('sets PYTHONUNBUFFERED=1 unless the user set it', () => {
    expect(jobEnvironment({ PATH: '/bin' })).toEqual({ PATH: '/bin', PYTHONUNBUFFERED: '1' });
    expect(jobEnvironment({ PYTHONUNBUFFERED: '' })['PYTHONUNBUFFERED']).toBe('');
  });
});

describe.skipIf(python === undefined)('run with an unflushed Python job', () => {
  it('gets each print as it happens, not all at exit', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vizmeta-unflushed-'));
    const saved = join(dir, 'job.log');
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(process.env)) if (key !== 'PYTHONUNBUFFERED' && value !== undefined) env[key] = value;
    // --honour-unbuffered: the script keeps Python's own behaviour (it otherwise forces a block buffer).
    const result = spawnSync(process.execPath, [BIN, 'run', '--quiet', '--save', saved, '--', python as string, SCRIPT, '--honour-unbuffered', '--count', '6', '--interval', '0.3'], { env: { ...env, NO_COLOR: '1' }, encoding: 'utf8', timeout: 60_000 });
    expect(result.status).toBe(0);
    const times = readFileSync(saved, 'utf8').trim().split('\n').filter((line) => line.includes('{')).map((line) => Date.parse(line.slice(0, line.indexOf(' '))));
    expect(times).toHaveLength(6);
    // Printed 0.3 s apart: arrived spread over more than a second, not in one burst at exit.
    expect((times[5] as number) - (times[0] as number)).toBeGreaterThan(1000);
  });

  it('vizmeta demo --python: the Python demo job, plain print(), reaches the dashboard as it prints', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vizmeta-demo-python-'));
    const saved = join(dir, 'demo.log');
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(process.env)) if (key !== 'PYTHONUNBUFFERED' && value !== undefined) env[key] = value;
    const result = spawnSync(process.execPath, [BIN, 'demo', '--python', '--quiet', '--save', saved], { env: { ...env, NO_COLOR: '1', VIZMETA_DEMO_DELAY_MS: '10' }, encoding: 'utf8', timeout: 60_000 });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/vizmeta run · demo: examples\/train\.py · exited 0 · .* 211 records/);
    expect(result.stdout).toMatch(/^settings optimizer adam · batch_size 64 · seed 42$/m);
    const times = readFileSync(saved, 'utf8').trim().split('\n').filter((line) => line.includes('"step"')).map((line) => Date.parse(line.slice(0, line.indexOf(' '))));
    expect(times).toHaveLength(210);
    // 200 steps 10 ms apart: the records arrived over the job's two seconds, not at its exit.
    expect((times[times.length - 1] as number) - (times[0] as number)).toBeGreaterThan(1000);
  });
});
