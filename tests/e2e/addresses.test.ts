// The site cites itself from the address it is served at (the e2e build is given the test server's
// address as SITE_URL): every canonical link and sitemap entry resolves, robots.txt names the sitemap
// absolutely, CITATION.cff is dated from the content and names the repository, the footer links the
// repository, and every article can be cited.
import { expect, test } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { builtPages, committedRecords, E2E_REPOSITORY_URL, root } from './site.ts';

const pages = builtPages();

test('every canonical link is on this site and resolves with 200; /404.html has none and is noindex', async ({
  page,
  request,
  baseURL,
}) => {
  // The link is in the HTML's head: each page is fetched and parsed by the browser's HTML parser
  // (DOMParser), as a crawler reads it, with nothing to run or lay out.
  for (const p of pages) {
    const response = await request.get(p);
    expect(response.status(), p).toBe(200);
    const head = await page.evaluate(
      (html) => {
        const doc = new DOMParser().parseFromString(html, 'text/html');
        return {
          canonical: [...doc.querySelectorAll('link[rel="canonical"]')].map((l) => l.getAttribute('href')),
          robots: doc.querySelector('meta[name="robots"]')?.getAttribute('content') ?? '',
        };
      },
      await response.text(),
    );
    if (p === '/404.html') {
      expect(head.canonical, p).toEqual([]);
      expect(head.robots, p).toMatch(/noindex/);
    } else {
      expect(head.canonical, p).toHaveLength(1);
      const href = head.canonical[0]!;
      expect(href.startsWith(`${baseURL}/`), `${p}: ${href}`).toBe(true);
      expect((await request.get(href, { maxRedirects: 0 })).status(), href).toBe(200);
    }
  }
});

test('robots.txt names the sitemap by its absolute URL, and every sitemap URL resolves', async ({
  request,
  baseURL,
}) => {
  const robots = await (await request.get('/robots.txt')).text();
  const sitemap = /^Sitemap: (\S+)$/m.exec(robots)?.[1];
  expect(sitemap).toBe(`${baseURL}/sitemap-index.xml`);
  const index = await (await request.get(sitemap!)).text();
  const maps = [...index.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
  expect(maps.length).toBeGreaterThan(0);
  for (const map of maps) {
    const urls = [...(await (await request.get(map)).text()).matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
    expect(urls).toContain(`${baseURL}/articles/s3-read-leak/`);
    for (const url of urls) expect((await request.get(url, { maxRedirects: 0 })).status(), url).toBe(200);
  }
});

test('CITATION.cff is dated by the newest record or article and names the site and the repository, which the footer links', async ({
  page,
  request,
  baseURL,
}) => {
  const cff = await (await request.get('/CITATION.cff')).text();
  const articleDates = readdirSync(path.join(root, 'content/articles')).flatMap((f) =>
    [
      ...readFileSync(path.join(root, 'content/articles', f), 'utf8').matchAll(
        /^(?:published|updated):\s*["']?(\d{4}-\d{2}-\d{2})/gm,
      ),
    ].map((m) => m[1]),
  );
  const newest = [...committedRecords().map((r) => r.endedAt.slice(0, 10)), ...articleDates].sort().at(-1);
  expect(cff).toMatch(new RegExp(`^date-released: "${newest}"$`, 'm'));
  expect(cff).toMatch(new RegExp(`^url: "${baseURL}/"$`, 'm'));
  expect(cff).toContain(`repository-code: "${E2E_REPOSITORY_URL}"`);
  await page.goto('/');
  await expect(page.locator('footer a', { hasText: 'Source repository' })).toHaveAttribute('href', E2E_REPOSITORY_URL);
});

for (const p of pages.filter((p) => p.startsWith('/articles/'))) {
  test(`${p}: "Cite this article" in text, BibTeX and CSL-JSON, from the page's own address`, async ({
    page,
    baseURL,
  }) => {
    await page.goto(p);
    const title = (await page.locator('h1').first().textContent())!.trim();
    const block = page.locator('details.cite-block[data-cite="article"]');
    await expect(block.locator('summary')).toHaveText('Cite this article');
    await block.locator('summary').click();
    const url = `${baseURL}${p}`;
    const plain = (await block.locator('pre[data-citation="plain"]').textContent())!;
    expect(plain).toMatch(/^Bun Rewrite Casebook contributors\. \(\d{4}, [A-Z][a-z]+ \d{1,2}\)\. /);
    expect(plain).toContain(title);
    expect(plain.endsWith(`from ${url}`)).toBe(true);
    expect(await block.locator('pre[data-citation="bibtex"]').textContent()).toContain(`url = {${url}}`);
    const [csl] = JSON.parse((await block.locator('pre[data-citation="csl"]').textContent())!);
    expect(csl).toMatchObject({ type: 'webpage', title, URL: url });
    // Figure citations on the page name this article.
    for (const figurePlain of await page
      .locator('details.cite-block[data-cite="figure"] pre[data-citation="plain"]')
      .allTextContents()) {
      expect(figurePlain).toContain(`In "${title}", Bun Rewrite Casebook`);
      expect(figurePlain).toContain(`${url}#fig-`);
    }
  });
}
