// The site's security headers, defined once. The build writes them to dist/_headers (the file
// Netlify and Cloudflare Pages read) and the preview server sends what that file says, so the
// policy a reader gets from a static host is the one the e2e tests ran against.

/** SHA-256 source expressions ("sha256-…") for the inline code the built pages carry. */
export interface InlineHashes {
  /** Inline <script> elements. */
  scripts: string[];
  /** Inline <style> elements. */
  styles: string[];
  /** style="…" attribute values (Expressive Code colours each token with one). */
  styleAttributes: string[];
}

export const NO_INLINE_CODE: InlineHashes = { scripts: [], styles: [], styleAttributes: [] };

const quoted = (hashes: string[]) => [...new Set(hashes)].sort().map((h) => `'${h}'`);

/** The Content-Security-Policy for every page: own-origin resources, and inline code only by hash. */
function contentSecurityPolicy(hashes: InlineHashes): string {
  const attributeHashes = quoted(hashes.styleAttributes);
  return [
    "default-src 'self'",
    // Pagefind compiles its WebAssembly search engine on /search/; 'wasm-unsafe-eval' allows that
    // and nothing else (no eval of JavaScript).
    ["script-src 'self' 'wasm-unsafe-eval'", ...quoted(hashes.scripts)].join(' '),
    // 'unsafe-hashes' lets exactly the hashed style="" values through. It sits in style-src, not
    // style-src-attr, because browsers without style-src-attr fall back to style-src.
    [
      "style-src 'self'",
      ...(attributeHashes.length > 0 ? ["'unsafe-hashes'"] : []),
      ...quoted([...hashes.styles, ...hashes.styleAttributes]),
    ].join(' '),
    // Expressive Code's copy button and Pagefind's search box draw their icons as data: SVGs in CSS.
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * The one page that runs the harness in a WebContainer (src/pages/browser/index.astro). It alone is
 * cross-origin isolated, which WebContainer needs (SharedArrayBuffer), and it alone may frame
 * StackBlitz's runtime and the container's preview: isolation would stop every other page from
 * embedding or opening cross-origin content that does not opt in, and no other page needs it.
 */
export const ISOLATED_PAGE = '/browser/';

/**
 * Where WebContainer runs: stackblitz.com serves the runtime (an invisible frame, /headless), and the
 * container's servers are shown from subdomains of webcontainer-api.io (older releases:
 * webcontainer.io). A CSP `*.` matches subdomains at any depth.
 */
export const WEBCONTAINER_ORIGINS = [
  'https://stackblitz.com',
  'https://*.webcontainer-api.io',
  'https://*.webcontainer.io',
];

/** The site's policy, plus frames of and connections to WebContainer's origins. */
function isolatedPagePolicy(hashes: InlineHashes): string {
  return [
    contentSecurityPolicy(hashes),
    `frame-src 'self' ${WEBCONTAINER_ORIGINS.join(' ')}`,
    `connect-src 'self' ${WEBCONTAINER_ORIGINS.join(' ')}`,
  ].join('; ');
}

/** The isolated page's headers: the site's, with its own policy and COOP/COEP. */
function isolatedPageHeaders(hashes: InlineHashes): Record<string, string> {
  return {
    ...securityHeaders(hashes),
    'Content-Security-Policy': isolatedPagePolicy(hashes),
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
  };
}

/** Every response's security headers, for a site whose inline code has these hashes. */
export function securityHeaders(hashes: InlineHashes): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(hashes),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    // For browsers that predate frame-ancestors.
    'X-Frame-Options': 'DENY',
  };
}

// Directives a <meta> policy may not carry: browsers ignore them there and log an error.
const HEADER_ONLY_DIRECTIVES = ['frame-ancestors', 'report-uri', 'sandbox'];

/** The policy as a <meta http-equiv> can state it, for hosts that ignore _headers. */
export function metaPolicy(policy: string): string {
  return policy
    .split(';')
    .map((d) => d.trim())
    .filter((d) => d && !HEADER_ONLY_DIRECTIVES.includes(d.split(/\s+/)[0]))
    .join('; ');
}

// The _headers format (Netlify, Cloudflare Pages): a URL pattern at the start of a line, its headers
// indented below it as "Name: value", "! Name" to detach a header an earlier rule set (Cloudflare),
// "#" comments. Every rule whose pattern matches a path applies, in order.
const EVERY_PATH = '/*';

export interface HeaderRule {
  pattern: string;
  headers: Record<string, string>;
  /** Headers an earlier matching rule set that this rule removes. */
  detach?: string[];
}

/** The site's rules: every path, then the isolated page, whose policy replaces (not joins) the site's. */
export function siteHeaderRules(hashes: InlineHashes): HeaderRule[] {
  const isolated = isolatedPageHeaders(hashes);
  const site = securityHeaders(hashes);
  const changed = Object.fromEntries(Object.entries(isolated).filter(([name, value]) => site[name] !== value));
  return [
    { pattern: EVERY_PATH, headers: site },
    { pattern: ISOLATED_PAGE, headers: changed, detach: Object.keys(changed).filter((name) => name in site) },
  ];
}

export function toHeadersFile(rules: HeaderRule[] | Record<string, string>, comment: string): string {
  const list = Array.isArray(rules) ? rules : [{ pattern: EVERY_PATH, headers: rules }];
  const blocks = list.map(({ pattern, headers, detach = [] }) =>
    [
      pattern,
      ...detach.map((name) => `  ! ${name}`),
      ...Object.entries(headers).map(([name, value]) => `  ${name}: ${value}`),
    ].join('\n'),
  );
  return `# ${comment}\n${blocks.join('\n')}\n`;
}

export function parseHeadersFile(text: string): HeaderRule[] {
  const rules: HeaderRule[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      rules.push({ pattern: line.trim(), headers: {}, detach: [] });
      continue;
    }
    const rule = rules.at(-1);
    if (!rule) continue;
    const detached = /^\s*!\s*(\S+)\s*$/.exec(line);
    if (detached) {
      rule.detach!.push(detached[1]!);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon > 0) rule.headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return rules;
}

/** Whether a _headers pattern matches a URL path: literal, with "*" standing for any run of characters. */
function matches(pattern: string, urlPath: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return regex.test(urlPath);
}

/** The headers a _headers file gives a URL path: each matching rule in order, detaching then setting. */
export function headersForPath(rules: readonly HeaderRule[], urlPath: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const rule of rules) {
    if (!matches(rule.pattern, urlPath)) continue;
    for (const name of rule.detach ?? []) delete headers[name];
    Object.assign(headers, rule.headers);
  }
  return headers;
}

/** The headers of the rule for every path ("/*") in a _headers file. */
export function fromHeadersFile(text: string): Record<string, string> {
  return parseHeadersFile(text).find((r) => r.pattern === EVERY_PATH)?.headers ?? {};
}
