/**
 * The pure parts of remote inputs (input/remote.ts): parsing specs, globs over keys, the one-line
 * error for each way a store (S3, GCS, https) can refuse, and the retry backoff. The reading
 * itself, against a real S3-compatible server, is in test/e2e/remote.e2e.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { isRemoteSpec, needsExpanding } from '../../src/input/frameworks.js';
import { backoffMs, describeRemoteError, globPrefix, globToRegExp, hasGlob, isLoopbackHost, networkCode, parseRemoteSpec } from '../../src/input/remote.js';

describe('parseRemoteSpec', () => {
  it.each([
    ['s3://ml-logs/2026-11/run.log', { scheme: 's3', bucket: 'ml-logs', key: '2026-11/run.log' }],
    ['S3://ml-logs/a b/run.log', { scheme: 's3', bucket: 'ml-logs', key: 'a b/run.log' }],
    ['gs://team-runs/**/*.log', { scheme: 'gs', bucket: 'team-runs', key: '**/*.log' }],
    ['https://example.com/logs/run.log?X-Amz-Signature=abc', { scheme: 'https', bucket: 'example.com', key: '/logs/run.log?X-Amz-Signature=abc' }],
    ['http://127.0.0.1:8080/run.log', { scheme: 'http', bucket: '127.0.0.1:8080', key: '/run.log' }],
    ['http://localhost/run.log', { scheme: 'http', bucket: 'localhost', key: '/run.log' }],
    ['http://[::1]:9000/run.log', { scheme: 'http', bucket: '[::1]:9000', key: '/run.log' }],
  ])('%s', (spec, parsed) => {
    expect(parseRemoteSpec(spec)).toEqual({ spec, ...parsed });
  });

  it.each([
    ['s3://', /no bucket/],
    ['s3:///key.log', /no bucket/],
    ['s3://bucket', /no object key/],
    ['gs://bucket/', /no object key/],
    ['http://example.com/run.log', /http:\/\/ is unencrypted and read only from this machine/],
    ['http://10.0.0.1/run.log', /use https:\/\//],
    ['https://exa mple.com/x', /not a valid URL/],
  ])('refuses %s', (spec, message) => {
    expect(() => parseRemoteSpec(spec)).toThrow(UsageError);
    expect(() => parseRemoteSpec(spec)).toThrow(message);
  });

  it('loopback hosts are 127.0.0.0/8, ::1 and localhost only', () => {
    expect(['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', '::1', '[::1]'].every(isLoopbackHost)).toBe(true);
    expect(['127.0.0.1.example.com', '10.0.0.1', 'example.com', '0.0.0.0', 'localhost.evil'].some(isLoopbackHost)).toBe(false);
  });

  it('only s3://, gs://, http(s):// are remote; a glob makes an input need expanding', () => {
    expect(['s3://b/k', 'gs://b/k', 'https://h/p', 'HTTP://localhost/p'].every(isRemoteSpec)).toBe(true);
    expect(['s3:/b/k', 'minio://b/k', 'file:///x', './s3://b/k', 'git:HEAD:x.log'].some(isRemoteSpec)).toBe(false);
    expect(needsExpanding(['s3://b/run.log', 's3://b/trainer_state.json', 'https://h/metrics.csv'])).toBe(false);
    expect(needsExpanding(['s3://b/**/*.log'])).toBe(true);
  });
});

describe('globs over keys', () => {
  const matches = (pattern: string, keys: string[]): string[] => keys.filter((key) => globToRegExp(pattern).test(key));
  const KEYS = ['2026-11/run.log', '2026-11/a/run.log', '2026-11/a/b/run.log', '2026-11/a/run.txt', '2026-12/run.log', '2026-11/run.log.bak', '2026-11/.log'];

  it('** is any number of folders (none too), * one name, ? one character', () => {
    expect(matches('2026-11/**/*.log', KEYS)).toEqual(['2026-11/run.log', '2026-11/a/run.log', '2026-11/a/b/run.log', '2026-11/.log']);
    expect(matches('2026-11/*.log', KEYS)).toEqual(['2026-11/run.log', '2026-11/.log']);
    expect(matches('2026-1?/run.log', KEYS)).toEqual(['2026-11/run.log', '2026-12/run.log']);
    expect(matches('2026-11/a/**', KEYS)).toEqual(['2026-11/a/run.log', '2026-11/a/b/run.log', '2026-11/a/run.txt']);
    expect(matches('**', KEYS)).toEqual(KEYS);
  });

  it('everything else is literal, regular-expression characters included', () => {
    expect(globToRegExp('a+b(1)/[x].log').test('a+b(1)/[x].log')).toBe(true);
    expect(globToRegExp('a.log').test('aXlog')).toBe(false);
    expect(globToRegExp('run-$1^.log').test('run-$1^.log')).toBe(true);
  });

  it('lists from the key up to the first glob character', () => {
    expect(globPrefix('2026-11/**/*.log')).toBe('2026-11/');
    expect(globPrefix('2026-1?/run.log')).toBe('2026-1');
    expect(globPrefix('*.log')).toBe('');
    expect(globPrefix('plain/run.log')).toBe('plain/run.log');
  });

  it('https URLs are never globs: a * in one is part of the URL', () => {
    expect(hasGlob(parseRemoteSpec('https://h/logs/*.log'))).toBe(false);
    expect(hasGlob(parseRemoteSpec('s3://b/logs/*.log'))).toBe(true);
    expect(hasGlob(parseRemoteSpec('gs://b/logs/run.log'))).toBe(false);
  });
});

