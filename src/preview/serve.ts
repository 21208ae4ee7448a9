// Serves the built site (dist/) on 127.0.0.1. Used by `npm start` and the e2e tests instead of
// `astro preview`, whose static server marks every *.gz file "Content-Encoding: gzip": browsers
// then unpack /bundles/<scenario>.tar.gz on download and its SHA-256 no longer matches.
// What it answers, and why, is in static-site.ts.
// Usage: node src/preview/serve.ts [--port 4321] [--root dist]   (--port 0: any free port)
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { staticSite } from './static-site.ts';

const { values } = parseArgs({ options: { port: { type: 'string', default: '4321' }, root: { type: 'string', default: 'dist' } } });
const root = path.resolve(values.root);
if (!existsSync(path.join(root, 'index.html'))) {
  console.error(`serve: ${root} has no index.html; run \`npm run build\` first`);
  process.exit(1);
}

const server = createServer(staticSite(root));
server.listen(Number(values.port), '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(`Serving ${root} on http://127.0.0.1:${port}/`);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => server.close(() => process.exit(0)));
