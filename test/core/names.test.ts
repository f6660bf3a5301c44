import { describe, expect, it } from 'vitest';
import { folderNote, shortNames } from '../../src/core/names.js';
import { distinctWidth, renderTextTable, wrapText } from '../../src/render/table.js';

describe('shortNames', () => {
  it('drops the folders every path shares and says which', () => {
    expect(shortNames(['fixtures/runs/run-1.log', 'fixtures/runs/run-2.log'])).toEqual({ names: ['run-1.log', 'run-2.log'], folder: 'fixtures/runs/' });
    expect(shortNames(['logs/a/run.log', 'logs/b/run.log'])).toEqual({ names: ['a/run.log', 'b/run.log'], folder: 'logs/' });
    expect(shortNames(['fixtures/runs/run-4.log', 'fixtures/nan.log'])).toEqual({ names: ['runs/run-4.log', 'nan.log'], folder: 'fixtures/' });
    expect(shortNames(['/tmp/x/a.log', '/tmp/x/b.log'])).toEqual({ names: ['a.log', 'b.log'], folder: '/tmp/x/' });
  });

  it('keeps the path where a folder tells two files apart', () => {
    expect(shortNames(['runs/a/run.log', 'runs/a/b/run.log']).names).toEqual(['run.log', 'b/run.log']);
    expect(shortNames(['exp/2024-01-01/seed1/m.log', 'exp/2024-01-02/seed1/m.log']).names).toEqual(['2024-01-01/seed1/m.log', '2024-01-02/seed1/m.log']);
  });

  it('never drops a file name, even when a path is the other one\'s folder', () => {
    expect(shortNames(['logs/run.log', 'logs/run.log/x.log']).names).toEqual(['run.log', 'run.log/x.log']);
    expect(shortNames(['logs/a.log', 'logs/a.log'])).toEqual({ names: ['a.log', 'a.log'], folder: 'logs/' });
  });

  it('leaves one path, unrelated paths and stdin as given', () => {
    expect(shortNames(['fixtures/runs/run-1.log'])).toEqual({ names: ['fixtures/runs/run-1.log'], folder: undefined });
    expect(shortNames(['a/x.log', 'b/y.log'])).toEqual({ names: ['a/x.log', 'b/y.log'], folder: undefined });
    expect(shortNames(['x.log', 'y.log'])).toEqual({ names: ['x.log', 'y.log'], folder: undefined });
    expect(shortNames(['-', 'logs/x.log'])).toEqual({ names: ['stdin', 'logs/x.log'], folder: undefined });
    expect(shortNames(['-'])).toEqual({ names: ['stdin'], folder: undefined });
    expect(shortNames([])).toEqual({ names: [], folder: undefined });
  });

  it('leaves every name as given when one is a git:REV:PATH, whose slashes are not all folders', () => {
    expect(shortNames(['git:origin/main:train.log', 'git:origin/pr:train.log'])).toEqual({ names: ['git:origin/main:train.log', 'git:origin/pr:train.log'], folder: undefined });
    expect(shortNames(['git:HEAD:logs/a.log', 'git:HEAD:logs/b.log']).names).toEqual(['git:HEAD:logs/a.log', 'git:HEAD:logs/b.log']);
  });

  it('drops a shared ./ without naming it', () => {
    expect(shortNames(['./a.log', './b.log'])).toEqual({ names: ['a.log', 'b.log'], folder: undefined });
    expect(shortNames(['./logs/a.log', './logs/b.log'])).toEqual({ names: ['a.log', 'b.log'], folder: './logs/' });
  });

  it('distinct paths always get distinct names that end with the file name', () => {
    const paths = ['r/a/x.log', 'r/a/y.log', 'r/b/x.log', 'r/x.log', 'r/a/b/x.log'];
    const { names } = shortNames(paths);
    expect(new Set(names).size).toBe(paths.length);
    names.forEach((name, i) => expect(paths[i]?.endsWith(`/${name}`)).toBe(true));
    expect(folderNote('r/')).toBe('files in r/');
  });
});

describe('name columns in text tables', () => {
  const rows = [['run-4.log', '0.9461', 'a', 'b'], ['run-6.log', '0.9283', 'c', 'd']];
  const columns = [{ header: 'execution', cut: 'start' as const, name: true }, { header: 'accuracy', align: 'right' as const, keep: true }, { header: 'loss', shrink: false }, { header: 'val_loss', shrink: false }];

  it('drops optional columns before cutting a name', () => {
    const named = rows.map((row) => [`2024-05-01/${row[0]}`, ...row.slice(1)]);
    const text = renderTextTable(columns, named, { color: false, maxWidth: 40 });
    expect(text).toContain('2024-05-01/run-4.log  ');
    expect(text).toContain('(1 more column not shown: val_loss;');
    // A name longer than NAME_WIDTH gives way down to NAME_WIDTH columns first.
    const long = rows.map((row) => [`experiments/2024-05-01-${row[0]}`, ...row.slice(1)]);
    const cut = renderTextTable(columns, long, { color: false, maxWidth: 44 });
    expect(cut).toContain(`…${'ts/2024-05-01-run-4.log'}    0.9461  a`);
  });

  it('cuts a long name only as far as it stays distinct, keeping NAME_WIDTH columns', () => {
    const long = rows.map((row) => [`${row[0] === 'run-4.log' ? 'a' : 'b'}-${'x'.repeat(40)}.log`, ...row.slice(1)]);
    expect(distinctWidth(long.map((row) => row[0] as string), 'start')).toBe(46);
    expect(distinctWidth(long.map((row) => row[0] as string), 'end')).toBe(2);
    const text = renderTextTable(columns, long, { color: false, maxWidth: 60 });
    expect(text).toContain(`a-${'x'.repeat(40)}.log`);
  });

  it('wraps the note about dropped columns instead of cutting it', () => {
    const text = renderTextTable(columns, rows, { color: false, maxWidth: 30 });
    const lines = text.trimEnd().split('\n');
    expect(lines.every((line) => line.length <= 30)).toBe(true);
    expect(lines.join(' ').replace(/ +/g, ' ')).toMatch(/not shown: .*widen the terminal, choose fewer keys or use --format csv\)$/);
    expect(text).not.toContain('…');
  });

  it('wrapText breaks at spaces and indents what follows', () => {
    expect(wrapText('one two three four', 9, ' ')).toEqual(['one two', ' three', ' four']);
    expect(wrapText('short', 80)).toEqual(['short']);
    expect(wrapText('abcdefghijkl x', 5)).toEqual(['abcd…', 'x']);
  });
});
