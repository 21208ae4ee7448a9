// The preview server's request handler: serves files from a built site, read-only, with the site's
// security headers on every response, whatever the status.
import { createReadStream, existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import {
  validateHeaderName,
  validateHeaderValue,
  type IncomingMessage,
  type RequestListener,
  type ServerResponse,
} from 'node:http';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  headersForPath,
  NO_INLINE_CODE,
  parseHeadersFile,
  siteHeaderRules,
  type HeaderRule,
} from '../integrations/security-headers.ts';
import { directoryRedirect, parseRequestTarget } from '../../repro/harness/http/request-path.ts';
import { isInside } from '../../repro/harness/paths.ts';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml; charset=utf-8',
  '.png': 'image/png',
  '.csv': 'text/csv; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.cff': 'text/plain; charset=utf-8',
  // Never "Content-Encoding: gzip": browsers would unpack /bundles/<scenario>.tar.gz on download
  // and its SHA-256 would no longer match SHA256SUMS.
  '.gz': 'application/gzip',
  '.zip': 'application/zip',
  '.wasm': 'application/wasm',
  '.pagefind': 'application/octet-stream',
};

function typeOf(file: string): string {
  if (path.basename(file) === 'SHA256SUMS') return 'text/plain; charset=utf-8';
  return types[path.extname(file)] ?? 'application/octet-stream';
}

const ALLOWED_METHODS = 'GET, HEAD';

/** Text a static host would compress; never an archive, an image or WebAssembly (see '.gz' above). */
const COMPRESSIBLE = new Set(['.html', '.css', '.js', '.json', '.svg', '.csv', '.xml', '.txt', '.cff']);

/** gzip is offered by the client ("gzip" in Accept-Encoding, not refused with q=0). */
function acceptsGzip(req: IncomingMessage): boolean {
  const header = req.headers['accept-encoding'];
  return (
    typeof header === 'string' &&
    header.split(',').some((part) => {
      const [name, ...params] = part.trim().toLowerCase().split(';');
      return name === 'gzip' && !params.some((p) => /^\s*q=0(\.0*)?\s*$/.test(p));
    })
  );
}

/** Compressed once per file version: the site is static, the cache is keyed by size and mtime. */
const gzipCache = new Map<string, { key: string; body: Buffer }>();
function gzipped(file: string): Buffer {
  const info = statSync(file);
  const key = `${info.size}:${info.mtimeMs}`;
  const hit = gzipCache.get(file);
  if (hit?.key === key) return hit.body;
  const body = gzipSync(readFileSync(file));
  gzipCache.set(file, { key, body });
  return body;
}

/**
 * The headers dist/_headers gives a path, so the preview serves the policy the build wrote: every
 * page the site's, the WebContainer page its own with COOP and COEP. Without that file (a build from
 * before it existed), the same rules with no inline code allowed.
 */
export function siteSecurityHeaders(root: string): (urlPath: string) => Record<string, string> {
  const file = path.join(root, '_headers');
  const rules: HeaderRule[] = existsSync(file)
    ? parseHeadersFile(readFileSync(file, 'utf8'))
    : siteHeaderRules(NO_INLINE_CODE);
  // A malformed line fails here, at start-up, rather than in every response.
  for (const rule of rules) {
    for (const [name, value] of Object.entries(rule.headers)) {
      validateHeaderName(name);
      validateHeaderValue(name, value);
    }
  }
  return (urlPath) => headersForPath(rules, urlPath);
}

interface ResolvedFile {
  file: string;
  /** The path named a directory and this is its index.html. */
  isDirectoryIndex: boolean;
}

/** The file a normalised URL path maps to, or undefined; never anything outside the root, symlinks included. */
function resolveFile(root: string, urlPath: string): ResolvedFile | undefined {
  const candidate = path.join(root, urlPath);
  const index = path.join(candidate, 'index.html');
  for (const file of [candidate, index, `${candidate}.html`]) {
    if (!existsSync(file) || !statSync(file).isFile()) continue;
    if (!isInside(realpathSync(root), realpathSync(file))) return undefined;
    return { file, isDirectoryIndex: file === index };
  }
  return undefined;
}

/**
 * The handler. `hostAllowed` says which Host headers name this server: any other is a page reaching
 * 127.0.0.1 through a name it controls (DNS rebinding), and gets 421.
 */
export function staticSite(root: string, hostAllowed: (host: string) => boolean): RequestListener {
  const headersFor = siteSecurityHeaders(root);
  const notFoundPage = path.join(root, '404.html');
  type Security = Record<string, string>;

  const plain = (
    res: ServerResponse,
    security: Security,
    status: number,
    body: string,
    extra: Record<string, string> = {},
  ) => {
    res
      .writeHead(status, {
        ...security,
        ...extra,
        'Content-Type': 'text/plain; charset=utf-8',
        'Content-Length': Buffer.byteLength(body),
      })
      .end(body);
  };

  const sendFile = (req: IncomingMessage, res: ServerResponse, security: Security, status: number, file: string) => {
    // Text goes out compressed, as any static host sends it: the audit then measures what readers get.
    if (COMPRESSIBLE.has(path.extname(file))) {
      const vary = { Vary: 'Accept-Encoding' };
      if (acceptsGzip(req)) {
        const body = gzipped(file);
        res.writeHead(status, {
          ...security,
          ...vary,
          'Content-Type': typeOf(file),
          'Content-Encoding': 'gzip',
          'Content-Length': body.length,
          'Cache-Control': 'no-cache',
        });
        res.end(req.method === 'HEAD' ? undefined : body);
        return;
      }
      res.setHeader('Vary', vary.Vary);
    }
    res.writeHead(status, {
      ...security,
      'Content-Type': typeOf(file),
      'Content-Length': statSync(file).size,
      'Cache-Control': 'no-cache',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    // A file that vanishes mid-read (a rebuild) ends this response, not the server.
    createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const request = parseRequestTarget(req.url ?? '');
    // The headers the path's _headers rules give (COOP/COEP only on the WebContainer page); a
    // request without a usable path gets the site's.
    const security = headersFor(request.ok ? request.path : '/');
    // A static site has nothing to post, put or delete; TRACE would echo the request back.
    if (!hostAllowed(req.headers.host ?? ''))
      return plain(res, security, 421, 'Misdirected request: this server answers only to its own address\n');
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return plain(res, security, 405, 'Method not allowed\n', { Allow: ALLOWED_METHODS });
    if (!request.ok) return plain(res, security, 400, `Bad request: ${request.reason}\n`);
    const found = resolveFile(root, request.path);
    if (!found)
      return existsSync(notFoundPage)
        ? sendFile(req, res, headersFor('/404.html'), 404, notFoundPage)
        : plain(res, security, 404, 'Not found\n');
    // A directory without its trailing slash: redirect, so relative links resolve as built.
    if (found.isDirectoryIndex && !request.path.endsWith('/')) {
      const location = directoryRedirect(request);
      if (!location) return plain(res, security, 400, 'Bad request: no same-origin redirect for this path\n');
      res.writeHead(301, { ...security, Location: location, 'Content-Length': 0 }).end();
      return;
    }
    sendFile(req, res, security, 200, found.file);
  };

  return (req, res) => {
    try {
      handle(req, res);
    } catch (error) {
      // One bad request must not stop the server.
      console.error(`npm run preview: ${req.method} ${JSON.stringify(req.url)}:`, error);
      if (!res.headersSent) plain(res, headersFor('/'), 500, 'Internal server error\n');
      else res.destroy();
    }
  };
}
