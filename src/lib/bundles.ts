// The site's view of the reproduction bundles: packed from the working tree and the runs
// collection, once per build.
import { browserBundle, type BrowserBundle } from '../bundles/browser.ts';
import { allBundles } from '../bundles/pack.ts';
import { allRuns } from './content.ts';

export async function siteBundles(site: URL | undefined) {
  // The build always has a site (src/integrations/addresses.ts); its href keeps any base path.
  if (!site) throw new Error('siteBundles: the build has no site address; see src/integrations/addresses.ts.');
  return allBundles(await allRuns(), site.href);
}

const browserCache = new Map<string, BrowserBundle>();

/** A scenario's files as the WebContainer page mounts them (src/bundles/browser.ts), once per build. */
export async function siteBrowserBundle(site: URL | undefined, scenario: string): Promise<BrowserBundle> {
  if (!site) throw new Error('siteBrowserBundle: the build has no site address; see src/integrations/addresses.ts.');
  if (!browserCache.has(scenario))
    browserCache.set(scenario, browserBundle(scenario, process.cwd(), await allRuns(), site.href));
  return browserCache.get(scenario)!;
}
