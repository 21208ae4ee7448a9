// Run under the Bun build being measured (oven-sh/bun#31889). A node:http server, run by Bun, answers
// each request with a fixed Content-Length body written at once by res.write(), and ends it
// CASEBOOK_END_DELAY_MS later, as a piped file stream does. A raw TCP client, one keep-alive
// connection per trial, sends a first request, waits for its whole response, then sends a second on
// the same connection before the server's late end(). The probe counts the second requests that
// were answered, and those whose connection closed without an answer although the first response
// had not announced `Connection: close`. It also checks, per trial, that the first response was
// complete before end() ran, which is the report's condition.
import http from 'node:http';
import net from 'node:net';

const trials = Number(process.env.CASEBOOK_TRIALS);
const endDelayMs = Number(process.env.CASEBOOK_END_DELAY_MS);
const BODY = Buffer.alloc(64, 'a');

let handled = 0;
const endedAt = new Map<string, number>();
const server = http.createServer((req, res) => {
  handled++;
  res.writeHead(200, { 'Content-Length': BODY.length, 'Content-Type': 'text/plain' });
  res.write(BODY);
  setTimeout(() => {
    endedAt.set(req.url ?? '', performance.now());
    res.end();
  }, endDelayMs);
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as net.AddressInfo;

/** One response at the start of `text`: its length on the wire and whether it announced close, or null while incomplete. */
function response(text: string): { length: number; close: boolean } | null {
  const head = text.indexOf('\r\n\r\n');
  if (head < 0) return null;
  const headers = text.slice(0, head).toLowerCase();
  const length = Number(/\r\ncontent-length:\s*(\d+)/.exec(headers)?.[1] ?? NaN);
  if (!(text.length >= head + 4 + length)) return null;
  return { length: head + 4 + length, close: /\r\nconnection:\s*close/.test(headers) };
}

type Outcome = 'served' | 'dropped' | 'closeAnnounced' | 'stalled' | 'firstFailed';
async function trial(n: number): Promise<{ outcome: Outcome; firstBeforeEnd: boolean }> {
  const socket = net.connect(port, '127.0.0.1');
  socket.setNoDelay(true);
  socket.on('error', () => {});
  let text = '';
  let first: { length: number; close: boolean } | null = null;
  let firstAt = 0;
  return new Promise((resolve) => {
    const finish = (outcome: Outcome) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ outcome, firstBeforeEnd: first !== null && firstAt < (endedAt.get(`/${n}/1`) ?? Infinity) });
    };
    const timer = setTimeout(() => finish(first ? 'stalled' : 'firstFailed'), 2000 + 2 * endDelayMs);
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
      if (first === null) {
        first = response(text);
        if (first === null) return;
        firstAt = performance.now();
        socket.write(`GET /${n}/2 HTTP/1.1\r\nHost: casebook\r\n\r\n`);
      }
      if (response(text.slice(first.length)) !== null) finish('served');
    });
    socket.on('close', () => finish(first === null ? 'firstFailed' : first.close ? 'closeAnnounced' : 'dropped'));
    socket.on('connect', () => socket.write(`GET /${n}/1 HTTP/1.1\r\nHost: casebook\r\n\r\n`));
  });
}

const counts: Record<Outcome, number> = { served: 0, dropped: 0, closeAnnounced: 0, stalled: 0, firstFailed: 0 };
let firstBeforeEnd = 0;
for (let n = 0; n < trials; n++) {
  const result = await trial(n);
  counts[result.outcome]++;
  if (result.firstBeforeEnd) firstBeforeEnd++;
}
server.close();
console.log(JSON.stringify({ ev: 'result', trials, endDelayMs, ...counts, firstBeforeEnd, handled }));
process.exit(0);
