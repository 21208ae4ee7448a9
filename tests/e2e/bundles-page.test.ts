// /bundles/ as a reader on a phone uses it: every bundle with its size and checksum, and the first
// command of its README (the quick look, after npm install), in a block whose copy button copies
// exactly that, whose lines never wrap, and with the time the README states for it.
import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { scenarios } from '../../src/scenarios/registry.ts';

const bundled = scenarios.filter((s) => s.bundle).map((s) => s.name);

/** The README inside the served .tar.gz, as a reader unpacks it. */
async function readmeOf(request: import('@playwright/test').APIRequestContext, name: string): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bundles-page-'));
  try {
    const file = path.join(dir, `${name}.tar.gz`);
    writeFileSync(file, await (await request.get(`/bundles/${name}.tar.gz`)).body());
    return execFileSync('tar', ['-xzOf', file, `bun-casebook-${name}/README.md`], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("/bundles/ gives each bundle its size, checksum and its README's first command, copied whole and never wrapped", async ({
  page,
  request,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/bundles/');
  const sums = new Map(
    (await (await request.get('/bundles/SHA256SUMS')).text())
      .trim()
      .split('\n')
      .map((l) => l.split(/\s+/).reverse() as [string, string]),
  );
  expect(bundled.length).toBeGreaterThan(0);
  for (const name of bundled) {
    const box = page.locator(`aside.bundle[aria-label="Reproduction bundle: ${name}"]`);
    for (const file of [`${name}.tar.gz`, `${name}.zip`]) {
      const item = box.locator('li', { hasText: file });
      await expect(item).toContainText(/\(\d+\.\d KiB\)/);
      await expect(item.locator('code.sha')).toHaveText(sums.get(file)!);
    }
    const readme = await readmeOf(request, name);
    const block = /## Run\n\n```sh\n([\s\S]*?)```/.exec(readme)![1]!;
    const [install, quick] = block.split('\n').map((l) => l.replace(/\s+#.*$/, ''));
    const first = box.locator('figure').first();
    const command = `${install} && ${quick}`;
    await expect(first.locator('pre')).toHaveText(command);
    await first.locator('button[data-code]').click({ force: true });
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(command);
    // The time the README's comment gives the quick look is the one the page states.
    const wall = /# the quick look: a verdict for every build \(([^)]+)\)/.exec(block)?.[1];
    expect(wall, `${name}: the README gives the quick look no measured time`).toBeDefined();
    await expect(box).toContainText(`The quick look took ${wall} on a `);
  }
  // Every command block on the page: each line on one row (it scrolls sideways instead of wrapping).
  const rows = await page.locator('main pre').evaluateAll((pres) =>
    pres.flatMap((pre) =>
      [...pre.querySelectorAll('.ec-line')].map((line) => {
        // The rows the line's text occupies: the tops of its text boxes, a few pixels apart at most within a row.
        const tops: number[] = [];
        const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const range = document.createRange();
          range.selectNodeContents(node);
          for (const r of range.getClientRects())
            if (r.width > 0 && !tops.some((t) => Math.abs(t - r.top) < 4)) tops.push(r.top);
        }
        return { text: line.textContent, rows: tops.length };
      }),
    ),
  );
  expect(rows.length).toBeGreaterThan(bundled.length);
  expect(rows.filter((r) => r.rows !== 1)).toEqual([]);
});
