// The live page's script is generated from the site's figure modules and committed (a bundle has no
// build step): it must be what `npm run live:client` builds from the sources as they are now.
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { lineShades } from '../../../src/figures/palette.ts';
import { buildClient, CLIENT_OUT, paletteCss, PALETTE_OUT } from '../../../src/live/build-client.ts';

test('repro/harness/live/client.js is up to date with src/live and src/figures (npm run live:client)', async () => {
  const committed = readFileSync(CLIENT_OUT, 'utf8');
  expect(committed === (await buildClient()), 'run `npm run live:client` and commit repro/harness/live/client.js').toBe(
    true,
  );
});

test('the script carries no copy of a figure: it is built from src/figures, and only English of zod', async () => {
  const text = readFileSync(CLIENT_OUT, 'utf8');
  // Titles of the figure modules, which the page takes from them, not from a copy.
  for (const title of ['Resident memory per S3 read, by Bun build', 'One repetition after resume, on a time axis'])
    expect(text).toContain(title);
  expect(text).not.toContain('jsdom');
  expect(Buffer.byteLength(text)).toBeLessThan(600 * 1024);
});

test('repro/harness/live/palette.css is up to date, and gives every build shade its light and dark colour', () => {
  const committed = readFileSync(PALETTE_OUT, 'utf8');
  expect(committed === paletteCss(), 'run `npm run live:client` and commit repro/harness/live/palette.css').toBe(true);
  for (const { light, dark } of Object.values(lineShades).flat())
    expect(committed).toContain(`light-dark(${light}, ${dark})`);
  expect(committed).toContain('.fig-stroke-rust-2 {');
});
