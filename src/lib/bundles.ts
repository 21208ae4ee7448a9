// The site's view of the reproduction bundles: packed from the working tree and the runs
// collection, once per build.
import { allBundles } from '../bundles/pack.ts';
import { allRuns } from './content.ts';

export async function siteBundles(site: URL | undefined) {
  return allBundles(await allRuns(), site?.origin ?? 'the Bun Rewrite Casebook');
}
