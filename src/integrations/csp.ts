// Gives the built site a Content-Security-Policy at the end of `astro build`: hashes every inline
// <script>, <style> and style="" in dist/**/*.html and *.svg, writes the policy with the other
// security headers to dist/_headers, and puts it in each page's <meta http-equiv> as well.
//
// Not Astro's own `security.csp`: it hashes only the scripts and styles Astro bundles, so it misses
// the figures' inline SVG <style>, the is:inline script on /search/ and Expressive Code's style=""
// token colours; and without an adapter it can only write <meta>, which cannot carry frame-ancestors.
import type { AstroIntegration } from 'astro';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, type DefaultTreeAdapterTypes } from 'parse5';
import { headersForPath, metaPolicy, siteHeaderRules, toHeadersFile, type InlineHashes } from './security-headers.ts';

// Cloudflare Pages documents this as the longest _headers line it accepts.
const MAX_HEADER_LINE = 2000;

export function csp(): AstroIntegration {
  return {
    name: 'casebook-csp',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const site = fileURLToPath(dir);
        const files = readdirSync(site, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(html|svg)$/.test(f));
        const hashes = await inlineHashes(files.map((f) => path.join(site, f)));
        const rules = siteHeaderRules(hashes);
        writeFileSync(
          path.join(site, '_headers'),
          toHeadersFile(rules, 'Written by src/integrations/csp.ts at the end of the build.'),
        );
        const pages = files.filter((f) => f.endsWith('.html'));
        // Each page's <meta> states the policy its path gets from _headers (one page has its own).
        for (const page of pages)
          addMetaPolicy(
            path.join(site, page),
            metaPolicy(headersForPath(rules, urlPathOf(page))['Content-Security-Policy']!),
          );
        const longest = Math.max(
          ...rules.flatMap((r) => Object.entries(r.headers)).map(([k, v]) => k.length + v.length + 4),
        );
        if (longest > MAX_HEADER_LINE)
          logger.warn(`a _headers line is ${longest} characters, over Cloudflare Pages' limit of ${MAX_HEADER_LINE}`);
        logger.info(
          `hashed ${hashes.scripts.length} inline scripts, ${hashes.styles.length} styles, ${hashes.styleAttributes.length} style attributes; policy in _headers and ${pages.length} pages`,
        );
      },
    },
  };
}

/** The URL path a built page is served at: "browser/index.html" → "/browser/". */
function urlPathOf(file: string): string {
  const posix = `/${file.split(path.sep).join('/')}`;
  return posix.endsWith('/index.html') ? posix.slice(0, -'index.html'.length) : posix;
}

/** What a browser hashes: the UTF-8 bytes of the element's text, or of the attribute's value. */
function sha256(text: string): string {
  return `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;
}

async function inlineHashes(files: string[]): Promise<InlineHashes> {
  const scripts = new Set<string>();
  const styles = new Set<string>();
  const styleAttributes = new Set<string>();
  const found: InlineFound = {
    script: (text) => scripts.add(sha256(text)),
    style: (text) => styles.add(sha256(text)),
    styleAttribute: (value) => styleAttributes.add(sha256(value)),
  };
  const svgs = files.filter((f) => f.endsWith('.svg'));
  for (const file of files) if (!file.endsWith('.svg')) inlineInHtml(readFileSync(file, 'utf8'), found);
  if (svgs.length > 0) await inlineInSvgs(svgs, found);
  return { scripts: [...scripts], styles: [...styles], styleAttributes: [...styleAttributes] };
}

interface InlineFound {
  script(text: string): void;
  style(text: string): void;
  styleAttribute(value: string): void;
}

/**
 * A page, through parse5: the HTML parser browsers follow (and jsdom uses), so text and attribute
 * values are as the browser hashes them (entities decoded). Its tree alone, not a DOM: a DOM of every
 * page was most of this step's 4 s.
 */
function inlineInHtml(html: string, found: InlineFound): void {
  const visit = (node: DefaultTreeAdapterTypes.ParentNode) => {
    for (const child of node.childNodes) {
      if (!('tagName' in child)) continue;
      const attribute = (name: string) => child.attrs.find((a) => a.name === name && !a.prefix)?.value;
      if (child.tagName === 'script' && attribute('src') === undefined) found.script(textContent(child));
      if (child.tagName === 'style') found.style(textContent(child));
      const style = attribute('style');
      if (style !== undefined) found.styleAttribute(style);
      visit(child);
    }
  };
  visit(parse(html));
}

/** An element's textContent: its descendants' text, in order (a <template>'s content is not among them). */
function textContent(element: DefaultTreeAdapterTypes.Element): string {
  return element.childNodes
    .map((n) =>
      'tagName' in n ? textContent(n) : n.nodeName === '#text' ? (n as DefaultTreeAdapterTypes.TextNode).value : '',
    )
    .join('');
}

/** Standalone SVG files, as XML (which no HTML parser reads the same), through jsdom. */
async function inlineInSvgs(files: string[], found: InlineFound): Promise<void> {
  const { JSDOM, VirtualConsole } = await import('jsdom');
  for (const file of files) {
    const { document } = new JSDOM(readFileSync(file, 'utf8'), {
      contentType: 'image/svg+xml',
      virtualConsole: new VirtualConsole(),
    }).window;
    for (const s of document.querySelectorAll('script:not([src])')) found.script(s.textContent ?? '');
    for (const s of document.querySelectorAll('style')) found.style(s.textContent ?? '');
    for (const e of document.querySelectorAll('[style]')) found.styleAttribute(e.getAttribute('style') ?? '');
  }
}

/** Inserts the policy right after <meta charset>, so the charset stays in the first 1024 bytes and the policy precedes every script and style. */
function addMetaPolicy(file: string, policy: string): void {
  const html = readFileSync(file, 'utf8');
  const anchor = /<meta charset="[^"]*"\s*\/?>/i.exec(html) ?? /<head>/i.exec(html);
  if (!anchor) throw new Error(`${file}: no <head> to put the Content-Security-Policy in`);
  const at = anchor.index + anchor[0].length;
  const meta = `<meta http-equiv="Content-Security-Policy" content="${policy.replaceAll('&', '&amp;').replaceAll('"', '&quot;')}">`;
  writeFileSync(file, html.slice(0, at) + meta + html.slice(at));
}
