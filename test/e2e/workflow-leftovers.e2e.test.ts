/**
 * Issue 15, leftovers of items 10 and 11, through the built CLI writing to a pipe (as in a CI job):
 * no CSV line starts with a log's `::` (a first cell is quoted, a later line of a multi-line cell
 * guarded), `roc` and `view` text and markdown start no line with a log-controlled `::`, and
 * markdown output turns no email address of log text into a link.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCsvRecords } from '../../src/formats/confusion.js';
import { runCli } from '../helpers/run-cli.js';

/** A line GitHub's runner would read as a workflow command (it trims leading white space first). */
const WORKFLOW_LINE = /^\s*::/mu;

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vizmeta-workflow-'));
  const line = (step: number): string => JSON.stringify({ '::add-mask::secret': step, step, accuracy: 0.5 + step / 10, note: `ok\n::error::pwned ${step}\n  ::stop-commands::x` });
  writeFileSync(join(dir, '::stop-commands::abc.log'), `${line(1)}\n${line(2)}\n`);
  writeFileSync(join(dir, 'b.log'), `${line(1)}\n${line(3)}\n`);
  writeFileSync(join(dir, '::error::roc.log'), `${JSON.stringify({ fpr: [0, 0.5, 1], tpr: [0, 0.75, 1] })}\n`);
  writeFileSync(join(dir, 'ui.json'), JSON.stringify({ version: 1, outputs: [
    { type: 'markdown', storage: 'inline', source: '# ::error::title\n\n::stop-commands::abc\n  ::add-mask::secret\n' },
    { type: 'table', format: 'csv', header: ['::error::model', 'accuracy'], storage: 'inline', source: '::add-mask::resnet,0.9' },
    { type: 'roc', format: 'csv', schema: [{ name: 'fpr', type: 'NUMBER' }, { name: 'tpr', type: 'NUMBER' }, { name: 'thresholds', type: 'NUMBER' }], storage: 'inline', source: '0,0,inf\n0.5,0.75,0.5\n1,1,0' },
  ] }));
});

describe('CSV to a pipe starts no line with a log\'s :: (issue 15, leftover of item 10)', () => {
  const cases: Array<[string, string[]]> = [
    ['table', ['table', '--format', 'csv', '--keys', '::add-mask::secret,note', '::stop-commands::abc.log']],
    ['table, two files (execution first)', ['table', '--format', 'csv', '::stop-commands::abc.log', 'b.log']],
    ['stats', ['stats', '--format', 'csv', '::stop-commands::abc.log']],
    ['sort', ['sort', '--by', 'accuracy', '--keys', 'all', '--format', 'csv', '::stop-commands::abc.log', 'b.log']],
    ['compare', ['compare', '--format', 'csv', '::stop-commands::abc.log', 'b.log']],
    ['extract', ['extract', '--format', 'csv', '::stop-commands::abc.log']],
  ];
  for (const [name, args] of cases) {
    it(`${name} --format csv`, async () => {
      const result = await runCli(args, { cwd: dir });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(result.stdout).not.toMatch(WORKFLOW_LINE);
      // The data is still there: a first cell quoted reads back as itself.
      expect(parseCsvRecords(result.stdout).some((record) => record.cells.some((cell) => cell.startsWith('::')))).toBe(true);
    });
  }

  it('a multi-line cell keeps its text, a later line starting with :: guarded by a backslash', async () => {
    const result = await runCli(['table', '--format', 'csv', '--keys', 'note', '::stop-commands::abc.log'], { cwd: dir });
    const cells = parseCsvRecords(result.stdout).map((record) => record.cells[0]);
    expect(cells).toEqual(['note', 'ok\n\\::error::pwned 1\n  \\::stop-commands::x', 'ok\n\\::error::pwned 2\n  \\::stop-commands::x']);
  });
});

describe('roc and view start no line with a log-controlled :: (issue 15, leftover of item 10)', () => {
  const cases: Array<[string, string[]]> = [
    ['roc text', ['roc', '::error::roc.log', 'b.log']],
    ['roc markdown', ['roc', '--format', 'markdown', '::error::roc.log']],
    ['roc --all', ['roc', '--all', '::error::roc.log']],
    ['view text', ['view', 'ui.json']],
    ['view markdown', ['view', '--format', 'markdown', 'ui.json']],
  ];
  for (const [name, args] of cases) {
    it(name, async () => {
      const result = await runCli(args, { cwd: dir });
      expect(result.stdout).not.toMatch(WORKFLOW_LINE);
      // The names are shown, guarded where they would start a line (in markdown, inside a table row).
      expect(result.stdout).toMatch(/::(error|stop-commands|add-mask)/);
    });
  }
});

describe('markdown output links no email address of log text (issue 15, leftover of item 11)', () => {
  const EMAIL = 'mail <user@example.com> or bob@evil.example, mailto:eve@evil.example';
  beforeAll(() => {
    const line = (step: number): string => JSON.stringify({ step, accuracy: 0.5 + step / 10, 'owner@corp.example': step, label: EMAIL });
    writeFileSync(join(dir, 'mail-a.log'), `${line(1)}\n${line(2)}\n`);
    writeFileSync(join(dir, 'mail-b.log'), `${line(1)}\n${line(3)}\n`);
  });
  const cases: Array<[string, string[]]> = [
    ['table', ['table', '--format', 'markdown', 'mail-a.log']],
    ['table --group-by', ['table', '--group-by', 'label', '--format', 'markdown', 'mail-a.log']],
    ['sort', ['sort', '--by', 'accuracy', '--keys', 'all', '--format', 'markdown', 'mail-a.log', 'mail-b.log']],
    ['compare', ['compare', '--format', 'markdown', 'mail-a.log', 'mail-b.log']],
    ['stats', ['stats', '--format', 'markdown', 'mail-a.log']],
  ];
  for (const [name, args] of cases) {
    it(`${name} --format markdown`, async () => {
      const result = await runCli(args, { cwd: dir });
      expect(result.status).toBe(0);
      expect(result.stdout).toContain('user\\@example');
      // GFM links an address (and a mailto: or xmpp: one) only where `@` is unescaped between word characters.
      expect(result.stdout).not.toMatch(/[\w.+-](?<!\\)@[\w-]+\.\w/);
      expect(result.stdout).not.toMatch(/<[^>\s]*@/);
    });
  }
});
