// The embedded S3 server, run by services/s3.ts in its own Node process so that its memory is
// never counted against (or confused with) the probe's. Prints {"port":N} on stdout when ready.
// Usage: node s3rver-child.ts <port> <data dir> <bucket>
import S3rver from 's3rver';

const [port, directory, bucket] = process.argv.slice(2);
const server = new S3rver({
  address: '127.0.0.1',
  port: Number(port),
  directory,
  silent: true,
  configureBuckets: [{ name: bucket }],
});

// s3rver emits a listen failure (EADDRINUSE) as an 'error' event nobody handles: report it as one line.
const fail = (error: unknown) => {
  const code = (error as NodeJS.ErrnoException).code;
  process.stderr.write(`${code === 'EADDRINUSE' ? 'EADDRINUSE' : (error as Error).message}\n`);
  process.exit(1);
};
process.on('uncaughtException', fail);

const address = await server.run().catch(fail);
process.stdout.write(`${JSON.stringify({ port: address.port })}\n`);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    void server.close().finally(() => process.exit(0));
  });
}
