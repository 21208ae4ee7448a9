// The preview server (src/preview/serve.ts) run as `npm start` runs it, against a small site in a
// temporary folder, spoken to over raw TCP (tests/raw-http.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { securityHeaders, toHeadersFile } from '../../../src/integrations/security-headers.ts';
import { rawRequest, type RawResponse } from '../../raw-http.ts';

const repo = path.resolve(import.meta.dirname, '../../..');
const work = mkdtempSync(path.join(tmpdir(), 'preview-server-'));
const site = path.join(work, 'dist');
const bundle = gzipSync(Buffer.from('a reproduction bundle'));
const headersFile = securityHeaders({ scripts: ['sha256-AAAA'], styles: [], styleAttributes: [] });

function writeSite() {
  const files: Record<string, string | Buffer> = {
    'index.html': '<!doctype html><title>home</title><h1>Home</h1>',
    '404.html': '<!doctype html><title>404</title><h1>Not found</h1>',
    'search/index.html': '<!doctype html><title>search</title><h1>Search</h1>',
    // A directory named like a host: "//evil.com" must not become "Location: //evil.com/".
    'evil.com/index.html': '<!doctype html><title>evil</title>',
    'bundles/s3-leak.tar.gz': bundle,
    _headers: toHeadersFile(headersFile, 'test site'),
  };
  for (const [name, body] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(site, name)), { recursive: true });
    writeFileSync(path.join(site, name), body);
  }
  // Outside the root, reachable only by climbing out of it or through a symlink.
  writeFileSync(path.join(work, 'secret.txt'), 'secret');
  symlinkSync(path.join(work, 'secret.txt'), path.join(site, 'link.txt'));
}

let server: ChildProcess;
let port: number;

