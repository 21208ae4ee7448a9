// The site's view of the reproduction bundles: packed from the working tree and the runs
// collection, once per build.
import { allBundles } from '../bundles/pack.ts';
import { allRuns } from './content.ts';

export async function siteBundles(site: URL | undefined) {
  // The build always has a site (src/integrations/addresses.ts); its href keeps any base path.
  if (!site) throw new Error('siteBundles: the build has no site address; see src/integrations/addresses.ts.');
  return allBundles(await allRuns(), site.href);
}
