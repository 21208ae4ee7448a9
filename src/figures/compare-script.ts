// The code behind "Compare with your run" (src/client/overlay.ts: zod, Plot, the figure modules and
// compare), bundled apart from the page scripts that Astro builds: a chunk of Astro's build would
// share modules with them (the cite block's date formatting), which would then stop being inlined
// and cost every page with a cite block two requests before any reader reached for the control.
// Served at /scripts/<file> (src/pages/scripts/[file].ts), named by its content for caching.
import { createHash } from 'node:crypto';
import { bundleForBrowser } from '../lib/browser-bundle.ts';

export interface CompareScript {
  /** overlay.<hash>.js */
  file: string;
  href: string;
  code: string;
}

let built: Promise<CompareScript> | undefined;

/** Built once per site build, on first request. */
export function compareScript(): Promise<CompareScript> {
  built ??= bundleForBrowser('src/client/overlay.ts').then((code) => {
    const file = `overlay.${createHash('sha256').update(code).digest('hex').slice(0, 12)}.js`;
    return { file, href: `/scripts/${file}`, code };
  });
  return built;
}
