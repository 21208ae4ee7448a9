// Turns an HTTP request target into a decoded, normalised URL path, or says why it cannot. Both local
// servers (the site preview, src/preview/; the live page, live/server.ts) answer 400 to anything that
// fails here rather than guessing what was meant, and never let a bad target throw.
import path from 'node:path';

export type RequestPath =
  | {
      ok: true /** Decoded, starts with exactly one "/", no ".", ".." or empty segments. */;
      path: string /** "?…" or "". */;
      query: string;
    }
  | { ok: false; reason: string };

export function parseRequestTarget(target: string): RequestPath {
  // Origin-form only ("/a/b?c"). Absolute-form ("http://host/…") and "*" are for proxies and OPTIONS.
  if (!target.startsWith('/')) return { ok: false, reason: 'the request target is not a path' };
  const q = target.indexOf('?');
  const rawPath = q === -1 ? target : target.slice(0, q);
  const query = q === -1 ? '' : target.slice(q);
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return { ok: false, reason: 'bad percent-encoding' };
  }
  // NUL and control characters name no file here. A backslash is a path separator to browsers, so
  // a redirect to "/\evil.com/" would leave the site.
  if (/[\x00-\x1f\x7f\\]/.test(decoded)) return { ok: false, reason: 'a control character or backslash in the path' };
  // Normalising an absolute POSIX path folds "//", "." and "..", and ".." cannot climb above "/".
  // Decoding first means "%2F" and "%2E%2E" are folded too.
  const normal = path.posix.normalize(decoded);
  if (!normal.startsWith('/') || normal.startsWith('//')) return { ok: false, reason: 'the path does not normalise' };
  // The query only travels on into a redirect; anything but printable ASCII is dropped.
  return { ok: true, path: normal, query: /^[\x21-\x7e]*$/.test(query) ? query : '' };
}

/**
 * Where to send a request for a directory without its trailing slash: the normalised path plus "/",
 * each segment re-encoded. Undefined unless it is a path on this origin (one "/", then not "/" or "\").
 */
export function directoryRedirect(request: { path: string; query: string }): string | undefined {
  const location = `${request.path.split('/').map(encodeURIComponent).join('/')}/${request.query}`;
  return /^\/(?![/\\])/.test(location) ? location : undefined;
}
