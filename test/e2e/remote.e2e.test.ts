/**
 * Remote inputs through the built CLI (issue 17): a real S3-compatible server (s3rver) on
 * loopback holding fixture logs under nested prefixes, reached through AWS_ENDPOINT_URL as MinIO
 * or Ceph would be; a fault proxy in front of it for what s3rver cannot do (a refusal, 503s, a
 * connection cut midway); a loopback http:// server. Globs, every command that reads logs, each
 * failure one line naming the object with exit 2 while the other inputs are still read, retries,
 * a resumed body, and a 200 MB object read in bounded memory under a watchdog.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, runCli, type CliResult } from '../helpers/run-cli.js';
import { procStatusKb } from '../helpers/faults.js';
import { s3Env, startFaultProxy, startS3, type FaultProxy, type LocalS3 } from '../helpers/s3.js';
import { startFakeGcs, type FakeGcs } from '../helpers/gcs.js';

let s3: LocalS3;
let proxy: FaultProxy;
let http: Server;
let httpBase: string;
let scratch: string;
let gcs: FakeGcs;

const RUN1 = '{"optimizer": "adam"}\n{"step": 1, "accuracy": 0.5, "loss": 0.9}\n{"step": 2, "accuracy": 0.8, "loss": 0.4}\n';
const RUN2 = '{"step": 1, "accuracy": 0.9, "loss": 0.2}\n';
const RUN3 = '{"step": 1, "accuracy": 0.7, "loss": 0.5}\n';
const RUN4 = '{"step": 1, "accuracy": 0.6, "loss": 0.6}\n';

/** Runs the CLI against the s3rver (or, with `viaProxy`, the fault proxy). */
const cli = (args: string[], options: { viaProxy?: boolean; env?: Record<string, string> } = {}): Promise<CliResult> =>
  runCli(args, { env: s3Env(options.viaProxy === true ? proxy.endpoint : s3.endpoint, options.env), timeoutMs: 60_000 });

/** Exit 2 and exactly these lines on stderr: no stack trace. */
function errorLines(result: CliResult, lines: string[]): void {
  const context = `stdout:\n${result.stdout}\nstderr:\n${result.stderr}`;
  expect(result.status, context).toBe(2);
  expect(result.stderr.trimEnd().split('\n'), context).toEqual(lines);
  expect(result.stderr).not.toMatch(/\n\s+at |internal error/);
}

/** The executions of a sort table, in rank order. */
const ranked = (stdout: string): string[] => stdout.split('\n').filter((line) => /^\d+ /.test(line)).map((line) => line.split(/\s+/)[1] as string);