beforeAll(async () => {
  writeSite();
  server = spawn(process.execPath, [path.join(repo, 'src/preview/serve.ts'), '--port', '0', '--root', site], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  port = await new Promise<number>((resolve, reject) => {
    let out = '';
    server.stdout!.on('data', (chunk) => {
      out += chunk;
      const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
      if (m) resolve(Number(m[1]));
    });
    server.on('exit', (code) => reject(new Error(`serve.ts exited with ${code} before listening`)));
  });
});

afterAll(() => {
  server?.kill();
  rmSync(work, { recursive: true, force: true });
});

/** Sends the request target byte for byte, as a hostile client could. */
function raw(method: string, target: string, extraHeaders = ''): Promise<RawResponse> {
  return rawRequest(port, method, target, { extraHeaders });
}

function expectSecurityHeaders(res: RawResponse) {
  expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
  expect(res.headers['x-frame-options']).toBe('DENY');
}

describe('malformed URLs', () => {
  test.each(['/%', '/%E0%A4%A', '/index.html%00.png', '/%00', '/a%0d%0aSet-Cookie:%20x=1'])(
    '%s gets 400 and the server keeps answering',
    async (target) => {
      const bad = await raw('GET', target);
      expect(bad.status).toBe(400);
      expect(bad.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(bad.headers['set-cookie']).toBeUndefined();
      expect((await raw('GET', '/')).status).toBe(200);
    },
  );
});

describe('redirects stay on the origin', () => {
  test.each([
    ['/.//evil.com/..%2Fsearch', '/search/'],
    ['//evil.com', '/evil.com/'],
    ['/%2F%2Fevil.com', '/evil.com/'],
    ['/%2F/evil.com', '/evil.com/'],
    ['///evil.com', '/evil.com/'],
    ['/./evil.com', '/evil.com/'],
    ['/search', '/search/'],
    ['/search?q=bun', '/search/?q=bun'],
  ])('%s redirects to %s', async (target, location) => {
    const res = await raw('GET', target);
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe(location);
  });

  // The first seven are what the old server answered with "Location: //evil.com/…".
  test.each([
    '/.//evil.com',
    '/./\\evil.com',
    '/.\\/evil.com',
    '/.//evil.com/..%2Fsearch',
    '/..//evil.com',
    '/x/..//evil.com',
    '/.///evil.com',
    '//evil.com',
    '/\\evil.com',
    '/%2F%2Fevil.com',
    '/%5Cevil.com',
    '/%5C%5Cevil.com',
    '/%09/evil.com',
    'http://evil.com/search',
  ])('%s gets no Location off the origin', async (target) => {
    const res = await raw('GET', target);
    expect([200, 301, 400, 404]).toContain(res.status);
    if (res.headers.location !== undefined) expect(res.headers.location).toMatch(/^\/(?![/\\])/);
  });
});

describe('methods', () => {
  test.each(['POST', 'PUT', 'DELETE', 'TRACE', 'OPTIONS', 'PATCH'])(
    '%s gets 405 with Allow: GET, HEAD',
    async (method) => {
      const res = await raw(method, '/');
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe('GET, HEAD');
      expectSecurityHeaders(res);
    },
  );

  test('HEAD gets the headers of GET and no body', async () => {
    const [get, head] = [await raw('GET', '/'), await raw('HEAD', '/')];
    expect(head.status).toBe(200);
    expect(head.headers['content-type']).toBe(get.headers['content-type']);
    expect(head.headers['content-length']).toBe(String(get.body.length));
    expect(head.body.length).toBe(0);
  });
});

describe('files', () => {
  test('a .tar.gz bundle is served byte for byte, as application/gzip, with no Content-Encoding', async () => {
    const res = await raw('GET', '/bundles/s3-leak.tar.gz');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/gzip');
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.body.equals(bundle)).toBe(true);
  });

  test('pages go out gzipped to a client that accepts it, byte for byte once unpacked; the bundle never does', async () => {
    const plainPage = await raw('GET', '/search/');
    const packed = await raw('GET', '/search/', 'Accept-Encoding: gzip, br\r\n');
    expect(packed.headers['content-encoding']).toBe('gzip');
    expect(packed.headers.vary).toBe('Accept-Encoding');
    expect(packed.headers['content-length']).toBe(String(packed.body.length));
    expect(gunzipSync(packed.body).equals(plainPage.body)).toBe(true);
    expectSecurityHeaders(packed);
    // Refused with q=0: sent as it is.
    expect((await raw('GET', '/search/', 'Accept-Encoding: gzip;q=0\r\n')).headers['content-encoding']).toBeUndefined();
    const archive = await raw('GET', '/bundles/s3-leak.tar.gz', 'Accept-Encoding: gzip\r\n');
    expect(archive.headers['content-encoding']).toBeUndefined();
    expect(archive.body.equals(bundle)).toBe(true);
  });

  test('a missing file gets the 404 page', async () => {
    const res = await raw('GET', '/no/such/page/');
    expect(res.status).toBe(404);
    expect(res.body.toString()).toContain('<h1>Not found</h1>');
  });

  test.each(['/../secret.txt', '/%2e%2e/secret.txt', '/..%2Fsecret.txt', '/search/../../secret.txt', '/link.txt'])(
    '%s does not reach outside the root',
    async (target) => {
      const res = await raw('GET', target);
      expect([400, 404]).toContain(res.status);
      expect(res.body.toString()).not.toContain('secret');
    },
  );
});

describe('security headers', () => {
  test.each([
    ['200', 'GET', '/'],
    ['200 (bundle)', 'GET', '/bundles/s3-leak.tar.gz'],
    ['301', 'GET', '/search'],
    ['400', 'GET', '/%'],
    ['404', 'GET', '/missing'],
    ['405', 'POST', '/'],
  ])('on a %s response', async (_, method, target) => {
    expectSecurityHeaders(await raw(method, target));
  });

  test('the policy is the one dist/_headers states', async () => {
    const res = await raw('GET', '/');
    expect(res.headers['content-security-policy']).toBe(headersFile['Content-Security-Policy']);
    expect(res.headers['content-security-policy']).toContain("'sha256-AAAA'");
  });
});

describe('only its own address, and Node’s own answers with the headers (issue 19, item 12)', () => {
  test.each(['attacker.example', 'attacker.example:<port>', '127.0.0.2:<port>', 'localhost.attacker.example:<port>'])(
    'Host %s (DNS rebinding) gets 421',
    async (host) => {
      const res = await rawRequest(port, 'GET', '/', { host: host.replace('<port>', String(port)) });
      expect(res.status).toBe(421);
      expect(res.body.toString()).not.toContain('Home');
      expectSecurityHeaders(res);
    },
  );

  test.each(['127.0.0.1', 'localhost', 'LOCALHOST', '[::1]'])('Host %s:<port> is served', async (name) => {
    expect((await rawRequest(port, 'GET', '/', { host: `${name}:${port}` })).status).toBe(200);
  });

  test('400 for a header line Node cannot parse, with the site’s headers', async () => {
    const res = await raw('GET', '/', 'this is not a header\r\n');
    expect(res.status).toBe(400);
    expectSecurityHeaders(res);
  });

  test('431 for headers over Node’s limit, with the site’s headers', async () => {
    const res = await raw('GET', '/', `X-Big: ${'a'.repeat(20_000)}\r\n`);
    expect(res.status).toBe(431);
    expectSecurityHeaders(res);
    expect((await raw('GET', '/')).status).toBe(200);
  });
});
