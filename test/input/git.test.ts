/**
 * `git:REV:PATH` inputs (src/input/git.ts): the spec's parsing as a table, then opening objects
 * of a scratch repository in-process: streamed in pieces, exactly the file's bytes, and each
 * problem an InputError of one line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError, UsageError } from '../../src/core/errors.js';
import { GIT_NOT_FOUND, openGitObject, parseGitSpec } from '../../src/input/git.js';
import { summarizeExecutions, summarizeFile } from '../../src/input/executions.js';
import { scratchRepo } from '../helpers/git-repo.js';

describe('parseGitSpec', () => {
  const ok: Array<[string, string, string]> = [
    ['git:HEAD:train.log', 'HEAD', 'train.log'],
    ['git:origin/main:metrics/train.log', 'origin/main', 'metrics/train.log'],
    ['git:HEAD~1:./train.log', 'HEAD~1', './train.log'],
    ['git:v1.2.0:../logs/run.log', 'v1.2.0', '../logs/run.log'],
    // a path may hold colons and spaces; the revision ends at the first colon
    ['git:main:logs/a:b c.log', 'main', 'logs/a:b c.log'],
    ['git:0123abcd:x', '0123abcd', 'x'],
  ];
  it.each(ok)('%s is revision %s, path %s', (spec, rev, path) => {
    expect(parseGitSpec(spec)).toEqual({ spec, rev, path });
  });

  const bad: Array<[string, RegExp]> = [
    ['git:train.log', /expected git:REV:PATH/],
    ['git::train.log', /no revision/],
    ['git:HEAD:', /no path/],
    ['git:-p:train.log', /cannot start with '-'/],
    ['git:--output=x:train.log', /cannot start with '-'/],
    ['git:HEAD:a\nb', /line break or NUL/],
    ['git:HEAD:a\0b', /line break or NUL/],
    ['train.log', /not a git spec/],
  ];
  it.each(bad)('refuses %j', (spec, message) => {
    expect(() => parseGitSpec(spec)).toThrow(UsageError);
    expect(() => parseGitSpec(spec)).toThrow(message);
  });
});

describe('openGitObject', () => {
  let repo: string;
  let outside: string;
  const big = Array.from({ length: 60_000 }, (_, i) => `{"step": ${i}, "loss": ${(1 / (i + 1)).toFixed(6)}, "note": "${'x'.repeat(20)}"}`).join('\n') + '\n';
  const read = async (stream: Readable): Promise<{ text: string; chunks: number }> => {
    const parts: Buffer[] = [];
    for await (const chunk of stream) parts.push(chunk as Buffer);
    return { text: Buffer.concat(parts).toString('utf8'), chunks: parts.length };
  };
  const failure = async (spec: string, options: { cwd?: string; git?: string } = {}): Promise<unknown> => openGitObject(spec, { cwd: repo, ...options }).then(() => undefined, (error: unknown) => error);

  beforeAll(() => {
    const { dir, git, write } = scratchRepo();
    repo = dir;
    outside = mkdtempSync(join(tmpdir(), 'vizmeta-nogit-'));
    write('metrics/train.log', '{"step": 1, "accuracy": 0.9}\n{"step": 2, "accuracy": 0.95}\n');
    write('big.log', big);
    write('no-newline.log', '{"step": 1}');
    git('add', '.');
    git('commit', '-qm', 'first');
    write('metrics/train.log', '{"step": 1, "accuracy": 0.5}\n');
    git('commit', '-qam', 'second');
  });
  afterAll(() => {
    rmSync(repo, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it('gives the file as it is at the revision, byte for byte, with its size', async () => {
    const object = await openGitObject('git:HEAD~1:metrics/train.log', { cwd: repo });
    expect(object.size).toBe(Buffer.byteLength('{"step": 1, "accuracy": 0.9}\n{"step": 2, "accuracy": 0.95}\n'));
    expect((await read(object.stream)).text).toBe('{"step": 1, "accuracy": 0.9}\n{"step": 2, "accuracy": 0.95}\n');
    expect((await read((await openGitObject('git:HEAD:metrics/train.log', { cwd: repo })).stream)).text).toBe('{"step": 1, "accuracy": 0.5}\n');
    // git's own newline after the object is not the file's
    expect((await read((await openGitObject('git:HEAD:no-newline.log', { cwd: repo })).stream)).text).toBe('{"step": 1}');
  });

  it('streams a big file in many pieces rather than reading it whole', async () => {
    const object = await openGitObject('git:HEAD:big.log', { cwd: repo });
    expect(object.size).toBe(Buffer.byteLength(big));
    const { text, chunks } = await read(object.stream);
    expect(text).toBe(big);
    expect(chunks).toBeGreaterThan(4);
  });

  it('reads ./PATH from the current folder, as git does', async () => {
    const object = await openGitObject('git:HEAD:./train.log', { cwd: join(repo, 'metrics') });
    expect((await read(object.stream)).text).toBe('{"step": 1, "accuracy": 0.5}\n');
    // without ./ the path is from the repository's root
    expect(String(await failure('git:HEAD:train.log', { cwd: join(repo, 'metrics') }))).toMatch(/no file "train\.log" at HEAD; the path is from the repository's root/);
  });

  it('says in one line what is wrong: revision, path, folder, repository, git', async () => {
    const cases: Array<[unknown, string]> = [
      [await failure('git:nope:train.log'), 'git:nope:train.log: no revision "nope" in this repository'],
      [await failure('git:HEAD~5:train.log'), 'git:HEAD~5:train.log: no revision "HEAD~5" in this repository'],
      [await failure('git:HEAD:missing.log'), 'git:HEAD:missing.log: no file "missing.log" at HEAD; the path is from the repository\'s root (./missing.log is from the current folder)'],
      [await failure('git:HEAD:metrics'), 'git:HEAD:metrics: is a directory at HEAD'],
      [await failure('git:HEAD:train.log', { cwd: outside }), 'git:HEAD:train.log: not inside a git repository; run vizmeta in a clone, or check out the baseline file'],
      [await failure('git:HEAD:train.log', { git: join(outside, 'no-such-git') }), GIT_NOT_FOUND],
    ];
    for (const [error, message] of cases) {
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toBe(message);
    }
    expect(GIT_NOT_FOUND).toBe('git: not found; install git or check out the baseline file');
  });

  it('never lets a revision reach git as an option', async () => {
    const error = await failure('git:--output=/tmp/x:train.log');
    expect(error).toBeInstanceOf(UsageError);
  });

  it('is a summary like a file\'s, named by the spec, wherever logs are summarised', async () => {
    const cwd = process.cwd();
    process.chdir(repo);
    try {
      const baseline = await summarizeFile('git:HEAD~1:metrics/train.log', { keys: new Set(['accuracy']) });
      expect(baseline.error).toBeUndefined();
      expect(baseline.execution).toBe('git:HEAD~1:metrics/train.log');
      expect(baseline.keys.get('accuracy')?.latest).toBe(0.95);
      const [gitBig, file, missing] = await summarizeExecutions(['git:HEAD:big.log', 'big.log', 'git:HEAD:nope.log'], { keys: new Set(['loss']), stdin: Readable.from([]), jobs: 1 });
      expect(gitBig?.records).toBe(60_000);
      expect(gitBig?.keys.get('loss')).toEqual(file?.keys.get('loss'));
      expect(missing?.error).toMatch(/^git:HEAD:nope\.log: no file "nope\.log" at HEAD/);
    } finally {
      process.chdir(cwd);
    }
  });
});