describe('describeRemoteError: one line naming the object and the reason', () => {
  const s3 = parseRemoteSpec('s3://ml-logs/x.log');
  const gs = parseRemoteSpec('gs://runs/x.log');
  const https = parseRemoteSpec('https://example.com/x.log');
  /** An error shaped as @aws-sdk/client-s3 throws it. */
  const aws = (name: string, status: number, attempts = 1): unknown => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status, attempts } });
  /** An error shaped as @google-cloud/storage's ApiError. */
  const gcs = (code: number, message: string, reason?: string): unknown => Object.assign(new Error(message), { code, ...(reason ? { errors: [{ reason, message }] } : {}) });

  it.each([
    [s3, aws('AccessDenied', 403), 's3://ml-logs/x.log: access denied'],
    [s3, aws('NoSuchKey', 404), 's3://ml-logs/x.log: no such object'],
    [s3, aws('NotFound', 404), 's3://ml-logs/x.log: no such object'],
    [s3, aws('NoSuchBucket', 404), 's3://ml-logs/x.log: no such bucket'],
    [s3, aws('InvalidAccessKeyId', 403), 's3://ml-logs/x.log: access denied (the credentials were refused: InvalidAccessKeyId)'],
    [s3, aws('SignatureDoesNotMatch', 403), 's3://ml-logs/x.log: access denied (the credentials were refused: SignatureDoesNotMatch)'],
    [s3, aws('SlowDown', 503, 3), 's3://ml-logs/x.log: throttled by the server after 3 attempts'],
    [s3, aws('InternalError', 500, 3), 's3://ml-logs/x.log: server error 500 (InternalError) after 3 attempts'],
    [s3, aws('PermanentRedirect', 301), 's3://ml-logs/x.log: the bucket is in another region (set AWS_REGION)'],
    [s3, Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }), 's3://ml-logs/x.log: no AWS credentials found (set AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run with a role)'],
    [s3, Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED', $metadata: { attempts: 3 } }), 's3://ml-logs/x.log: network error (ECONNREFUSED) after 3 attempts'],
    [gs, gcs(404, 'No such object: runs/x.log'), 'gs://runs/x.log: no such object'],
    [gs, gcs(404, 'The specified bucket does not exist.'), 'gs://runs/x.log: no such bucket'],
    [gs, gcs(403, 'caller does not have storage.objects.get access', 'forbidden'), 'gs://runs/x.log: access denied'],
    [gs, gcs(401, 'Anonymous caller'), 'gs://runs/x.log: access denied (not signed in)'],
    [gs, new Error('Could not load the default credentials. Browse to https://cloud.google.com/docs/authentication/getting-started for more information.'), 'gs://runs/x.log: no Google credentials found (gcloud auth application-default login, or GOOGLE_APPLICATION_CREDENTIALS)'],
    [gs, gcs(503, 'Service Unavailable'), 'gs://runs/x.log: server error 503'],
    [https, Object.assign(new Error('HTTP 404'), { name: '404', $metadata: { httpStatusCode: 404, attempts: 1 } }), 'https://example.com/x.log: no such object'],
    [https, Object.assign(new Error('HTTP 502'), { name: '502', $metadata: { httpStatusCode: 502, attempts: 3 } }), 'https://example.com/x.log: server error 502 after 3 attempts'],
    [https, Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('getaddrinfo ENOTFOUND example.com'), { code: 'ENOTFOUND' }), $metadata: { attempts: 1 } }), 'https://example.com/x.log: network error (ENOTFOUND)'],
    [https, new Error('something odd\nwith a second line'), 'https://example.com/x.log: something odd'],
  ])('%#: %s', (spec, error, line) => {
    expect(describeRemoteError(spec, error)).toBe(line);
  });

  it('finds a network code among the causes, and knows a reset socket by its message', () => {
    expect(networkCode({ cause: { cause: { code: 'ECONNRESET' } } })).toBe('ECONNRESET');
    expect(networkCode(new Error('aborted'))).toBe('ECONNRESET');
    expect(networkCode(new Error('no'))).toBeUndefined();
  });
});

describe('backoff', () => {
  it('is full jitter under 100 ms × 2^attempt, capped at 20 s', () => {
    expect(backoffMs(1, () => 0)).toBe(0);
    expect(backoffMs(1, () => 0.999)).toBe(199);
    expect(backoffMs(3, () => 0.5)).toBe(400);
    expect(backoffMs(30, () => 0.999)).toBe(19_980);
  });
});
