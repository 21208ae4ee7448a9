// Serves the built site (dist/) on 127.0.0.1. Used by `npm start` and the e2e tests instead of
// `astro preview`, whose static server marks every *.gz file "Content-Encoding: gzip": browsers
// then unpack /bundles/<scenario>.tar.gz on download and its SHA-256 no longer matches.
// What it answers, and why, is in static-site.ts.
// Usage: npm run preview -- [--port 4321] [--root dist] [--help]   (--port 0: any free port)
import path from 'node:path';
import { parseArgs } from 'node:util';
import { HOST, parsePort, runMain, serveSite } from './server.ts';

runMain('npm run preview', 'npm run preview -- --help', async () => {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '4321' },
      root: { type: 'string', default: 'dist' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log('Usage: npm run preview -- [--port 4321] [--root dist]\n--port 0: any free port.');
    return;
  }
  const port = await serveSite(values.root, parsePort(values.port));
  console.log(`Serving ${path.resolve(values.root)} on http://${HOST}:${port}/`);
});
