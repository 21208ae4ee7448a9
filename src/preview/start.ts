// `npm start`: builds the site as a local preview and serves it on one port, which the build bakes
// into the site's own address (CASEBOOK_LOCAL_PREVIEW=1 and PORT: http://localhost:<port>).
// Stopping npm, even with SIGKILL, stops the build and the server (repro/harness/parent.ts).
// Usage: npm start -- [--port 4321] [--no-build] [--root dist]   (--port 0: any free port; default $PORT)
import { parseArgs } from 'node:util';
import { buildPreview } from './build.ts';
import { usageError } from '../../repro/core/errors.ts';
import { freePort, parsePort, runMain, serveSite } from './server.ts';

runMain('npm start', 'npm start -- --help', async () => {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.PORT ?? '4321' },
      build: { type: 'boolean', default: true },
      root: { type: 'string', default: 'dist' },
      help: { type: 'boolean', short: 'h' },
    },
    allowNegative: true,
  });
  if (values.help) {
    console.log(
      'Usage: npm start -- [--port 4321] [--no-build] [--root dist]\n--port 0: any free port; the default is $PORT, else 4321. --root goes with --no-build.',
    );
    return;
  }
  if (values.build && values.root !== 'dist') throw usageError('--root serves a folder as it is; add --no-build');
  // A busy port fails before the build, not after it; port 0 becomes a real one the build can use.
  const port = await freePort(parsePort(values.port));
  if (values.build) {
    console.log(
      `npm start: building the site for http://localhost:${port}/ (a minute or more; its warnings are shown, its page list is not)`,
    );
    await buildPreview(port, { quiet: true });
  }
  await serveSite(values.root, port);
  console.log(`Serving ${values.root} on http://localhost:${port}/ (Ctrl-C stops it)`);
});
