// Runs a shell command line with an S3 bucket on loopback, as the README's and --help's remote
// examples expect one (test/e2e/examples.e2e.test.ts): s3rver in a temporary folder, bucket
// ml-logs holding fixtures/runs/run-{1..8}.log as 2026-11/team-a/run-{1..4}.log and
// 2026-11/team-b/nightly/run-{5..8}.log, and main/train.log (run-1, the baseline). The command
// runs with AWS_ENDPOINT_URL and s3rver's credentials set; its exit status is this one's.
//
//   node test/children/with-s3.mjs 'vizmeta sort --by accuracy "s3://ml-logs/2026-11/**/*.log"'
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import S3rver from 's3rver';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const directory = mkdtempSync(join(tmpdir(), 'vizmeta-with-s3-'));
const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory });
const { port } = await server.run();
const endpoint = `http://127.0.0.1:${port}`;
const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const client = new S3Client({ endpoint, forcePathStyle: true, region: 'us-east-1', credentials, requestChecksumCalculation: 'WHEN_REQUIRED' });
await client.send(new CreateBucketCommand({ Bucket: 'ml-logs' }));
const run = (n) => readFileSync(join(ROOT, `fixtures/runs/run-${n}.log`));
for (let n = 1; n <= 8; n++) {
  const key = n <= 4 ? `2026-11/team-a/run-${n}.log` : `2026-11/team-b/nightly/run-${n}.log`;
  await client.send(new PutObjectCommand({ Bucket: 'ml-logs', Key: key, Body: run(n) }));
}
await client.send(new PutObjectCommand({ Bucket: 'ml-logs', Key: 'main/train.log', Body: run(1) }));
client.destroy();

const child = spawn('bash', ['-c', process.argv[2] ?? 'true'], {
  stdio: 'inherit',
  env: { ...process.env, AWS_ENDPOINT_URL: endpoint, AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey, AWS_REGION: 'us-east-1', AWS_PROFILE: '', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' },
});
const status = await new Promise((resolve) => child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1))));
await server.close();
rmSync(directory, { recursive: true, force: true });
process.exit(status);
