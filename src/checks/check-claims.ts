// `npm run check:claims [folder]`: every article's prose (content/articles, or the folder given),
// checked for hand-typed claims about which build has which failure (claims.ts). Prints each as
// "file:line: sentence" and exits 1; exits 0 when there is none.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fromRoot } from '../../repro/harness/paths.ts';
import { findClaims } from './claims.ts';

const dir = path.resolve(process.argv[2] ?? fromRoot('content', 'articles'));
const files = (await readdir(dir)).filter((f) => f.endsWith('.mdx')).sort();
let found = 0;
for (const file of files) {
  for (const { line, sentence } of findClaims(await readFile(path.join(dir, file), 'utf8'))) {
    found++;
    console.error(`${path.relative(process.cwd(), path.join(dir, file))}:${line}: ${sentence}`);
  }
}
if (found > 0) {
  console.error(
    `check:claims: ${found} sentence${found === 1 ? ' says' : 's say'} which build has which failure in typed words: take them from a component (<Stat>, <Ledger…>) or quote a source with <Cite>`,
  );
  process.exit(1);
}
console.log(`check:claims: ${files.length} articles, no hand-typed claim about which build has which failure`);
