// The server for oven-sh/bun#39952, run under Node by the harness: it answers every GET after the
// delay its query asks for (`/?delay=20`), with the body `ok`, over keep-alive connections, and
// counts the requests it answered (`/count`), so the probe can check that its requests reached it.
import http from 'node:http';

let answered = 0;
const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (url.pathname === '/count') {
    res.end(JSON.stringify({ answered }));
    return;
  }
  const delay = Math.max(0, Math.min(10_000, Number(url.searchParams.get('delay')) || 0));
  setTimeout(() => {
    answered++;
    res.end('ok');
  }, delay);
});
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  console.log(JSON.stringify({ port: address.port }));
});
