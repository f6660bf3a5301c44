/**
 * A small Google Cloud Storage JSON API on loopback for the remote-input tests: enough of it for
 * @google-cloud/storage pointed there by STORAGE_EMULATOR_HOST (as at a real emulator) to list
 * objects by prefix (paged), read an object's metadata and download it (`alt=media`, with Range).
 * Keys holding `denied` answer 403, keys holding `flaky` answer their first two requests with 503; a
 * bucket not given answers 404 as GCS does. What it answered is kept in `seen`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeGcs {
  /** For STORAGE_EMULATOR_HOST. */
  host: string;
  seen: Array<{ url: string; status: number }>;
  close(): Promise<void>;
}

/** `objects` by bucket, then key. */
export async function startFakeGcs(objects: Record<string, Record<string, string>>, pageSize = 2): Promise<FakeGcs> {
  const seen: FakeGcs['seen'] = [];
  const failures = new Map<string, number>();
  const answer = (req: IncomingMessage, res: ServerResponse, status: number, body: string | object, type = 'application/json', headers: Record<string, string> = {}): void => {
    seen.push({ url: req.url ?? '', status });
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, { 'content-type': type, 'content-length': String(Buffer.byteLength(text)), ...headers });
    res.end(text);
  };
  const error = (req: IncomingMessage, res: ServerResponse, status: number, reason: string, message: string): void => {
    answer(req, res, status, { error: { code: status, message, errors: [{ reason, message }] } });
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://gcs');
    const match = /^\/b\/([^/]+)\/o(?:\/(.+))?$/.exec(url.pathname);
    if (match === null) return error(req, res, 404, 'notFound', 'Not Found');
    const bucket = decodeURIComponent(match[1] as string);
    const key = match[2] === undefined ? undefined : decodeURIComponent(match[2]);
    const held = objects[bucket];
    const prefix = key ?? url.searchParams.get('prefix') ?? '';
    if (prefix.includes('denied')) return error(req, res, 403, 'forbidden', `caller does not have storage.objects.${key === undefined ? 'list' : 'get'} access to the Google Cloud Storage object.`);
    if (prefix.includes('flaky') && (failures.get(prefix) ?? 0) < 2) {
      failures.set(prefix, (failures.get(prefix) ?? 0) + 1);
      return error(req, res, 503, 'backendError', 'Service Unavailable');
    }
    if (held === undefined) return error(req, res, 404, 'notFound', 'The specified bucket does not exist.');
    if (key === undefined) {
      const names = Object.keys(held).filter((name) => name.startsWith(prefix)).sort();
      const from = Number(url.searchParams.get('pageToken') ?? '0');
      const page = names.slice(from, from + pageSize);
      const next = from + pageSize < names.length ? { nextPageToken: String(from + pageSize) } : {};
      return answer(req, res, 200, { kind: 'storage#objects', items: page.map((name) => ({ kind: 'storage#object', name, bucket, size: String(Buffer.byteLength(held[name] as string)) })), ...next });
    }
    const body = held[key];
    if (body === undefined) return error(req, res, 404, 'notFound', `No such object: ${bucket}/${key}`);
    if (url.searchParams.get('alt') === 'media') {
      const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
      const bytes = Buffer.from(body);
      if (range) return answer(req, res, 206, bytes.subarray(Number(range[1])).toString(), 'text/plain');
      return answer(req, res, 200, body, 'text/plain');
    }
    return answer(req, res, 200, { kind: 'storage#object', name: key, bucket, size: String(Buffer.byteLength(body)), generation: '1' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    host: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
