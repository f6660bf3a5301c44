/**
 * `matrix`, `roc` and `report`'s CSV inputs read what the other commands read: a file at a git
 * revision (`git:REV:PATH`) and remote objects (`s3://`, with globs), against s3rver on loopback.
 * Each gives the same output as the local file; a missing object is one line, exit 2.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/run-cli.js';
import { GIT_ENV, scratchRepo } from '../helpers/git-repo.js';
import { s3Env, startS3, type LocalS3 } from '../helpers/s3.js';

const MATRIX_CSV = readFileSync(join(ROOT, 'fixtures/matrix/kubeflow.csv'), 'utf8');
const ROC_LOG = readFileSync(join(ROOT, 'fixtures/roc/roc.log'), 'utf8');
let s3: LocalS3;
let repo: ReturnType<typeof scratchRepo>;

beforeAll(async () => {
  s3 = await startS3(['ml-logs']);
  await s3.put('ml-logs', 'runs/a/confusion.csv', MATRIX_CSV);
  await s3.put('ml-logs', 'runs/b/roc.log', ROC_LOG);
  repo = scratchRepo();
  repo.write('eval/confusion.csv', MATRIX_CSV);
  repo.write('eval/roc.log', ROC_LOG);
  repo.git('add', '.');
  repo.git('commit', '-qm', 'eval');
}, 60_000);

afterAll(async () => {
  await s3?.close();
  if (repo) rmSync(repo.dir, { recursive: true, force: true });
});

const remote = (args: string[]) => runCli(args, { env: s3Env(s3.endpoint), timeoutMs: 60_000 });
const inRepo = (args: string[]) => runCli(args, { cwd: repo.dir, env: GIT_ENV });

describe('matrix and roc read git revisions and remote objects', () => {
  it('matrix: git:HEAD:PATH and s3:// give what the local file gives', async () => {
    const local = await runCli(['matrix', '--format', 'json', 'fixtures/matrix/kubeflow.csv']);
    expect(local.status).toBe(0);
    const cells = (stdout: string) => (JSON.parse(stdout) as Array<{ matrix: unknown }>).map((m) => m.matrix);
    const fromGit = await inRepo(['matrix', '--format', 'json', 'git:HEAD:eval/confusion.csv']);
    expect(fromGit.status, fromGit.stderr).toBe(0);
    expect(cells(fromGit.stdout)).toEqual(cells(local.stdout));
    const fromS3 = await remote(['matrix', '--format', 'json', 's3://ml-logs/runs/a/confusion.csv']);
    expect(fromS3.status, fromS3.stderr).toBe(0);
    expect(cells(fromS3.stdout)).toEqual(cells(local.stdout));
  });

  it('roc: a glob over keys, and a git revision, give the fixture\'s AUC', async () => {
    const fromS3 = await remote(['roc', 's3://ml-logs/runs/**/*.log']);
    expect(fromS3.status, fromS3.stderr).toBe(0);
    expect(fromS3.stdout).toMatch(/AUC 0\.9220/);
    const fromGit = await inRepo(['roc', 'git:HEAD:eval/roc.log']);
    expect(fromGit.status, fromGit.stderr).toBe(0);
    expect(fromGit.stdout).toMatch(/AUC 0\.9220/);
  });

  it('report: a CSV in the bucket is a confusion matrix on the page', async () => {
    const result = await remote(['report', 's3://ml-logs/runs/a/confusion.csv', '-o', '-']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/<h2>Confusion matrices<\/h2><h3>s3:\/\/ml-logs\/runs\/a\/confusion\.csv<\/h3>/);
  });

  it('a missing object and a missing revision are one line each, exit 2', async () => {
    const missing = await remote(['matrix', 's3://ml-logs/runs/none.csv']);
    expect(missing.status).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/s3:\/\/ml-logs\/runs\/none\.csv: no such object/);
    const noRev = await inRepo(['roc', 'git:nope:eval/roc.log']);
    expect(noRev.status).toBe(2);
    expect(noRev.stderr).toMatch(/^vizmeta: git:nope:eval\/roc\.log: no revision "nope" in this repository\n$/);
  });
});
