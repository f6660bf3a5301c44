/**
 * `git:REV:PATH` through the built CLI (issue 16): a scratch repository with a log committed
 * twice and changed once more in the working tree; gate against an earlier revision, compare
 * with one, and every way a spec can be wrong, each one line on stderr and exit 2.
 */
import { existsSync, mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/run-cli.js';
import { GIT_ENV, scratchRepo } from '../helpers/git-repo.js';

/** main's log: accuracy ends at 0.95. */
const MAIN = '{"optimizer": "sgd"}\n{"step": 1, "accuracy": 0.90, "loss": 0.5}\n{"step": 2, "accuracy": 0.95, "loss": 0.3}\n';
/** The first commit's log: accuracy ends at 0.80. */
const FIRST = '{"step": 1, "accuracy": 0.80, "loss": 0.7}\n';
/** The working tree's log: accuracy 0.93, 0.02 below main's. */
const PR = '{"optimizer": "sgd"}\n{"step": 1, "accuracy": 0.91, "loss": 0.4}\n{"step": 2, "accuracy": 0.93, "loss": 0.35}\n';

let repo: string;
let outside: string;

const cli = (args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliResult> =>
  runCli(args, { cwd: options.cwd ?? repo, env: { ...GIT_ENV, ...options.env } });

/** One line on stderr, no stack trace, exit 2. */
function oneLineError(result: CliResult, message: string): void {
  const context = `stdout:\n${result.stdout}\nstderr:\n${result.stderr}`;
  expect(result.status, context).toBe(2);
  expect(result.stderr.trimEnd().split('\n'), context).toEqual([message]);
  expect(result.stderr).not.toMatch(/\n\s+at |internal error/);
}

beforeAll(() => {
  const { dir, git, write } = scratchRepo('vizmeta-git-e2e-');
  repo = dir;
  write('train.log', FIRST);
  write('metrics/train.log', FIRST);
  git('add', '.');
  git('commit', '-qm', 'first');
  write('train.log', MAIN);
  write('metrics/train.log', MAIN);
  git('commit', '-qam', 'main');
  git('update-ref', 'refs/remotes/origin/main', 'HEAD');
  write('train.log', PR);
  write('metrics/train.log', PR);
  outside = mkdtempSync(join(tmpdir(), 'vizmeta-nogit-'));
  writeFileSync(join(outside, 'train.log'), PR);
});

afterAll(() => {
  rmSync(repo, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

describe('gate --baseline git:REV:PATH', () => {
  it('fails when the working tree\'s log fell further than allowed below the revision\'s', async () => {
    const result = await cli(['gate', '--baseline', 'git:HEAD:train.log', '--max-drop', 'accuracy=0.01', 'train.log']);
    expect(result.status, result.stderr).toBe(1);
    expect(result.stdout).toMatch(/FAIL +accuracy drop vs baseline <= 0\.01: accuracy = 0\.93 \(latest\), baseline 0\.95 .*fell 0\.02 \(worse\)/);
    expect(result.stderr).toBe('');
  });

  it('passes within the allowance, and against an older revision where the log was worse', async () => {
    const within = await cli(['gate', '--baseline', 'git:origin/main:train.log', '--max-drop', 'accuracy=0.05', 'train.log']);
    expect(within.status, within.stderr).toBe(0);
    expect(within.stdout).toMatch(/PASS +accuracy drop vs baseline <= 0\.05: .*baseline 0\.95/);
    const older = await cli(['gate', '--baseline', 'git:HEAD~1:train.log', '--max-drop', 'accuracy=0.01', 'train.log']);
    expect(older.status, older.stderr).toBe(0);
    expect(older.stdout).toMatch(/baseline 0\.8 .*rose 0\.13 \(better\)/);
  });

  it('reads PATH from the repository\'s root, and ./PATH from the current folder', async () => {
    const sub = join(repo, 'metrics');
    const rooted = await cli(['gate', '--baseline', 'git:HEAD:metrics/train.log', '--max-drop', 'accuracy=0.01', 'train.log'], { cwd: sub });
    expect(rooted.status, rooted.stderr).toBe(1);
    const relative = await cli(['gate', '--baseline', 'git:HEAD:./train.log', '--max-drop', 'accuracy=0.01', '--github', 'train.log'], { cwd: sub });
    expect(relative.status, relative.stderr).toBe(1);
    expect(relative.stdout).toMatch(/^::error file=train\.log,.*baseline 0\.95/m);
    oneLineError(await cli(['gate', '--baseline', 'git:HEAD:./metrics/train.log', '--max-drop', 'accuracy=0.01', 'train.log'], { cwd: sub }),
      'vizmeta: --baseline git:HEAD:./metrics/train.log: no file "./metrics/train.log" at HEAD');
  });

  it('takes git:REV:PATH as an input too, named as given', async () => {
    const result = await cli(['gate', '--when', 'accuracy >= 0.94', '--format', 'markdown', 'git:origin/main:train.log', 'train.log']);
    expect(result.status, result.stderr).toBe(1);
    expect(result.stdout).toContain('git:origin/main:train.log');
    expect(result.stdout).toMatch(/^\| git:origin\/main:train\.log \| .* \| ✅ pass \| accuracy = 0\.95/m);
    expect(result.stdout).toMatch(/^\| train\.log \| .* \| ❌ \*\*fail\*\* \| accuracy = 0\.93/m);
  });
});

describe('compare git:REV:PATH FILE', () => {
  it('compares the working tree\'s log with the revision\'s, the spec as the baseline\'s name', async () => {
    const text = await cli(['compare', '--no-charts', 'git:HEAD:train.log', 'train.log']);
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^key +dir +git:HEAD:train\.log \(base\) +train\.log$/m);
    expect(text.stdout).toMatch(/^accuracy +↑ +0\.95 +0\.93 \(-0\.02, worse\)$/m);
    const markdown = await cli(['compare', '--format', 'markdown', 'git:origin/main:metrics/train.log', 'metrics/train.log']);
    expect(markdown.status, markdown.stderr).toBe(0);
    expect(markdown.stdout).toMatch(/^\| key \| direction \| git:origin\/main:metrics\/train\.log \(base\) \| metrics\/train\.log \|$/m);
  });

  it('reads git specs in the other commands that read logs, on the worker pool\'s path too', async () => {
    const extract = await cli(['extract', 'git:HEAD~1:train.log']);
    expect(extract.status, extract.stderr).toBe(0);
    expect(extract.stdout).toMatch(/^\{"step":1,"accuracy":0\.8,"loss":0\.7,"_time":/);
    const sort = await cli(['sort', '--by', 'accuracy', '--jobs', '2', '--format', 'csv', 'git:HEAD~1:train.log', 'train.log', 'metrics/train.log', 'git:HEAD:train.log']);
    expect(sort.status, sort.stderr).toBe(0);
    expect(sort.stdout.split('\n').slice(1, 5).map((line) => line.split(',')[0])).toEqual(['git:HEAD:train.log', 'train.log', 'metrics/train.log', 'git:HEAD~1:train.log']);
  });

  it('reads ./git:… as a file of that name', async () => {
    writeFileSync(join(repo, 'git:HEAD:odd.log'), MAIN);
    const result = await cli(['compare', '--no-charts', './git:HEAD:odd.log', 'train.log']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^accuracy +↑ +0\.95 +0\.93/m);
    oneLineError(await cli(['compare', 'git:HEAD:odd.log', 'train.log']), 'vizmeta: git:HEAD:odd.log: no file "odd.log" at HEAD; the path is from the repository\'s root (./odd.log is from the current folder)');
  });
});

describe('a git spec that cannot be read: one line, exit 2', () => {
  it('no such revision', async () => {
    oneLineError(await cli(['gate', '--baseline', 'git:nope:train.log', '--max-drop', 'accuracy=0.01', 'train.log']), 'vizmeta: --baseline git:nope:train.log: no revision "nope" in this repository');
    oneLineError(await cli(['compare', 'git:nope:train.log', 'train.log']), 'vizmeta: git:nope:train.log: no revision "nope" in this repository');
  });

  it('no such path at the revision, or a folder', async () => {
    oneLineError(await cli(['compare', 'git:HEAD:missing.log', 'train.log']), 'vizmeta: git:HEAD:missing.log: no file "missing.log" at HEAD; the path is from the repository\'s root (./missing.log is from the current folder)');
    oneLineError(await cli(['compare', 'git:HEAD:metrics', 'train.log']), 'vizmeta: git:HEAD:metrics: is a directory at HEAD');
  });

  it('not inside a git repository', async () => {
    oneLineError(await cli(['gate', '--baseline', 'git:HEAD:train.log', '--max-drop', 'accuracy=0.01', 'train.log'], { cwd: outside }),
      'vizmeta: --baseline git:HEAD:train.log: not inside a git repository; run vizmeta in a clone, or check out the baseline file');
  });

  it('git not installed', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'vizmeta-nopath-'));
    try {
      oneLineError(await cli(['compare', 'git:HEAD:train.log', 'train.log'], { env: { PATH: empty } }), 'vizmeta: git: not found; install git or check out the baseline file');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('a revision that would be an option to git is refused before git runs', async () => {
    // A git on PATH that leaves a mark if it is run at all.
    const bin = mkdtempSync(join(tmpdir(), 'vizmeta-fakegit-'));
    const mark = join(bin, 'ran');
    mkdirSync(join(bin, 'bin'));
    writeFileSync(join(bin, 'bin/git'), `#!/bin/sh\ntouch '${mark}'\nexit 1\n`, { mode: 0o755 });
    try {
      const env = { PATH: `${join(bin, 'bin')}:${process.env.PATH ?? ''}` };
      oneLineError(await cli(['gate', '--baseline', 'git:--output=x:train.log', '--max-drop', 'accuracy=0.01', 'train.log'], { env }), "vizmeta: --baseline git:--output=x:train.log: a revision cannot start with '-'");
      oneLineError(await cli(['compare', 'git:-p:train.log', 'train.log'], { env }), "vizmeta: git:-p:train.log: a revision cannot start with '-'");
      expect(existsSync(mark)).toBe(false);
      expect(existsSync(join(repo, 'x'))).toBe(false);
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });

  it('a spec with no path, and a name with control characters, shown escaped', async () => {
    oneLineError(await cli(['compare', 'git:HEAD', 'train.log']), 'vizmeta: git:HEAD: expected git:REV:PATH, e.g. git:origin/main:metrics/train.log (./git:… reads a file of that name)');
    const result = await cli(['compare', 'git:HEAD:\u001b[31mred.log', 'train.log']);
    oneLineError(result, 'vizmeta: git:HEAD:\\x1b[31mred.log: no file "\\x1b[31mred.log" at HEAD; the path is from the repository\'s root (./\\x1b[31mred.log is from the current folder)');
  });

  it('a link in the working tree is no reason to read the revision differently', async () => {
    // git:REV:PATH reads what git holds at REV, whatever the working tree has at PATH now.
    symlinkSync(join(outside, 'train.log'), join(repo, 'linked.log'));
    const result = await cli(['compare', 'git:HEAD:linked.log', 'train.log']);
    oneLineError(result, 'vizmeta: git:HEAD:linked.log: no file "linked.log" at HEAD; the path is from the repository\'s root (./linked.log is from the current folder)');
  });
});
