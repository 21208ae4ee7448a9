// Serves the built site (dist/) on 127.0.0.1. Used by `npm start` and the e2e tests instead of
// `astro preview`, whose static server marks every *.gz file "Content-Encoding: gzip": browsers
// then unpack /bundles/<scenario>.tar.gz on download and its SHA-256 no longer matches.
// Usage: node src/preview/serve.ts [--port 4321]
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { parseArgs } from 'node:util';

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
  '.gz': 'application/gzip',
  '.zip': 'application/zip',
  '.wasm': 'application/wasm',
  '.pagefind': 'application/octet-stream',
};

function typeOf(file: string): string {
  if (path.basename(file) === 'SHA256SUMS') return 'text/plain; charset=utf-8';
  return types[path.extname(file)] ?? 'application/octet-stream';
}

/** The file a URL path maps to, or undefined; never outside the root. */
export function resolveFile(root: string, urlPath: string): string | undefined {
  const clean = path.normalize(decodeURIComponent(urlPath.split('?')[0])).replace(/^(\.\.[/\\])+/, '');
  const candidate = path.join(root, clean);
  if (!candidate.startsWith(root)) return undefined;
  for (const f of [candidate, path.join(candidate, 'index.html'), `${candidate}.html`]) {
    if (existsSync(f) && statSync(f).isFile()) return f;
  }
  return undefined;
}

const { values } = parseArgs({ options: { port: { type: 'string', default: '4321' }, root: { type: 'string', default: 'dist' } } });
const root = path.resolve(values.root);
if (!existsSync(path.join(root, 'index.html'))) {
  console.error(`serve: ${root} has no index.html; run \`npm run build\` first`);
  process.exit(1);
}

const server = createServer((req, res) => {
  const urlPath = new URL(req.url ?? '/', 'http://localhost').pathname;
  const file = resolveFile(root, urlPath);
  // A directory without its trailing slash: redirect, so relative links resolve as built.
  if (file?.endsWith(`${path.sep}index.html`) && !urlPath.endsWith('/') && !urlPath.endsWith('.html')) {
    res.writeHead(301, { Location: `${urlPath}/` }).end();
    return;
  }
  const status = file ? 200 : 404;
  const served = file ?? path.join(root, '404.html');
  res.writeHead(status, { 'Content-Type': typeOf(served), 'Content-Length': statSync(served).size, 'Cache-Control': 'no-cache' });
  if (req.method === 'HEAD') res.end();
  else createReadStream(served).pipe(res);
});

server.listen(Number(values.port), '127.0.0.1', () => console.log(`Serving ${root} on http://127.0.0.1:${values.port}/`));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => server.close(() => process.exit(0)));