beforeAll(async () => {
  s3 = await startS3(['ml-logs', 'empty']);
  proxy = await startFaultProxy(s3.endpoint);
  await s3.put('ml-logs', '2026-11/a/run1.log', RUN1);
  await s3.put('ml-logs', '2026-11/a/b/run2.log', RUN2);
  await s3.put('ml-logs', '2026-11/run3.log', RUN3);
  await s3.put('ml-logs', '2026-11/notes.txt', 'not a log\n');
  await s3.put('ml-logs', '2026-12/run4.log', RUN4);
  await s3.put('ml-logs', 'flaky/run.log', RUN2);
  await s3.put('ml-logs', 'down/run.log', RUN2);
  // Big enough that half of it arrives in many chunks before the cut.
  await s3.put('ml-logs', 'cut/run.log', Array.from({ length: 20_000 }, (_, i) => `{"step": ${i + 1}, "accuracy": ${((i + 1) / 20_000).toFixed(5)}}\n`).join(''));
  http = createServer((req, res) => {
    if (req.url === '/logs/moved.log') {
      res.writeHead(301, { location: '/logs/run.log' }).end();
    } else if (req.url === '/logs/away.log') {
      res.writeHead(302, { location: 'http://example.com/run.log' }).end();
    } else if (req.url === '/logs/run.log') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(RUN3);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  httpBase = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  scratch = mkdtempSync(join(tmpdir(), 'vizmeta-remote-'));
  gcs = await startFakeGcs({ runs: { '2026-11/a/run1.log': RUN1, '2026-11/a/b/run2.log': RUN2, '2026-11/run3.log': RUN3, '2026-11/notes.txt': 'not a log\n', 'flaky/run.log': RUN4 } });
}, 120_000);

afterAll(async () => {
  await gcs?.close();
  await proxy?.close();
  await s3?.close();
  await new Promise<void>((resolve) => (http ? http.close(() => resolve()) : resolve()));
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('s3:// globs', () => {
  it('** matches every folder below the prefix, * one level, and the rest of the key must match', async () => {
    const all = await cli(['sort', '--by', 'accuracy', 's3://ml-logs/2026-11/**/*.log']);
    expect(all.stderr).toBe('');
    expect(all.status).toBe(0);
    expect(ranked(all.stdout)).toEqual(['a/b/run2.log', 'a/run1.log', 'run3.log']);
    expect(all.stdout).toContain('files in s3://ml-logs/2026-11/');
    const top = await cli(['sort', '--by', 'accuracy', 's3://ml-logs/2026-1?/*.log']);
    expect(top.status, top.stderr).toBe(0);
    expect(ranked(top.stdout)).toEqual(['2026-11/run3.log', '2026-12/run4.log']);
    expect(top.stdout).toContain('files in s3://ml-logs/');
  });

  it('a glob over more than one listing page (1,001 keys, 1,000 a page) reads every match once', async () => {
    let next = 0;
    const upload = async (): Promise<void> => {
      while (next < 1_001) {
        const i = next++;
        await s3.put('ml-logs', `many/${i % 10}/run-${String(i).padStart(4, '0')}.log`, `{"step": 1, "n": ${i}}\n`);
      }
    };
    await Promise.all(Array.from({ length: 16 }, upload));
    const result = await cli(['sort', '--by', 'n', '--format', 'csv', 's3://ml-logs/many/**/*.log']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const rows = result.stdout.trimEnd().split('\n').slice(1);
    expect(rows).toHaveLength(1_001);
    expect(new Set(rows.map((row) => row.split(',')[0])).size).toBe(1_001);
  }, 120_000);

  it('reads remote objects in gate, compare, stats, extract, table and chart as local logs', async () => {
    const gate = await cli(['gate', '--when', 'accuracy >= 0.75', 's3://ml-logs/2026-11/a/**']);
    expect(gate.status, gate.stderr).toBe(0);
    expect(gate.stdout).toMatch(/gate passed: 2 executions/);
    const failing = await cli(['gate', '--baseline', 's3://ml-logs/2026-11/a/b/run2.log', '--max-drop', 'accuracy=0.05', 's3://ml-logs/2026-11/run3.log']);
    expect(failing.status, failing.stderr).toBe(1);
    expect(failing.stdout).toMatch(/FAIL .*accuracy drop/);
    const compare = await cli(['compare', 's3://ml-logs/2026-11/a/run1.log', 's3://ml-logs/2026-11/run3.log']);
    expect(compare.status, compare.stderr).toBe(0);
    expect(compare.stdout).toContain('adam');
    const stats = await cli(['stats', '--format', 'json', 's3://ml-logs/2026-11/**/*.log']);
    expect(stats.status, stats.stderr).toBe(0);
    expect(stats.stdout).toContain('"accuracy"');
    const extract = await cli(['extract', 's3://ml-logs/2026-11/**/*.log']);
    expect(extract.status, extract.stderr).toBe(0);
    expect(extract.stdout.trimEnd().split('\n').map((line) => (JSON.parse(line) as { _source: string })._source)).toEqual([
      's3://ml-logs/2026-11/a/b/run2.log', 's3://ml-logs/2026-11/a/run1.log', 's3://ml-logs/2026-11/a/run1.log', 's3://ml-logs/2026-11/a/run1.log', 's3://ml-logs/2026-11/run3.log',
    ]);
    const table = await cli(['table', '--format', 'csv', 's3://ml-logs/2026-11/a/run1.log']);
    expect(table.status, table.stderr).toBe(0);
    expect(table.stdout).toContain('0.8');
    const chart = await cli(['chart', '--keys', 'loss', 's3://ml-logs/2026-11/a/run1.log']);
    expect(chart.status, chart.stderr).toBe(0);
    expect(chart.stdout).toContain('loss');
  });
});

describe('concurrency', () => {
  it('sort holds at most --jobs requests at once; extract reads ahead at most 8 and keeps input order', async () => {
    await Promise.all(Array.from({ length: 40 }, (_, i) => s3.put('ml-logs', `order/run-${String(i).padStart(2, '0')}.log`, `{"step": 1, "n": ${i}}\n`)));
    proxy.resetMostAtOnce();
    const sorted = await cli(['sort', '--by', 'n', '--jobs', '3', 's3://ml-logs/order/*.log'], { viaProxy: true });
    expect(sorted.status, sorted.stderr).toBe(0);
    expect(proxy.mostAtOnce()).toBeLessThanOrEqual(3);
    proxy.resetMostAtOnce();
    const extracted = await cli(['extract', 's3://ml-logs/order/*.log'], { viaProxy: true });
    expect(extracted.status, extracted.stderr).toBe(0);
    expect(extracted.stdout.trimEnd().split('\n').map((line) => (JSON.parse(line) as { n: number }).n)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(proxy.mostAtOnce()).toBeGreaterThan(1);
    expect(proxy.mostAtOnce()).toBeLessThanOrEqual(8);
  });
});

describe('remote errors: one line naming the object, exit 2, other inputs still read', () => {
  it('a missing object, a missing bucket, a glob matching nothing and an object that is not a log', async () => {
    const result = await cli(['sort', '--by', 'accuracy', 's3://ml-logs/2026-11/run3.log', 's3://ml-logs/2026-11/nope.log', 's3://no-such-bucket/run.log', 's3://ml-logs/2030/**/*.log', 's3://no-such-bucket/**/*.log']);
    errorLines(result, [
      'vizmeta: s3://ml-logs/2026-11/nope.log: no such object',
      'vizmeta: s3://no-such-bucket/run.log: no such bucket',
      'vizmeta: s3://ml-logs/2030/**/*.log: no objects match',
      'vizmeta: s3://no-such-bucket/**/*.log: no such bucket',
    ]);
    expect(ranked(result.stdout)).toEqual(['s3://ml-logs/2026-11/run3.log']);
  });

  it('access denied, as a bucket policy refusing the caller answers', async () => {
    const result = await cli(['extract', 's3://ml-logs/denied/run.log', 's3://ml-logs/2026-11/run3.log'], { viaProxy: true });
    errorLines(result, ['vizmeta: s3://ml-logs/denied/run.log: access denied']);
    expect(result.stdout).toContain('"accuracy":0.7');
    const listing = await cli(['sort', '--by', 'accuracy', 's3://ml-logs/denied/**/*.log'], { viaProxy: true });
    errorLines(listing, ['vizmeta: s3://ml-logs/denied/**/*.log: access denied']);
  });

  it('credentials the server refuses are named as such', async () => {
    const result = await cli(['sort', '--by', 'accuracy', 's3://ml-logs/2026-11/run3.log'], { env: { AWS_ACCESS_KEY_ID: 'WRONG', AWS_SECRET_ACCESS_KEY: 'WRONG' } });
    expect(result.status, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/^vizmeta: s3:\/\/ml-logs\/2026-11\/run3\.log: access denied \(the credentials were refused: \w+\)\n$/);
  });

  it('an unreachable endpoint is a network error after the SDK\'s retries', async () => {
    const result = await runCli(['sort', '--by', 'accuracy', 's3://ml-logs/run.log'], { env: s3Env('http://127.0.0.1:9'), timeoutMs: 60_000 });
    errorLines(result, ['vizmeta: s3://ml-logs/run.log: network error (ECONNREFUSED) after 3 attempts']);
  });
});

describe('transient failures are retried with backoff', () => {
  it('two 503 SlowDown answers, then the object: read, with three requests for it (the SDK\'s standard retry)', async () => {
    const before = proxy.seen.length;
    const result = await cli(['sort', '--by', 'accuracy', 's3://ml-logs/flaky/run.log'], { viaProxy: true });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('0.9');
    const requests = proxy.seen.slice(before).filter((seen) => seen.url.startsWith('/ml-logs/flaky/run.log'));
    expect(requests.map((seen) => seen.answer)).toEqual(['503', '503', 'forwarded']);
  });

  it('503 every time: one line after the attempts, other inputs still read', async () => {
    const result = await cli(['sort', '--by', 'accuracy', 's3://ml-logs/down/run.log', 's3://ml-logs/2026-11/run3.log'], { viaProxy: true });
    errorLines(result, ['vizmeta: s3://ml-logs/down/run.log: throttled by the server after 3 attempts']);
    expect(ranked(result.stdout)).toEqual(['s3://ml-logs/2026-11/run3.log']);
  });

  it('a body cut off midway is resumed from the byte it stopped at, pinned to the same object', async () => {
    const before = proxy.seen.length;
    const result = await cli(['stats', '--format', 'json', 's3://ml-logs/cut/run.log'], { viaProxy: true });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const stats = JSON.parse(result.stdout) as unknown;
    expect(JSON.stringify(stats)).toMatch(/"count":20000/);
    const requests = proxy.seen.slice(before).filter((seen) => seen.url.startsWith('/ml-logs/cut/run.log'));
    expect(requests.map((seen) => seen.answer)).toEqual(['cut', 'forwarded']);
    expect(requests[1]?.range).toMatch(/^bytes=[1-9]\d*-$/);
  });
});

describe('gs:// through @google-cloud/storage (STORAGE_EMULATOR_HOST)', () => {
  const gsCli = (args: string[]): Promise<CliResult> => runCli(args, { env: { STORAGE_EMULATOR_HOST: gcs.host }, timeoutMs: 60_000 });

  it('lists a glob page by page and reads the matches; missing objects, buckets and refusals are one line each', async () => {
    const result = await gsCli(['sort', '--by', 'accuracy', 'gs://runs/2026-11/**/*.log', 'gs://runs/nope.log', 'gs://no-such-bucket/**/*.log', 'gs://runs/denied/run.log']);
    errorLines(result, [
      'vizmeta: gs://runs/nope.log: no such object',
      'vizmeta: gs://no-such-bucket/**/*.log: no such bucket',
      'vizmeta: gs://runs/denied/run.log: access denied',
    ]);
    expect(ranked(result.stdout)).toEqual(['a/b/run2.log', 'a/run1.log', 'run3.log']);
    // Three matches and a text file under the prefix, two to a page: two list requests.
    expect(gcs.seen.filter((seen) => seen.url.startsWith('/b/runs/o?')).length).toBe(2);
  });

  it('retries 503 with the library\'s backoff, then reads the object', async () => {
    const result = await gsCli(['sort', '--by', 'accuracy', 'gs://runs/flaky/run.log']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('0.6');
    expect(gcs.seen.filter((seen) => seen.url.includes('flaky')).map((seen) => seen.status)).toEqual([503, 503, 200, 200]);
  }, 60_000);
});

describe('http(s)://', () => {
  it('reads http:// from a loopback server, and refuses http:// to anywhere else, by a redirect too', async () => {
    const result = await cli(['sort', '--by', 'accuracy', `${httpBase}/logs/run.log`, `${httpBase}/logs/missing.log`, `${httpBase}/logs/away.log`, 'http://example.com/run.log']);
    errorLines(result, [
      `vizmeta: ${httpBase}/logs/missing.log: no such object`,
      `vizmeta: ${httpBase}/logs/away.log: redirected to http://example.com, unencrypted http://; refused`,
      'vizmeta: http://example.com/run.log: http:// is unencrypted and read only from this machine (localhost, 127.0.0.1, ::1); use https://',
    ]);
    expect(ranked(result.stdout)).toEqual([`${httpBase}/logs/run.log`]);
    const moved = await cli(['extract', `${httpBase}/logs/moved.log`]);
    expect(moved.status, moved.stderr).toBe(0);
    expect(moved.stdout).toContain('"accuracy":0.7');
  });
});

describe('view fetches Kubeflow remote sources only with --allow-remote', () => {
  it('s3://, minio:// (read as S3, globs concatenated) and http:// to loopback; a missing one is one line, exit 2', async () => {
    await s3.put('ml-logs', 'kubeflow/metrics.csv', 'model,accuracy\nresnet,0.91\n');
    await s3.put('ml-logs', 'kubeflow/parts/a.csv', 'x,1');
    await s3.put('ml-logs', 'kubeflow/parts/b.csv', 'y,2\n');
    const json = join(scratch, 'mlpipeline-ui-metadata.json');
    writeFileSync(json, JSON.stringify({
      version: 1,
      outputs: [
        { type: 'table', format: 'csv', header: ['model', 'accuracy'], source: 's3://ml-logs/kubeflow/metrics.csv' },
        { type: 'table', format: 'csv', header: ['k', 'v'], source: 'minio://ml-logs/kubeflow/parts/*.csv' },
        { type: 'markdown', source: `${httpBase}/logs/run.log` },
        { type: 'table', format: 'csv', header: ['a'], source: 's3://ml-logs/kubeflow/missing.csv' },
      ],
    }));
    const refused = await cli(['view', json]);
    expect(refused.status, refused.stderr).toBe(0);
    expect(refused.stdout).toContain('not shown: s3://ml-logs/kubeflow/metrics.csv is remote; --allow-remote fetches it');
    const fetched = await cli(['view', '--allow-remote', json]);
    errorLines(fetched, [`vizmeta: ${json}: output 4 (table): s3://ml-logs/kubeflow/missing.csv: no such object`]);
    expect(fetched.stdout).toMatch(/resnet\s+0\.91/);
    expect(fetched.stdout).toMatch(/x\s+1\ny\s+2\n\(2 rows\)/);
    expect(fetched.stdout).toContain('"accuracy": 0.7');
  });
});

describe('a 200 MB object is streamed', () => {
  it('sort reads it with peak RSS under 300 MB (VmHWM polled, killed past 700 MB)', async () => {
    const file = join(scratch, 'big.log');
    const out = createWriteStream(file);
    let step = 0;
    const block = (): string => {
      let text = '';
      for (let i = 0; i < 10_000; i++) text += `{"step": ${++step}, "loss": ${(1 / step).toFixed(8)}, "accuracy": 0.5}\n`;
      return text;
    };
    while (out.bytesWritten + out.writableLength < 200 * 1024 * 1024) if (!out.write(block())) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    await new Promise<void>((resolve) => out.end(resolve));
    await s3.put('ml-logs', 'big/run.log', { file });
    const size = statSync(file).size;
    rmSync(file);
    const child = spawn(process.execPath, [BIN, 'sort', '--by', 'step', 's3://ml-logs/big/run.log'], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', ...s3Env(s3.endpoint) }, stdio: ['ignore', 'pipe', 'pipe'] });
    let peak = 0;
    let killed = false;
    const watchdog = setInterval(() => {
      const kb = procStatusKb(child.pid as number, 'VmHWM');
      if (kb === undefined) return;
      peak = Math.max(peak, kb / 1024);
      if (peak > 700 && !killed) {
        killed = true;
        child.kill('SIGKILL');
      }
    }, 20);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearInterval(watchdog);
    expect(killed, `killed at ${peak.toFixed(0)} MB`).toBe(false);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(size).toBeGreaterThanOrEqual(200 * 1024 * 1024);
    expect(stdout).toContain(String(step));
    expect(peak).toBeGreaterThan(10);
    expect(peak).toBeLessThan(300);
    console.log(`remote 200 MB object: peak RSS ${peak.toFixed(0)} MB`);
  }, 240_000);
});

describe('the SDKs stay out of the bundle', () => {
  it('a run over local logs loads no cloud SDK; a remote input loads only its own', async () => {
    // A --require hook that notes every CommonJS module the SDKs are made of as it loads.
    const hook = join(scratch, 'note-sdk-loads.cjs');
    const noted = join(scratch, 'sdk-loads.txt');
    writeFileSync(hook, `const Module = require('module'); const fs = require('fs'); const load = Module._load;
Module._load = function (request, ...rest) { if (/^@(aws-sdk|smithy|google-cloud)\\//.test(request)) fs.appendFileSync(${JSON.stringify(noted)}, request + '\\n'); return load.call(this, request, ...rest); };`);
    const loads = async (args: string[]): Promise<string[]> => {
      rmSync(noted, { force: true });
      const result = await cli(args, { env: { NODE_OPTIONS: `--require ${hook}` } });
      expect(result.stderr).not.toMatch(/internal error/);
      try {
        return [...new Set(readFileSync(noted, 'utf8').trim().split('\n'))];
      } catch {
        return [];
      }
    };
    expect(await loads(['sort', '--by', 'accuracy', join(ROOT, 'fixtures/runs/run-1.log'), join(ROOT, 'fixtures/runs/run-2.log')])).toEqual([]);
    const s3Loads = await loads(['sort', '--by', 'accuracy', 's3://ml-logs/2026-11/run3.log']);
    expect(s3Loads).toContain('@aws-sdk/client-s3');
    expect(s3Loads.some((name) => name.startsWith('@google-cloud/'))).toBe(false);
  });

  it('no bundled file holds the AWS or Google SDK, and every remote module loads from node_modules at run time', () => {
    const dist = join(ROOT, 'dist');
    for (const name of readdirSync(dist).filter((file) => /^(program|cli)[.-].*\.js$/.test(file))) {
      const text = readFileSync(join(dist, name), 'utf8');
      expect(text, name).not.toMatch(/class S3Client\b|ListObjectsV2Command=class|GoogleAuth\b.*=class/);
    }
  });
});
