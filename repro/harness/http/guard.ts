// What both local HTTP servers (the site preview, src/preview/; the live page, live/server.ts) do
// about what never reaches their request handler. Any page open in the reader's browser can send
// requests to 127.0.0.1 (a no-cors fetch needs no permission), so none of this may stop the server,
// let alone the run it belongs to.
import { STATUS_CODES, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

/** Open connections at most; Node closes any beyond at once, so a flood costs neither memory nor descriptors. */
export const MAX_CONNECTIONS = 256;

/**
 * Guards a server before it listens: Node's own answers to requests it cannot parse carry the
 * server's headers, connections are capped, and an error accepting one is not the server's end.
 */
export function guardServer(server: Server, headers: Record<string, string>): void {
  server.on('clientError', answerClientErrors(headers));
  server.maxConnections = MAX_CONNECTIONS;
  // Without a listener, a failed accept (EMFILE once descriptors run out) is thrown and ends the
  // process. That connection is lost; the server goes on. (listen's own errors have their listener.)
  server.on('error', () => {});
}

/** The status Node itself would give each parse error. */
function statusOf(code: string | undefined): number {
  if (code === 'HPE_HEADER_OVERFLOW') return 431;
  if (code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW') return 413;
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return 408;
  return 400;
}

/**
 * A request Node cannot parse (a bad request line, headers over its limit, a client too slow to send
 * them) gets Node's own bare 400, 408 or 431, with none of the server's security headers. This
 * listener answers it with them (`headers`: validated by the server when it starts).
 */
function answerClientErrors(headers: Record<string, string>): (error: NodeJS.ErrnoException, socket: Duplex) => void {
  return (error, duplex) => {
    const socket = duplex as Socket;
    // A reset client hears nothing; a response already under way cannot be replaced (Node's own rule).
    if (error.code === 'ECONNRESET' || !socket.writable || socket.bytesWritten > 0) return void socket.destroy();
    const status = statusOf(error.code);
    const body = `${STATUS_CODES[status]}\n`;
    const all = {
      ...headers,
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Length': String(Buffer.byteLength(body)),
      Connection: 'close',
    };
    const lines = Object.entries(all)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${lines}\r\n${body}`);
  };
}
