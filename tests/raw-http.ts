// One HTTP request sent byte for byte over TCP, as a hostile client could send it: fetch and
// http.request would normalise the very URLs under test ("/%", "//evil.com", "/\evil.com") or refuse
// the headers. For the site preview's tests and the live server's.
import { connect } from 'node:net';

export interface RawResponse {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: Buffer;
}

export interface RawOptions {
  /** Header lines after Host, each ending in \r\n. */
  extraHeaders?: string;
  /** The Host header's value (default 127.0.0.1:<port>). */
  host?: string;
}

/** Sends one request to 127.0.0.1:port and reads the response until the server closes. */
export function rawRequest(
  port: number,
  method: string,
  target: string,
  options: RawOptions = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('end', () => {
      const all = Buffer.concat(chunks);
      const split = all.indexOf('\r\n\r\n');
      if (split === -1) return reject(new Error(`no HTTP response to ${method} ${target}`));
      const [statusLine, ...lines] = all.subarray(0, split).toString('latin1').split('\r\n');
      const headers = Object.fromEntries(
        lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
      );
      resolve({ status: Number(statusLine!.split(' ')[1]), headers, body: all.subarray(split + 4) });
    });
    // write, not end: a client that half-closes first may lose a streamed response.
    socket.write(
      `${method} ${target} HTTP/1.1\r\nHost: ${options.host ?? `127.0.0.1:${port}`}\r\n${options.extraHeaders ?? ''}Connection: close\r\n\r\n`,
    );
  });
}
