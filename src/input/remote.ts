/**
 * Remote inputs (issue 17): `s3://bucket/key`, `gs://bucket/key` and `https://host/path`, with
 * `*`, `**` and `?` globs over S3 and GCS object keys (`s3://ml-logs/2026-11/**\/*.log`).
 *
 * Loaded only when an input is remote (input/frameworks.ts, read-inputs.ts, executions.ts), and
 * the cloud SDKs only when their scheme is named, through createRequire: esbuild leaves them out
 * of dist/program.bundle.js, so a command over local logs starts exactly as fast as before.
 *
 * - Credentials and settings are each SDK's own chain: for S3, `@aws-sdk/client-s3` (environment,
 *   profile, SSO, web identity, container and instance roles; `AWS_ENDPOINT_URL` or
 *   `AWS_ENDPOINT_URL_S3` for MinIO, Ceph and other S3-compatible stores, addressed path-style);
 *   for GCS, `@google-cloud/storage` with application default credentials (`STORAGE_EMULATOR_HOST`
 *   for an emulator). `https://` is a plain GET (a presigned URL works); `http://` only to a
 *   loopback address, since anything else would travel unencrypted.
 * - Objects are streamed: chunk by chunk into the line reader, never whole in memory.
 * - Transient failures (5xx, throttling, a reset connection) are retried with exponential backoff
 *   and full jitter: by the SDKs' own retry (S3's standard mode, `AWS_MAX_ATTEMPTS`; GCS's
 *   retryOptions), and here for https and for a body cut off midway, which is resumed where it
 *   stopped with a Range request (for S3, pinned to the object's ETag).
 * - Every failure is one line naming the object: `s3://ml-logs/x.log: access denied`.
 */
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import { InputError, UsageError } from '../core/errors.js';

import type * as S3Sdk from '@aws-sdk/client-s3';
import type * as GcsSdk from '@google-cloud/storage';

/** A remote input, parsed. For https, `bucket` is the host and `key` the path and query. */
export interface RemoteSpec {
  /** As given: the execution's name. */
  spec: string;
  scheme: 's3' | 'gs' | 'https' | 'http';
  bucket: string;
  key: string;
}

/** Requests at once when `--jobs` is not given. */
export const DEFAULT_REMOTE_JOBS = 8;

/** Attempts for https requests and for resuming a cut-off body (the SDKs' own default is 3 too). */
export const REMOTE_ATTEMPTS = 3;

const SCHEME = /^(s3|gs|https?):\/\//i;

/** Hosts `http://` may reach: this machine only. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare);
}

/**
 * Parses `s3://bucket/key`, `gs://bucket/key` or `http(s)://…`. Throws UsageError for a spec
 * with no bucket or key, or `http://` to anything but a loopback address.
 */
export function parseRemoteSpec(spec: string): RemoteSpec {
  const match = SCHEME.exec(spec);
  if (match === null) throw new UsageError(`${spec}: not a remote input (s3://, gs://, https://)`);
  const scheme = (match[1] as string).toLowerCase() as RemoteSpec['scheme'];
  if (scheme === 'http' || scheme === 'https') {
    let url: URL;
    try {
      url = new URL(spec);
    } catch {
      throw new UsageError(`${spec}: not a valid URL`);
    }
    if (scheme === 'http' && !isLoopbackHost(url.hostname)) {
      throw new UsageError(`${spec}: http:// is unencrypted and read only from this machine (localhost, 127.0.0.1, ::1); use https://`);
    }
    return { spec, scheme, bucket: url.host, key: `${url.pathname}${url.search}` };
  }
  const rest = spec.slice(match[0].length);
  const slash = rest.indexOf('/');
  const bucket = slash === -1 ? rest : rest.slice(0, slash);
  const key = slash === -1 ? '' : rest.slice(slash + 1);
  const example = `${scheme}://BUCKET/KEY, e.g. ${scheme}://ml-logs/2026-11/run.log or ${scheme}://ml-logs/2026-11/**/*.log`;
  if (bucket === '') throw new UsageError(`${spec}: no bucket; expected ${example}`);
  if (key === '') throw new UsageError(`${spec}: no object key; expected ${example}`);
  return { spec, scheme, bucket, key };
}

