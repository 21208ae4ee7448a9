// The live page's server (`--live`, `--replay`): plain node:http in the harness's own process, bound
// to 127.0.0.1 on a port the kernel picks, closed (every connection with it) before the CLI exits,
// so it can never outlive the run. It serves these routes and nothing else: the page, its script,
// its two stylesheets (its own, and the build colours in both themes, generated from the site's
// palette with the script), the event stream and the record files the run wrote (and an empty /favicon.ico). Events are server-sent
// (text/event-stream): each is kept, once, in a log every page reads from at its own pace, so a page
// opened late, or reloaded, gets the whole run so far.
//
// Any page the reader has open can send requests here (a no-cors fetch needs no permission), so no
// request may cost the run: a bad one gets a 4xx, a failing one a 500, and never an exception that
// reaches the process; a page that does not read costs at most one slice of the log, and there are
// at most MAX_EVENT_STREAMS of them.
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
import { guardServer } from '../http/guard.ts';
import { parseRequestTarget } from '../http/request-path.ts';
import type { ScenarioName } from '../../core/record/schema.ts';
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

/** Open event streams at most: a few tabs of the page; beyond, 503 (1000 idle ones once held 350 MB). */
export const MAX_EVENT_STREAMS = 16;
/** The most of the log written to one page at a time: a page that stops reading holds no more than this. */
const SLICE_CHARS = 64 * 1024;

/** One open event stream: where in the shared log it has read up to. */
interface Reader {
  res: ServerResponse;
  /** The next event to send, and how much of it was sent already. */
  event: number;
  offset: number;
  /** Its socket is full: wait for 'drain'. */
  waiting: boolean;
}

export async function startLiveServer(options: LiveServerOptions): Promise<LiveServer> {
  const log: string[] = [];
  const readers = new Set<Reader>();
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
    const body = `${text}\n`;
    res.writeHead(status, {
      ...HEADERS,
      ...extra,
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
    });
    res.end(body);
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    // A page on another origin cannot reach 127.0.0.1 through a name it controls (DNS rebinding):
    // only the addresses this server is reached by are answered.
    const host = req.headers.host ?? '';
    if (!hostAllowed(host, port, anyHost)) return plain(res, 421, 'misdirected request');
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return plain(res, 405, 'method not allowed', { Allow: 'GET, HEAD' });
    const target = parseRequestTarget(req.url ?? '');
    if (!target.ok) return plain(res, 400, `bad request: ${target.reason}`);
    if (target.query !== '' && target.path !== '/events') return plain(res, 404, 'not found');
    switch (target.path) {
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
    // The path is decoded already: "/records/a%2Fb" is "/records/a/b", which names no record.
    const file = /^\/records\/([^/]+)$/.exec(target.path)?.[1];
    const onDisk = file !== undefined ? files.get(file) : undefined;
    if (onDisk === undefined) return plain(res, 404, 'not found');
    res.writeHead(200, {
      ...HEADERS,
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="${path.basename(onDisk).replace(/[^\w.-]/g, '_')}"`,
    });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(onDisk)
      .on('error', () => res.destroy())
      .pipe(res);
  };

  const server = createServer((req, res) => {
    try {
      handle(req, res);
    } catch {
      // One bad request must not stop the run.
      if (!res.headersSent) plain(res, 500, 'internal error');
      else res.destroy();
    }
  });
  guardServer(server, HEADERS);

  function stream(req: IncomingMessage, res: ServerResponse) {
    if (readers.size >= MAX_EVENT_STREAMS)
      return plain(res, 503, `too many open live pages (${MAX_EVENT_STREAMS}); close one`, { 'Retry-After': '5' });
    res.writeHead(200, { ...HEADERS, 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive' });
    if (req.method === 'HEAD') return void res.end();
    res.socket?.setNoDelay(true);
    // A reconnecting EventSource says which event it saw last; it gets the ones after.
    const last = Number(req.headers['last-event-id'] ?? -1);
    const from = Number.isInteger(last) && last >= -1 ? Math.min(last + 1, log.length) : 0;
    res.write('retry: 1000\n\n');
    const reader: Reader = { res, event: from, offset: 0, waiting: false };
    readers.add(reader);
    res.on('close', () => readers.delete(reader));
    pump(reader);
  }

  /** Writes the log to a page as fast as it reads it, a slice at a time: no copy of the log per page. */
  function pump(reader: Reader) {
    while (!reader.waiting && reader.event < log.length && !reader.res.destroyed) {
      const text = log[reader.event]!;
      const slice = text.slice(reader.offset, reader.offset + SLICE_CHARS);
      reader.offset += slice.length;
      if (reader.offset >= text.length) {
        reader.event++;
        reader.offset = 0;
      }
      if (!reader.res.write(slice)) {
        reader.waiting = true;
        reader.res.once('drain', () => {
          reader.waiting = false;
          pump(reader);
        });
      }
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  // Keeps idle streams from being cut by anything in between, and notices a closed page.
  // A page still reading the log has just been sent something.
  const heartbeat = setInterval(() => {
    for (const reader of readers)
      if (!reader.waiting && reader.event === log.length) reader.res.write(': keep-alive\n\n');
  }, 15_000);
  heartbeat.unref();

  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    publish(event) {
      log.push(`id: ${log.length}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
      for (const reader of readers) pump(reader);
    },
    addFile(file) {
      const name = path.basename(file);
      files.set(name, file);
      return `/records/${encodeURIComponent(name)}`;
    },
    async close() {
      clearInterval(heartbeat);
      for (const reader of readers) reader.res.end();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
