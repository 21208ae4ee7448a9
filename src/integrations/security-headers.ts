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
export function contentSecurityPolicy(hashes: InlineHashes): string {
  const attributeHashes = quoted(hashes.styleAttributes);
  return [
    "default-src 'self'",
    // Pagefind compiles its WebAssembly search engine on /search/; 'wasm-unsafe-eval' allows that
    // and nothing else (no eval of JavaScript).
    ["script-src 'self' 'wasm-unsafe-eval'", ...quoted(hashes.scripts)].join(' '),
    // 'unsafe-hashes' lets exactly the hashed style="" values through. It sits in style-src, not
    // style-src-attr, because browsers without style-src-attr fall back to style-src.
    ["style-src 'self'", ...(attributeHashes.length > 0 ? ["'unsafe-hashes'"] : []), ...quoted([...hashes.styles, ...hashes.styleAttributes])].join(' '),
    // Expressive Code's copy button and Pagefind's search box draw their icons as data: SVGs in CSS.
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
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

// The _headers format: a URL pattern at the start of a line, its headers indented below it as
// "Name: value", "#" comments. The site uses a single rule for every path.
const EVERY_PATH = '/*';

export function toHeadersFile(headers: Record<string, string>, comment: string): string {
  const lines = Object.entries(headers).map(([name, value]) => `  ${name}: ${value}`);
  return `# ${comment}\n${EVERY_PATH}\n${lines.join('\n')}\n`;
}

/** The headers of the rule for every path ("/*") in a _headers file. */
export function fromHeadersFile(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  let pattern: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      pattern = line.trim();
      continue;
    }
    const colon = line.indexOf(':');
    if (pattern === EVERY_PATH && colon > 0) headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return headers;
}
