// The live page's server (`--live`, `--replay`): plain node:http in the harness's own process, bound
// to 127.0.0.1 on a port the kernel picks, closed (every connection with it) before the CLI exits,
// so it can never outlive the run. It serves these routes and nothing else: the page, its script,
// its two stylesheets (its own, and the build colours in both themes, generated from the site's
// palette with the script), the event stream and the record files the run wrote (and an empty /favicon.ico). Events are server-sent
// (text/event-stream): each is kept, so a page opened late, or reloaded, gets the whole run so far.
//
// How the figure is drawn: in the browser, with Observable Plot, by client.js, a script generated
// from the site's own figure modules (src/live/client.ts → `npm run live:client`, committed). The
// alternative, drawing SVG here with render.ts, would put Plot, d3 and jsdom (several MiB installed)
// into every bundle's dependencies; the script is one file (see the size in client.js's header)
// and the bundles' package.json stays as it is. Either way there is one figure definition.
import { createReadStream, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { ScenarioName } from '../record/schema.ts';
import { embedderOrigin, hostAllowed, inWebContainer, LIVE_EMBEDDER_ENV } from './embed.ts';
import type { LiveEvent } from './events.ts';
import { livePage } from './page.ts';

const HERE = import.meta.dirname;

/** Own-origin script, style and connections only; no inline code, no frames, no forms. */
export const LIVE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Every response's headers. With an embedder (embed.ts), that origin alone may frame the page, and
 * the page may sit in a cross-origin-isolated one (CORP and COEP), as the site's WebContainer page is.
 */
export function liveHeaders(embedder: string | null): Record<string, string> {
  const common = { 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-store' };
  if (embedder === null) return { 'Content-Security-Policy': LIVE_CSP, ...common, 'X-Frame-Options': 'DENY' };
  return {
    'Content-Security-Policy': LIVE_CSP.replace("frame-ancestors 'none'", `frame-ancestors ${embedder}`),
    ...common,
    'Cross-Origin-Resource-Policy': 'cross-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
  };
}

export interface LiveServer {
  /** http://127.0.0.1:<port>/ */
  url: string;
  port: number;
  publish(event: LiveEvent): void;
  /** Serves a record file the run wrote (or replays) at the returned href. */
  addFile(file: string): string;
  /** Ends every event stream and closes the server and all its connections. */
  close(): Promise<void>;
}

export interface LiveServerOptions {
  mode: 'live' | 'replay';
  scenario: ScenarioName;
  /** Shown in the page's banner, e.g. the replayed file names or the builds. */
  subject: string;
}

export async function startLiveServer(options: LiveServerOptions): Promise<LiveServer> {
  const events: string[] = [];
  const streams = new Set<ServerResponse>();
  const files = new Map<string, string>();
  const page = livePage(options);
  const client = readFileSync(path.join(HERE, 'client.js'));
  const css = readFileSync(path.join(HERE, 'live.css'));
  const palette = readFileSync(path.join(HERE, 'palette.css'));
  let port = 0;
  const HEADERS = liveHeaders(embedderOrigin(process.env[LIVE_EMBEDDER_ENV]));
  const anyHost = inWebContainer(process.versions);

  const send = (res: ServerResponse, type: string, body: string | Buffer) => {
    res.writeHead(200, { ...HEADERS, 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
    res.end(res.req.method === 'HEAD' ? undefined : body);
  };
  const plain = (res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}) => {
    res.writeHead(status, { ...HEADERS, ...extra, 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(`${text}\n`);
  };

  const server = createServer((req, res) => {
    // A page on another origin cannot reach 127.0.0.1 through a name it controls (DNS rebinding):
    // only the addresses this server is reached by are answered.
    const host = req.headers.host ?? '';
    if (!hostAllowed(host, port, anyHost)) return plain(res, 421, 'misdirected request');
    if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405, 'method not allowed', { Allow: 'GET, HEAD' });
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.search !== '' && url.pathname !== '/events') return plain(res, 404, 'not found');
    switch (url.pathname) {
      case '/':
        return send(res, 'text/html; charset=utf-8', page);
      case '/client.js':
        return send(res, 'text/javascript; charset=utf-8', client);
      case '/live.css':
        return send(res, 'text/css; charset=utf-8', css);
      case '/palette.css':
        return send(res, 'text/css; charset=utf-8', palette);
      case '/events':
        return stream(req, res);
      case '/favicon.ico':
        // Browsers ask for it unbidden: no icon, rather than a 404 in the console.
        res.writeHead(204, HEADERS);
        return void res.end();
    }
    const file = /^\/records\/([^/]+)$/.exec(url.pathname)?.[1];
    const onDisk = file !== undefined ? files.get(decodeURIComponent(file)) : undefined;
    if (onDisk === undefined) return plain(res, 404, 'not found');
    res.writeHead(200, { ...HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Content-Disposition': `attachment; filename="${path.basename(onDisk).replace(/[^\w.-]/g, '_')}"` });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(onDisk).on('error', () => res.destroy()).pipe(res);
  });

  function stream(req: IncomingMessage, res: ServerResponse) {
    res.writeHead(200, { ...HEADERS, 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive' });
    if (req.method === 'HEAD') return void res.end();
    res.socket?.setNoDelay(true);
    // A reconnecting EventSource says which event it saw last; it gets the ones after.
    const last = Number(req.headers['last-event-id'] ?? -1);
    const from = Number.isInteger(last) && last >= -1 ? last + 1 : 0;
    res.write(`retry: 1000\n\n${events.slice(from).join('')}`);
    streams.add(res);
    res.on('close', () => streams.delete(res));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  // Keeps idle streams from being cut by anything in between, and notices a closed page.
  const heartbeat = setInterval(() => {
    for (const res of streams) res.write(': keep-alive\n\n');
  }, 15_000);
  heartbeat.unref();

  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    publish(event) {
      const text = `id: ${events.length}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
      events.push(text);
      for (const res of streams) res.write(text);
    },
    addFile(file) {
      const name = path.basename(file);
      files.set(name, file);
      return `/records/${encodeURIComponent(name)}`;
    },
    async close() {
      clearInterval(heartbeat);
      for (const res of streams) res.end();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
