// The live page inside someone else's page: the site's "Run the harness in your browser" runs
// `--replay --live` in a WebContainer and shows the page in a frame. Without this the page refuses
// every frame (frame-ancestors 'none', X-Frame-Options: DENY) and every Host but 127.0.0.1:<port>.
// No Node imports: the site's page script imports the variable's name from here.

/** Set to the embedding page's origin (e.g. https://casebook.example) to let that origin frame the live page. */
export const LIVE_EMBEDDER_ENV = 'CASEBOOK_LIVE_EMBEDDER';

/** The origin named by the variable, or null when unset; anything but a bare http(s) origin is refused. */
export function embedderOrigin(value: string | undefined): string | null {
  if (value === undefined || value === '') return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${LIVE_EMBEDDER_ENV} must be an origin such as https://example.org, not "${value}"`);
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.origin !== value.replace(/\/$/, '')) {
    throw new Error(`${LIVE_EMBEDDER_ENV} must be an origin such as https://example.org, not "${value}"`);
  }
  return url.origin;
}

/**
 * The Host header a request may carry, for the live server and the site preview (src/preview/). On a
 * machine, only this server's own addresses: a page on
 * another origin cannot then reach 127.0.0.1 through a name it controls (DNS rebinding). In a
 * WebContainer the requests come through StackBlitz's preview host, whose name the harness does not
 * know, and no other page can reach the container's network, so any Host is answered there.
 */
export function hostAllowed(host: string, port: number, inWebContainer: boolean): boolean {
  if (inWebContainer) return true;
  const name = host.toLowerCase();
  // A browser leaves the port out of Host when it is the scheme's default.
  return LOOPBACK_NAMES.some((loopback) => name === `${loopback}:${port}` || (port === 80 && name === loopback));
}

/** The names of this machine a local server (bound to 127.0.0.1) answers to. */
const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/** Whether this Node is the one a WebContainer runs (it names itself in process.versions). */
export function inWebContainer(versions: Record<string, string | undefined>): boolean {
  return versions.webcontainer !== undefined;
}
