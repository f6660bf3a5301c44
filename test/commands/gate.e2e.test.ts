import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

function logs(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'vizmeta-gate-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const dir = logs({
  'good.log': '{"step": 1, "accuracy": 0.5, "loss": 1}\n{"step": 2, "accuracy": 0.95, "loss": 0.2}\n',
  'bad.log': '\n{"step": 1, "accuracy": 0.874, "loss": 0.4}\n',
  'noacc.log': '{"step": 1, "loss": 0.3}\n',
  'empty.log': 'no metadata here\n',
});
const at = (name: string): string => join(dir, name);

describe('vizmeta gate (built binary)', () => {
  it('exits 0 when every execution meets every condition', async () => {
    const result = await runCli(['gate', '--when', 'metadata.accuracy >= 0.9', '--when', 'max(accuracy) > 0.9 and loss < 0.5', at('good.log')]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('PASS  metadata.accuracy >= 0.9: accuracy = 0.95 (latest)');
    expect(result.stdout).toContain('gate passed');
  });

  it('exits 1 and says what was used and what was needed', async () => {
    const result = await runCli(['gate', '--when', 'accuracy >= 0.9', at('good.log'), at('bad.log')]);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('FAIL  accuracy >= 0.9: accuracy = 0.874 (latest) — needs >= 0.9');
  });

  it('fails a missing key by default, with a message saying so; --missing pass and error', async () => {
    const fail = await runCli(['gate', '--when', 'accuracy >= 0.9', at('noacc.log'), at('empty.log')]);
    expect(fail.status).toBe(1);
    expect(fail.stdout).toContain('FAIL  accuracy >= 0.9: accuracy is missing');
    expect(fail.stdout).toContain('accuracy is missing (no metadata records)');
    const pass = await runCli(['gate', '--missing', 'pass', '--when', 'accuracy >= 0.9', at('noacc.log')]);
    expect(pass.status).toBe(0);
    const error = await runCli(['gate', '--missing', 'error', '--when', 'accuracy >= 0.9', at('noacc.log')]);
    expect(error.status).toBe(2);
    expect(error.stdout).toContain('ERROR');
  });

  it('exits 2 for a bad expression, naming the column, before reading anything', async () => {
    const result = await runCli(['gate', '--when', 'accuracy >= ', at('good.log')]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/bad expression at column 13/);
    expect(result.stdout).toBe('');
  });

  it.each([
    'constructor.constructor("return process")()',
    '__proto__.polluted == 1',
    'accuracy.constructor',
    'prototype > 0',
    'process.exit(0)',
    'require("fs")',
    'eval("1")',
    '(() => 1)()',
    'a'.repeat(5000),
    '('.repeat(200) + '1' + ')'.repeat(200),
  ])('refuses an unsafe or oversized expression with exit 2: %s', async (expression) => {
    const result = await runCli(['gate', '--when', expression.slice(0, 6000), at('good.log')]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^vizmeta: /);
    expect(result.stdout).toBe('');
  });

  it('treats look-alikes of code as plain key names, which are missing', async () => {
    for (const expression of ['this.x > 1', '`${process}` > 1', 'window.location == 1']) {
      const result = await runCli(['gate', '--when', expression, at('good.log')]);
      expect(result.status).toBe(1);
      expect(result.stdout).toMatch(/is missing/);
    }
  });

  it('exits 2 for an unreadable file even when the rest pass, and 2 for a bad flag', async () => {
    const result = await runCli(['gate', '--when', 'accuracy > 0.9', at('good.log'), at('missing.log')]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('missing.log: no such file');
    // Its output never says the gate passed: the rest passed, and one input could not be read.
    expect(result.stdout).not.toContain('gate passed');
    expect(result.stdout).toMatch(/missing\.log\n {2}ERROR could not be read: no such file\ngate incomplete: 1 input could not be read \([^)]*missing\.log\); 1 execution passed 1 check\n$/);
    expect((await runCli(['gate', '--when', 'accuracy > 0', '--missing', 'maybe', at('good.log')])).status).toBe(2);
    expect((await runCli(['gate', at('good.log')])).status).toBe(2);
    expect((await runCli(['gate', '--max-drop', 'accuracy=0.1', at('good.log')])).status).toBe(2);
    expect((await runCli(['gate', '--baseline', at('good.log'), '--max-drop', 'accuracy=lots', at('good.log')])).status).toBe(2);
  });

  it('fails on a drop against the baseline beyond the allowance, by direction', async () => {
    const ok = await runCli(['gate', '--baseline', at('good.log'), '--max-drop', 'accuracy=0.1', at('bad.log')]);
    expect(ok.status).toBe(0);
    const drop = await runCli(['gate', '--baseline', at('good.log'), '--max-drop', 'accuracy=0.05', at('bad.log')]);
    expect(drop.status).toBe(1);
    expect(drop.stdout).toContain('fell 0.076 (worse), allowed 0.05');
    // loss went from 0.2 to 0.4: worse, since lower is better for loss; unless told otherwise.
    const rose = await runCli(['gate', '--baseline', at('good.log'), '--max-drop', 'loss=50%', at('bad.log')]);
    expect(rose.status).toBe(1);
    // Said as the value moved: the loss rose (before: "dropped 0.2" for a loss that went up).
    expect(rose.stdout).toMatch(/baseline 0\.2 \(lower is better\) — rose 0\.2 \(worse\), allowed 50% = 0\.1\b/);
    expect((await runCli(['gate', '--baseline', at('good.log'), '--max-drop', 'loss=0', '--higher-is-better', 'loss', at('bad.log')])).status).toBe(0);
  });

  it('refuses --max-drop on a key with no direction (exit 2) until --higher-is-better or --lower-is-better says which', async () => {
    const neutral = await runCli(['gate', '--baseline', at('good.log'), '--max-drop', 'step=0', at('bad.log')]);
    expect(neutral.status).toBe(2);
    expect(neutral.stdout).toBe('');
    expect(neutral.stderr).toBe('vizmeta: --max-drop step: no direction known for step; say which way is better with --higher-is-better step or --lower-is-better step\n');
    // step went from 2 to 1: a drop when higher is better, an improvement when lower is.
    expect((await runCli(['gate', '--baseline', at('good.log'), '--max-drop', 'step=0', '--higher-is-better', 'step', at('bad.log')])).status).toBe(1);
    expect((await runCli(['gate', '--baseline', at('good.log'), '--max-drop', 'step=0', '--lower-is-better', 'step', at('bad.log')])).status).toBe(0);
  });

  it('writes JSON, markdown, GitHub annotations and JUnit XML', async () => {
    const junit = join(dir, 'gate.xml');
    const result = await runCli(['gate', '--format', 'json', '--github', '--junit', junit, '--when', 'accuracy >= 0.9', at('good.log'), at('bad.log')]);
    expect(result.status).toBe(1);
    const [json, annotations] = result.stdout.split('\n::');
    const report = JSON.parse(json ?? '');
    expect(report.passed).toBe(false);
    expect(report.executions[1].checks[0]).toMatchObject({ status: 'fail', values: [{ key: 'accuracy', aggregate: 'latest', value: 0.874 }] });
    expect(annotations).toMatch(/^error file=.*bad\.log,line=2,title=vizmeta gate%3A accuracy >= 0\.9::/);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain('<testsuites name="vizmeta gate" tests="2" failures="1" errors="0">');
    expect(xml).toContain('<failure message="accuracy = 0.874 (latest) — needs &gt;= 0.9"');
    const markdown = await runCli(['gate', '--format', 'markdown', '--when', 'accuracy >= 0.9', at('good.log')]);
    expect(markdown.stdout).toMatch(/^### ✅ vizmeta gate passed/);
  });

  it('reads stdin as one execution', async () => {
    const result = await runCli(['gate', '--when', 'loss < 1'], { input: '{"loss": 0.5}\n' });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('stdin');
  });

  it('gives the same verdict with worker threads as in-process', async () => {
    const files = Array.from({ length: 10 }, (_, i) => at(i % 2 === 0 ? 'good.log' : 'bad.log'));
    const one = await runCli(['gate', '--jobs', '1', '--format', 'json', '--when', 'accuracy > 0.9', ...files]);
    const two = await runCli(['gate', '--jobs', '2', '--format', 'json', '--when', 'accuracy > 0.9', ...files]);
    expect(two.stdout).toBe(one.stdout);
    expect(two.status).toBe(1);
  });
});
