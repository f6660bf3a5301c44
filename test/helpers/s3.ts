/**
 * A real S3-compatible server on loopback for the remote-input tests (issue 17): s3rver, on a
 * free port, storing in a temporary folder, in a process of its own (test/children/s3rver.mjs:
 * its listings of more than one page need OpenSSL's legacy provider); and a fault proxy in front of it that answers as S3
 * does when a key asks for trouble (403, 503, a body cut off midway), forwarding everything else.
 * The CLI reaches either through AWS_ENDPOINT_URL, as it would reach MinIO or Ceph.
 */
import { spawn } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';

/** s3rver's fixed credentials. */
export const S3_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1' };

/** The environment a CLI child needs to reach `endpoint`, and nothing of the machine's own AWS settings. */
export function s3Env(endpoint: string, extra: Record<string, string> = {}): Record<string, string> {
  return { ...S3_CREDENTIALS, AWS_ENDPOINT_URL: endpoint, AWS_PROFILE: '', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', ...extra };
}

export interface LocalS3 {
  endpoint: string;
  client: S3Client;
  /** Stores an object: a string or Buffer, or `{ file }` streamed from disk. */
  put(bucket: string, key: string, body: string | Buffer | { file: string }): Promise<void>;
  close(): Promise<void>;
}

export async function startS3(buckets: readonly string[]): Promise<LocalS3> {
  const directory = mkdtempSync(join(tmpdir(), 'vizmeta-s3rver-'));
  const child = spawn(process.execPath, ['--openssl-legacy-provider', fileURLToPath(new URL('../children/s3rver.mjs', import.meta.url)), directory], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) resolve((JSON.parse(text) as { port: number }).port);
    });
    child.once('exit', (code) => reject(new Error(`s3rver exited with ${code} before listening`)));
  });
  const endpoint = `http://127.0.0.1:${port}`;
  // Checksums only when required: with its default, the SDK uploads a stream aws-chunked, which
  // s3rver stores with the chunk headers in the object.
  const client = new S3Client({ endpoint, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }, requestChecksumCalculation: 'WHEN_REQUIRED' });
  for (const bucket of buckets) await client.send(new CreateBucketCommand({ Bucket: bucket }));
  return {
    endpoint,
    client,
    put: async (bucket, key, body) => {
      const payload = typeof body === 'string' || Buffer.isBuffer(body) ? { Body: body } : { Body: createReadStream(body.file), ContentLength: statSync(body.file).size };
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, ...payload }));
    },
    close: async () => {
      client.destroy();
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** One request the proxy saw. */
export interface SeenRequest {
  method: string;
  url: string;
  range: string | undefined;
  /** What the proxy did: forwarded it, or answered with a fault. */
  answer: 'forwarded' | 'denied' | '503' | 'cut';
}

export interface FaultProxy {
  endpoint: string;
  seen: SeenRequest[];
  /** The most object GETs answered at once since the last reset (a listing is not counted). */
  mostAtOnce(): number;
  resetMostAtOnce(): void;
  close(): Promise<void>;
}

const s3Error = (res: ServerResponse, status: number, code: string, message: string): void => {
  res.writeHead(status, { 'content-type': 'application/xml' });
  res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>vizmeta-test</RequestId></Error>`);
};

/**
 * A proxy to `target` whose faults depend on the key (path-style `/bucket/key`):
 * - `denied` in it: 403 AccessDenied, as a bucket policy refusing the caller would;
 * - `flaky` in it: 503 SlowDown for the first `flakyFailures` requests of each key, then forwarded;
 * - `down` in it: 503 every time;
 * - `cut` in it: the first GET is forwarded with its headers but cut off after half the body
 *   (the connection destroyed), as a reset connection would; later ones are forwarded whole.
 */
export async function startFaultProxy(target: string, flakyFailures = 2): Promise<FaultProxy> {
  const seen: SeenRequest[] = [];
  const failures = new Map<string, number>();
  const cut = new Set<string>();
  const upstream = new URL(target);
  let atOnce = 0;
  let most = 0;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    if (req.method === 'GET' && !url.includes('list-type')) {
      most = Math.max(most, ++atOnce);
      res.once('close', () => atOnce--);
    }
    const path = decodeURIComponent(url.split('?')[0] ?? '');
    // A listing names its prefix in the query: `/ml-logs?list-type=2&prefix=denied/`.
    const whole = decodeURIComponent(url);
    const note = (answer: SeenRequest['answer']): void => {
      seen.push({ method: req.method ?? '', url, range: req.headers.range, answer });
    };
    if (whole.includes('denied')) {
      note('denied');
      req.resume();
      s3Error(res, 403, 'AccessDenied', 'Access Denied');
      return;
    }
    if (path.includes('down') || (path.includes('flaky') && (failures.get(url) ?? 0) < flakyFailures)) {
      failures.set(url, (failures.get(url) ?? 0) + 1);
      note('503');
      req.resume();
      s3Error(res, 503, 'SlowDown', 'Please reduce your request rate.');
      return;
    }
    const cutting = req.method === 'GET' && path.includes('cut') && !url.includes('list-type') && !cut.has(path);
    if (cutting) cut.add(path);
    note(cutting ? 'cut' : 'forwarded');
    const forward = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      if (!cutting) {
        answer.pipe(res);
        return;
      }
      const half = Math.floor(Number(answer.headers['content-length'] ?? 0) / 2);
      let sent = 0;
      answer.on('data', (chunk: Buffer) => {
        if (sent >= half) return;
        const piece = chunk.subarray(0, half - sent);
        sent += piece.length;
        res.write(piece);
        if (sent >= half) {
          answer.destroy();
          // Flushed, then the connection dropped: the client sees a body cut short.
          setTimeout(() => res.socket?.destroy(), 20);
        }
      });
    });
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    seen,
    mostAtOnce: () => most,
    resetMostAtOnce: () => { most = atOnce; },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
