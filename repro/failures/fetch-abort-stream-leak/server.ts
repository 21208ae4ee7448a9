// The server for oven-sh/bun#32659, run under Node by the harness. GET /stream answers with a body
// that outlasts the client's interest: one 64 KiB chunk every 5 ms (at most 12.5 MiB/s), skipped
// while the socket is backpressured, up to 8 MiB, so at least 640 ms, unless the client goes away
// first. It ends at all so that a body the client cancelled but keeps draining (as some builds do)
// is over before the probe measures. GET /sent says how many streams it began, how many are still
// open, and how many body bytes it wrote, so the probe can check that every body really streamed.
import http from 'node:http';

const CHUNK = Buffer.alloc(64 * 1024, 0x61);
const BODY_BYTES = 8 * 2 ** 20;
let streams = 0;
let open = 0;
let bytes = 0;

const server = http.createServer((req, res) => {
  if (req.url === '/sent') {
    res.end(JSON.stringify({ streams, open, bytes }));
    return;
  }
  streams++;
  open++;
  let written = 0;
  res.writeHead(200, { 'content-type': 'application/octet-stream' }); // no length: chunked, as a stream is
  const timer = setInterval(() => {
    if (res.writableNeedDrain) return;
    res.write(CHUNK);
    written += CHUNK.length;
    bytes += CHUNK.length;
    if (written >= BODY_BYTES) {
      clearInterval(timer);
      res.end();
    }
  }, 5);
  res.on('close', () => {
    clearInterval(timer);
    open--;
  });
});
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  console.log(JSON.stringify({ port: address.port }));
});
