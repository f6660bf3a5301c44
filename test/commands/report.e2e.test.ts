/**
 * `vizmeta report` on the command line: where the page goes, what it holds, and the exit status
 * (the gate's when there is one; 2 for a usage or input error). The page in a browser is
 * test/e2e/report.browser.test.ts.
 */
import { mkdtempSync, readFileSync, rmSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/run-cli.js';

let dir: string;
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'vizmeta-report-cli-')); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const RUN1 = 'fixtures/runs/run-1.log';
const RUN7 = 'fixtures/runs/run-7.log';

describe('vizmeta report', () => {
  it('writes one page, says so on stderr, prints nothing on stdout', async () => {
    const out = join(dir, 'a.html');
    const result = await runCli(['report', RUN1, RUN7, '-o', out]);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^vizmeta: wrote .*a\.html \(2 runs, \d+ charts, \d+ KB\)\n$/);
    const html = readFileSync(out, 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    // Ranked by loss (the first charted metric with a direction), lowest first.
    expect(html).toMatch(/Ranked by loss, lowest first: lower is better \(choose with --by\)/);
    expect(html.indexOf('run-1.log</td>')).toBeLessThan(html.indexOf('run-7.log</td>'));
    // No temporary file is left beside it.
    expect(readdirSync(dir).filter((name) => name.includes('.tmp'))).toEqual([]);
  });

  it('-o - writes the page to stdout; stdin is read as a run named stdin', async () => {
    const result = await runCli(['report', '-o', '-'], { input: readFileSync(RUN1) });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^<!doctype html>/);
    expect(result.stdout).toContain('<title>vizmeta report · stdin</title>');
  });

  it('--by, --agg, --keys and --limit rank as sort does', async () => {
    const out = join(dir, 'b.html');
    const result = await runCli(['report', '--by', 'accuracy', '--agg', 'max', '--keys', 'lr', '--limit', '1', RUN1, RUN7, '-o', out]);
    expect(result.status).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('Ranked by max(accuracy), highest first: higher is better.');
    expect(html).toMatch(/<th class="num">max\(accuracy\)<\/th><th>trend<\/th><th class="num">lr<\/th>/);
    expect(html).toContain('1 more run not shown (--limit)');
  });

  it('a failed gate: the page is written and says so, exit 1', async () => {
    const out = join(dir, 'gate.html');
    const result = await runCli(['report', '--when', 'accuracy >= 0.9', RUN1, RUN7, '-o', out]);
    expect(result.status).toBe(1);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('✗ Gate failed: 1 of 2 checks did not pass');
    expect(html).toMatch(/run-7\.log<\/td><td><code>accuracy &gt;= 0\.9<\/code><\/td><td class="status fail">/);
  });

  it('a passing gate against a baseline: exit 0', async () => {
    const out = join(dir, 'drop.html');
    const result = await runCli(['report', '--baseline', RUN7, '--max-drop', 'accuracy=0.01', RUN1, '-o', out]);
    expect(result.status).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('✓ Gate passed: 1 check on 1 execution');
  });

  const RUN1_ABS = join(ROOT, RUN1);
  it.each([
    [['report', RUN1_ABS], /required option '-o, --output <file>' not specified/],
    [['report', '--by', 'acuracy', RUN1_ABS, '-o', 'x.html'], /no key "acuracy" in \S*run-1\.log; did you mean accuracy or val_accuracy\?/],
    [['report', '--chart-keys', 'los', RUN1_ABS, '-o', 'x.html'], /no key "los" .*did you mean loss or val_loss\?/],
    [['report', '--when', 'accuracy >=', RUN1_ABS, '-o', 'x.html'], /bad expression at column 12/],
    [['report', '--max-drop', 'accuracy=0.01', RUN1_ABS, '-o', 'x.html'], /--max-drop needs --baseline FILE/],
    [['report', RUN1_ABS, '-o', '/nonexistent-folder/x.html'], /^vizmeta: -o \/nonexistent-folder\/x\.html: cannot write the report \(no such folder\)$/m],
  ])('%j is exit 2 with one clear line', async (args, message) => {
    const result = await runCli(args, { cwd: dir });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dir, 'x.html'))).toBe(false);
  });

  it('an unreadable input is said once, the others are reported, exit 2', async () => {
    const out = join(dir, 'missing.html');
    const result = await runCli(['report', 'nope.log', RUN1, '-o', out]);
    expect(result.status).toBe(2);
    expect(result.stderr.match(/nope\.log: no such file/g)).toHaveLength(1);
    expect(readFileSync(out, 'utf8')).toContain('run-1.log');
  });

  it('a CSV that is neither a confusion matrix nor ROC data is an input error', async () => {
    const out = join(dir, 'csv.html');
    const result = await runCli(['report', 'fixtures/runs/run-1.log', 'fixtures/e2e/../roc/generated.csv', 'test/fixtures-missing.csv', '-o', out]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/fixtures-missing\.csv/);
    expect(readFileSync(out, 'utf8')).toContain('ROC curves');
  });
});
