import { describe, expect, it } from 'vitest';
import { displayNames } from '../../src/core/names.js';
import { formatNumber, markdownText, renderMarkdownTable, renderTextTable, wrapText } from '../../src/render/table.js';
import { truncate } from '../../src/render/width.js';
import { runCli } from '../helpers/run-cli.js';

describe('table rendering', () => {
  it('wrapText cuts a word longer than a line, or keeps it whole on its own line', () => {
    expect(wrapText('see https://example.com/a/long/path now', 10)).toEqual(['see', 'https://e…', 'now']);
    expect(wrapText('see https://example.com/a/long/path now', 10, '', 'keep')).toEqual(['see', 'https://example.com/a/long/path', 'now']);
  });

  it('markdownText escapes what markdown would read as markup', () => {
    expect(markdownText('a_b *c* [d](e) <f> | `g` \\')).toBe('a\\_b \\*c\\* \\[d\\](e) \\<f\\> \\| \\`g\\` \\\\');
  });

  it('aligns wide characters, truncates, drops what does not fit and says so', () => {
    const text = renderTextTable([{ header: 'name' }, { header: 'v', align: 'right' }, { header: 'extra' }], [['学習', '1'], ['x'.repeat(60), '22']], { color: false, maxWidth: 18 });
    expect(text).toContain('学習');
    expect(text.split('\n').slice(0, 4).every((line) => line.length <= 18)).toBe(true);
    expect(text).toContain('(1 more col');
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('logs/run-1.log', 8, 'start')).toBe('…n-1.log');
    expect(truncate('node /very/long/path/train.py --lr 3', 16, 'middle')).toBe('node /ve… --lr 3');
    expect(truncate('学習学習学習', 7, 'middle')).toBe('学…学習');
  });

  it('escapes markdown and terminal controls in cells', () => {
    const md = renderMarkdownTable([{ header: 'a|b' }], [['x|<y>\x1b']]);
    expect(md).toBe('| a\\|b |\n|---|\n| x\\|&lt;y&gt;\\\\x1b |\n');
  });

  it('formats numbers for people', () => {
    expect(formatNumber(0.9247000813484192)).toBe('0.9247');
    expect(formatNumber(12)).toBe('12');
    expect(formatNumber(5.695e-7)).toBe('5.695e-7');
    expect(formatNumber(Number.NaN)).toBe('NaN');
    expect(formatNumber(0.123456789, 4)).toBe('0.1235');
  });

  it('shortens execution names to what tells them apart', () => {
    expect(displayNames(['logs/a/run.log', 'logs/b/run.log'])).toEqual(['a/run.log', 'b/run.log']);
    expect(displayNames(['-', 'x.log'])).toEqual(['stdin', 'x.log']);
  });
});

describe('vizmeta table (built binary)', () => {
  it('names several files shortly in text, with their folder once, and as given in CSV and JSON', async () => {
    const files = ['fixtures/runs/run-1.log', 'fixtures/runs/run-2.log'];
    const text = await runCli(['table', '--columns', 'step', '--where', 'step == 50', ...files]);
    expect(text.stdout).toBe('execution  step\n─────────  ────\nrun-1.log    50\nrun-2.log    50\nfiles in fixtures/runs/\n');
    const csv = await runCli(['table', '--format', 'csv', '--columns', 'step', '--where', 'step == 50', ...files]);
    expect(csv.stdout).toBe('execution,step\nfixtures/runs/run-1.log,50\nfixtures/runs/run-2.log,50\n');
    for (const columns of [['--columns', 'step'], []]) {
      const json = await runCli(['table', '--format', 'json', ...columns, '--where', 'step == 50', ...files]);
      expect((JSON.parse(json.stdout) as Array<{ execution: string }>).map((row) => row.execution)).toEqual(files);
    }
  });

  it('streams rows from stdin with no row cap and a header fixed by the first rows', async () => {
    const input = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ step: i, loss: 1 / (i + 1) })).join('\n') + '\n{"step": 3000, "late": 1}\n';
    const result = await runCli(['table', '--format', 'csv'], { input });
    expect(result.status).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toBe('step,loss');
    expect(lines).toHaveLength(3002);
    expect(result.stderr).toContain("key 'late' first appears after the first 1000 rows");
  });

  it('refuses a bad --where with exit 2 and filters safely', async () => {
    expect((await runCli(['table', '--where', 'constructor.constructor("x")()'], { input: '{"a": 1}\n' })).status).toBe(2);
    const result = await runCli(['table', '--format', 'json', '--where', 'a > 1 and not isnan(a)'], { input: '{"a": 1}\n{"a": 2}\n' });
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([{ a: 2 }]);
  });

  it('passes filtered records to a custom renderer', async () => {
    const result = await runCli(['table', '--renderer', 'nope.mjs'], { input: '{"a": 1}\n' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('renderer nope.mjs');
  });
});
