// s3rver in a process of its own, for tests and the bench: `node --openssl-legacy-provider
// test/children/s3rver.mjs DIR` serves DIR on a free loopback port, prints {"port": N} on one
// line once it listens, and stops on SIGTERM. The flag is needed for listings of more than one
// page: s3rver makes continuation tokens with DES, which OpenSSL 3 keeps in its legacy provider.
import S3rver from 's3rver';

const directory = process.argv[2];
if (!directory) throw new Error('usage: node --openssl-legacy-provider test/children/s3rver.mjs DIR');
const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory });
const { port } = await server.run();
process.stdout.write(`${JSON.stringify({ port })}\n`);
process.once('SIGTERM', () => {
  server.close().then(() => process.exit(0), () => process.exit(1));
});