/** Whether a key holds a glob: `*`, `**` or `?` (only S3 and GCS keys can be listed). */
export function hasGlob(spec: RemoteSpec): boolean {
  return (spec.scheme === 's3' || spec.scheme === 'gs') && /[*?]/.test(spec.key);
}

/** What to list: the key up to its first glob character. */
export function globPrefix(key: string): string {
  const at = key.search(/[*?]/);
  return at === -1 ? key : key.slice(0, at);
}

/**
 * A key glob as a RegExp over whole keys: `*` is any run of characters but `/`, `?` one such
 * character, `**` any run including `/`, and `**\/` any number of whole folders (none too), so
 * `logs/**\/*.log` matches `logs/a.log` and `logs/x/y/a.log`.
 */
export function globToRegExp(pattern: string): RegExp {
  let body = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i] as string;
    if (char === '*' && pattern[i + 1] === '*') {
      if (pattern[i + 2] === '/') {
        body += '(?:.*/)?';
        i += 2;
      } else {
        body += '.*';
        i += 1;
      }
    } else if (char === '*') {
      body += '[^/]*';
    } else if (char === '?') {
      body += '[^/]';
    } else {
      body += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${body}$`, 's');
}

/** An opened object: its size when the store said it, and its bytes as they arrive. */
export interface RemoteObject {
  size: number | undefined;
  stream: Readable;
}

/** What a store failure looks like to the mapping below: the SDKs' error shapes, loosely. */
interface StoreError {
  name?: string;
  code?: string | number;
  Code?: string;
  message?: string;
  errors?: Array<{ reason?: string; message?: string }>;
  $metadata?: { httpStatusCode?: number; attempts?: number };
  $retryable?: unknown;
  cause?: unknown;
}

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ECONNABORTED', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'ERR_STREAM_PREMATURE_CLOSE', 'TimeoutError', 'RequestTimeout']);

/** The code of a network failure anywhere in an error's causes (`ECONNRESET`), if it is one. */
export function networkCode(error: unknown): string | undefined {
  for (let e = error as StoreError | undefined, depth = 0; e !== undefined && e !== null && depth < 5; e = e.cause as StoreError | undefined, depth++) {
    if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return e.code;
    if (typeof e.name === 'string' && NETWORK_CODES.has(e.name)) return e.name;
    if (e.message === 'aborted' || e.message === 'socket hang up' || e.message === 'terminated') return 'ECONNRESET';
  }
  return undefined;
}

const attemptsNote = (attempts: number | undefined): string => (attempts !== undefined && attempts > 1 ? ` after ${attempts} attempts` : '');

/**
 * One line for a failure reading `spec`: `s3://b/k: access denied`, `…: no such object`,
 * `…: no such bucket`, `…: no AWS credentials found (…)`, `…: server error 503 after 3 attempts`.
 * Pure, over the error shapes of @aws-sdk/client-s3, @google-cloud/storage and fetch.
 */
export function describeRemoteError(spec: RemoteSpec, error: unknown): string {
  const e = (error ?? {}) as StoreError;
  const name = `${e.name ?? ''}`;
  const code = `${e.Code ?? (typeof e.code === 'string' ? e.code : '')}`;
  const status = e.$metadata?.httpStatusCode ?? (typeof e.code === 'number' ? e.code : undefined);
  const attempts = e.$metadata?.attempts;
  const message = `${e.message ?? ''}`;
  const reason = e.errors?.[0]?.reason ?? '';
  const where = spec.spec;
  if (error instanceof InputError) return error.message;
  if (name === 'CredentialsProviderError' || /could not load credentials/i.test(message)) {
    return `${where}: no AWS credentials found (set AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run with a role)`;
  }
  if (/could not load the default credentials|default credentials/i.test(message)) {
    return `${where}: no Google credentials found (gcloud auth application-default login, or GOOGLE_APPLICATION_CREDENTIALS)`;
  }
  if (name === 'NoSuchBucket' || code === 'NoSuchBucket' || (status === 404 && /bucket/i.test(message) && spec.scheme === 'gs')) return `${where}: no such bucket`;
  if (name === 'NoSuchKey' || code === 'NoSuchKey' || name === 'NotFound' || status === 404) return `${where}: no such object`;
  if (['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'ExpiredToken', 'InvalidToken'].includes(name) || ['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'ExpiredToken'].includes(code)) {
    return `${where}: access denied (the credentials were refused: ${name || code})`;
  }
  if (name === 'AccessDenied' || code === 'AccessDenied' || status === 403 || reason === 'forbidden') return `${where}: access denied`;
  if (status === 401) return `${where}: access denied (not signed in)`;
  if (name === 'PermanentRedirect' || status === 301) return `${where}: the bucket is in another region (set AWS_REGION)`;
  if (name === 'SlowDown' || code === 'SlowDown' || status === 429) return `${where}: throttled by the server${attemptsNote(attempts)}`;
  if (status !== undefined && status >= 500) return `${where}: server error ${status}${name !== '' && name !== 'Error' && !/^\d+$/.test(name) ? ` (${name})` : ''}${attemptsNote(attempts)}`;
  const network = networkCode(error);
  if (network !== undefined) return `${where}: network error (${network})${attemptsNote(attempts)}`;
  if (status !== undefined) return `${where}: the server answered ${status}${name !== '' && name !== 'Error' ? ` (${name})` : ''}`;
  const first = message.split('\n')[0]?.trim() ?? '';
  return `${where}: ${first === '' ? 'cannot be read' : first}`;
}

/** Milliseconds to wait before retry `attempt` (1 = the first retry): full jitter under min(20 s, 100 ms × 2^attempt), as the AWS SDK's standard mode. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(20_000, 100 * 2 ** attempt));
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// The stores. Each SDK loads on first use, outside the bundle.

const requireFromHere = createRequire(import.meta.url);

let warningFiltered = false;

/**
 * The SDKs and fetch load node:assert, whose first load on Node 24 warns on stderr when
 * FORCE_COLOR and NO_COLOR are both set ("The 'NO_COLOR' env is ignored due to the 'FORCE_COLOR'
 * env being set."): a line about Node's own colours, which vizmeta decides itself, in the middle
 * of its diagnostics. From the first remote request on, that one warning is left out; every
 * other warning passes as before.
 */
function filterColourWarning(): void {
  if (warningFiltered) return;
  warningFiltered = true;
  const emitWarning = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    if (/env is ignored due to the 'FORCE_COLOR' env being set/.test(String(warning))) return;
    (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
}

function requireSdk(name: string): unknown {
  filterColourWarning();
  return requireFromHere(name);
}

interface S3 {
  sdk: typeof S3Sdk;
  client: S3Sdk.S3Client;
}

let s3: Promise<S3> | undefined;

/**
 * The S3 client, made once: the SDK's own credential, region, endpoint and retry chains
 * (`AWS_ENDPOINT_URL`, `AWS_ENDPOINT_URL_S3`, `AWS_MAX_ATTEMPTS`, `AWS_RETRY_MODE`, profiles).
 * Path-style addressing when an endpoint is set: MinIO, Ceph and s3rver serve buckets that way.
 * With no region configured anywhere, us-east-1, following redirects to the bucket's own region.
 */
function s3Client(): Promise<S3> {
  s3 ??= (async () => {
    // The SDK's notice about its future Node versions is not about the user's logs.
    process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
    const sdk = requireSdk('@aws-sdk/client-s3') as typeof S3Sdk;
    const endpoint = process.env['AWS_ENDPOINT_URL_S3'] || process.env['AWS_ENDPOINT_URL'];
    const config: S3Sdk.S3ClientConfig = {
      followRegionRedirects: true,
      ...(endpoint ? { forcePathStyle: true } : {}),
      // A stalled connection fails (and is retried) rather than hanging the command.
      requestHandler: { connectionTimeout: 10_000, requestTimeout: 60_000 },
    };
    let client = new sdk.S3Client(config);
    try {
      await client.config.region();
    } catch {
      client = new sdk.S3Client({ ...config, region: 'us-east-1' });
    }
    return { sdk, client };
  })();
  return s3;
}

let gcs: Promise<GcsSdk.Storage> | undefined;

/** The GCS client, made once: application default credentials; `STORAGE_EMULATOR_HOST` honoured by the library. */
function gcsClient(): Promise<GcsSdk.Storage> {
  gcs ??= (async () => {
    const sdk = requireSdk('@google-cloud/storage') as typeof GcsSdk;
    return new sdk.Storage({ retryOptions: { autoRetry: true, maxRetries: REMOTE_ATTEMPTS - 1, retryDelayMultiplier: 2, maxRetryDelay: 20 } });
  })();
  return gcs;
}

/**
 * Expands a glob into the specs of the objects it matches, in key order. A spec without a glob
 * is returned as is (reading it says whether it exists). Throws InputError, one line, when the
 * listing fails (no such bucket, access denied) or nothing matches.
 */
export async function expandRemoteGlob(input: string): Promise<string[]> {
  const spec = parseRemoteSpec(input);
  if (!hasGlob(spec)) return [input];
  const prefix = globPrefix(spec.key);
  const pattern = globToRegExp(spec.key);
  const matched: string[] = [];
  try {
    for await (const key of listKeys(spec, prefix)) {
      if (!key.endsWith('/') && pattern.test(key)) matched.push(`${spec.scheme}://${spec.bucket}/${key}`);
    }
  } catch (error) {
    // A listing that finds nothing is an empty answer: 404 means the bucket itself is missing.
    const status = (error as StoreError).$metadata?.httpStatusCode ?? (error as StoreError).code;
    throw new InputError(status === 404 ? `${input}: no such bucket` : describeRemoteError(spec, error));
  }
  if (matched.length === 0) throw new InputError(`${input}: no objects match`);
  return matched;
}

async function* listKeys(spec: RemoteSpec, prefix: string): AsyncGenerator<string> {
  if (spec.scheme === 's3') {
    const { sdk, client } = await s3Client();
    let token: string | undefined;
    do {
      const page = await client.send(new sdk.ListObjectsV2Command({ Bucket: spec.bucket, Prefix: prefix, ...(token !== undefined ? { ContinuationToken: token } : {}) }));
      for (const object of page.Contents ?? []) if (object.Key !== undefined) yield object.Key;
      token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return;
  }
  const storage = await gcsClient();
  let query: GcsSdk.GetFilesOptions | undefined = { prefix, autoPaginate: false, maxResults: 1000 };
  while (query !== undefined) {
    const [files, next]: [GcsSdk.File[], GcsSdk.GetFilesOptions | null | undefined, ...unknown[]] = await storage.bucket(spec.bucket).getFiles(query);
    for (const file of files) yield file.name;
    query = next ?? undefined;
  }
}

/** One request for the object's bytes from `offset` on; `version` pins a resumed read to the object first read. */
interface Opened {
  size: number | undefined;
  body: Readable;
  version: string | undefined;
}

async function openS3(spec: RemoteSpec, offset: number, version: string | undefined): Promise<Opened> {
  const { sdk, client } = await s3Client();
  const out = await client.send(new sdk.GetObjectCommand({
    Bucket: spec.bucket,
    Key: spec.key,
    ...(offset > 0 ? { Range: `bytes=${offset}-` } : {}),
    ...(version !== undefined ? { IfMatch: version } : {}),
  }));
  const size = out.ContentLength === undefined ? undefined : offset + out.ContentLength;
  return { size, body: out.Body as Readable, version: out.ETag };
}

async function openGcs(spec: RemoteSpec, offset: number, version: string | undefined): Promise<Opened> {
  const storage = await gcsClient();
  const file = storage.bucket(spec.bucket).file(spec.key, version !== undefined ? { generation: Number(version) } : {});
  const [metadata] = await file.getMetadata();
  const body = file.createReadStream(offset > 0 ? { start: offset, validation: false } : {});
  // createReadStream reports a missing object on the stream: wait for the first byte or the error.
  await new Promise<void>((resolve, reject) => {
    body.once('readable', resolve);
    body.once('end', resolve);
    body.once('error', reject);
  });
  return { size: metadata.size === undefined ? undefined : Number(metadata.size), body, version: metadata.generation === undefined ? undefined : String(metadata.generation) };
}

/** Statuses worth another try: the server's trouble, not the request's. */
const retryableStatus = (status: number): boolean => status === 429 || status >= 500;

class HttpStatusError extends Error {
  constructor(readonly $metadata: { httpStatusCode: number; attempts: number }) {
    super(`HTTP ${$metadata.httpStatusCode}`);
    this.name = `${$metadata.httpStatusCode}`;
  }
}

/** GET with retries on 5xx, 429 and network errors (full-jitter backoff); Range from `offset`. */
async function openHttp(spec: RemoteSpec, offset: number, version: string | undefined): Promise<Opened> {
  filterColourWarning();
  let url = spec.spec;
  let redirects = 0;
  for (let attempt = 1; ; attempt++) {
    let response: Response;
    try {
      const headers: Record<string, string> = {};
      if (offset > 0) headers['range'] = `bytes=${offset}-`;
      if (version !== undefined) headers['if-match'] = version;
      response = await fetch(url, { headers, redirect: 'manual' });
    } catch (error) {
      if (attempt < REMOTE_ATTEMPTS && networkCode(error) !== undefined) {
        await sleep(backoffMs(attempt));
        continue;
      }
      throw Object.assign(error as object, { $metadata: { attempts: attempt } });
    }
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location !== null) {
      void response.body?.cancel().catch(() => {});
      url = followable(spec, new URL(location, url), ++redirects);
      attempt--;
      continue;
    }
    if (response.ok && response.body !== null && (offset === 0 || response.status === 206)) {
      const length = response.headers.get('content-length');
      const size = length === null ? undefined : offset + Number(length);
      return { size, body: Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>), version: response.headers.get('etag') ?? undefined };
    }
    void response.body?.cancel().catch(() => {});
    if (offset > 0 && response.ok) throw new InputError(`${spec.spec}: the connection broke and the server cannot resume (no Range support)`);
    if (retryableStatus(response.status) && attempt < REMOTE_ATTEMPTS) {
      await sleep(backoffMs(attempt));
      continue;
    }
    throw new HttpStatusError({ httpStatusCode: response.status, attempts: attempt });
  }
}

/**
 * Where a redirect may lead: https anywhere, http only to this machine (the request and what
 * comes back would be readable on the way), at most 5 hops. Throws InputError otherwise.
 */
function followable(spec: RemoteSpec, target: URL, hops: number): string {
  if (hops > 5) throw new InputError(`${spec.spec}: more than 5 redirects`);
  if (target.protocol === 'https:' || (target.protocol === 'http:' && isLoopbackHost(target.hostname))) return target.href;
  throw new InputError(`${spec.spec}: redirected to ${target.protocol === 'http:' ? `${target.origin}, unencrypted http://` : target.protocol}; refused`);
}

const OPENERS = { s3: openS3, gs: openGcs, https: openHttp, http: openHttp } as const;

/**
 * Opens a remote object for reading. Resolves once the store has answered, so a missing object,
 * a missing bucket or a refusal is an InputError (exit 2) before a byte is read. The stream
 * yields the object's bytes as they arrive; a connection that breaks midway is resumed from the
 * byte it stopped at (up to REMOTE_ATTEMPTS times), and a failure after that is an InputError
 * naming the object. Destroying the stream stops the download.
 */
export async function openRemoteObject(input: RemoteSpec | string): Promise<RemoteObject> {
  const spec = typeof input === 'string' ? parseRemoteSpec(input) : input;
  if (hasGlob(spec)) throw new UsageError(`${spec.spec}: a glob names many objects; it is expanded where inputs are read`);
  const open = OPENERS[spec.scheme];
  let first: Opened;
  try {
    first = await open(spec, 0, undefined);
  } catch (error) {
    throw new InputError(describeRemoteError(spec, error));
  }
  return { size: first.size, stream: Readable.from(resumed(spec, first, open), { objectMode: false }) };
}

async function* resumed(spec: RemoteSpec, first: Opened, open: typeof openS3): AsyncGenerator<Buffer> {
  let current: Opened = first;
  let offset = 0;
  let retries = 0;
  try {
    for (;;) {
      try {
        for await (const chunk of current.body) {
          const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
          offset += bytes.length;
          yield bytes;
        }
        if (current.size !== undefined && offset < current.size) throw Object.assign(new Error('premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
        return;
      } catch (error) {
        if (error instanceof InputError) throw error;
        const network = networkCode(error);
        if (network === undefined || retries + 1 >= REMOTE_ATTEMPTS) {
          throw new InputError(network !== undefined ? `${spec.spec}: network error (${network}) after ${offset} bytes and ${retries + 1} attempts` : describeRemoteError(spec, error));
        }
        retries++;
        current.body.destroy();
        await sleep(backoffMs(retries));
        try {
          current = await open(spec, offset, first.version);
        } catch (reopenError) {
          throw new InputError(describeRemoteError(spec, reopenError));
        }
      }
    }
  } finally {
    current.body.destroy();
  }
}

/** Most bytes `readRemoteText` takes from one source: a viewer's CSV or markdown, not a log. */
export const REMOTE_TEXT_MAX_BYTES = 64 * 1024 * 1024;

/**
 * A Kubeflow viewer's remote `source` as text (`view --allow-remote`): `minio://` is read as
 * `s3://` (Kubeflow's own artifact store; AWS_ENDPOINT_URL says where), and a glob's matches are
 * concatenated in key order, each ending in a newline, as Kubeflow does. Throws InputError, one
 * line naming the URL: an unknown scheme, no such object, access denied, more than `maxBytes`.
 */
export async function readRemoteText(url: string, maxBytes = REMOTE_TEXT_MAX_BYTES): Promise<string> {
  const spec = url.replace(/^minio:\/\//i, 's3://');
  if (!SCHEME.test(spec)) throw new InputError(`${url}: vizmeta fetches s3://, gs://, minio:// and https:// sources only`);
  let objects: string[];
  try {
    objects = await expandRemoteGlob(spec);
  } catch (error) {
    if (error instanceof UsageError) throw new InputError(error.message);
    throw error;
  }
  const parts: string[] = [];
  let total = 0;
  for (const object of objects) {
    const chunks: Buffer[] = [];
    const { stream } = await openRemoteObject(object);
    try {
      for await (const chunk of stream) {
        total += (chunk as Buffer).length;
        if (total > maxBytes) throw new InputError(`${object}: larger than ${maxBytes / 1024 / 1024} MiB; not read as a viewer's source`);
        chunks.push(chunk as Buffer);
      }
    } finally {
      stream.destroy();
    }
    const text = Buffer.concat(chunks).toString('utf8');
    parts.push(objects.length > 1 && text !== '' && !text.endsWith('\n') ? `${text}\n` : text);
  }
  return parts.join('');
}
