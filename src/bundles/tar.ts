// A deterministic ustar writer: entries sorted by path, fixed mtime, uid/gid 0, fixed modes, so
// the same files always give the same bytes (and the same SHA-256). gzip via zlib adds no
// timestamp of its own.
import { gzipSync } from 'node:zlib';

export interface ArchiveEntry {
  /** Path inside the archive, forward slashes. */
  path: string;
  data: Uint8Array;
  executable?: boolean;
}

/** 2026-01-01T00:00:00Z: any fixed instant works; this one reads sensibly in `tar -tv`. */
const FIXED_MTIME = Date.UTC(2026, 0, 1) / 1000;

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

function header(path: string, size: number, mode: number, type: '0' | '5'): Uint8Array {
  const h = Buffer.alloc(512);
  let name = path;
  let prefix = '';
  if (Buffer.byteLength(name) > 100) {
    const cut = path.lastIndexOf('/', 155);
    prefix = path.slice(0, cut);
    name = path.slice(cut + 1);
    if (Buffer.byteLength(name) > 100 || Buffer.byteLength(prefix) > 155)
      throw new Error(`tar: path too long: ${path}`);
  }
  h.write(name, 0);
  h.write(octal(mode, 8), 100);
  h.write(octal(0, 8), 108);
  h.write(octal(0, 8), 116);
  h.write(octal(size, 12), 124);
  h.write(octal(FIXED_MTIME, 12), 136);
  h.write('        ', 148); // checksum field counts as spaces while summing
  h.write(type, 156);
  h.write('ustar\u000000', 257);
  h.write('root', 265);
  h.write('root', 297);
  h.write(prefix, 345);
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(octal(sum, 7) + ' ', 148);
  return h;
}

export function tarGz(entries: readonly ArchiveEntry[]): Uint8Array {
  const sorted = [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const dirs = new Set<string>();
  for (const e of sorted) {
    const parts = e.path.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/') + '/');
  }
  const chunks: Uint8Array[] = [];
  const all = [
    ...[...dirs].map((d) => ({ path: d, dir: true as const })),
    ...sorted.map((e) => ({ ...e, dir: false as const })),
  ].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const e of all) {
    if (e.dir) {
      chunks.push(header(e.path, 0, 0o755, '5'));
      continue;
    }
    chunks.push(header(e.path, e.data.length, e.executable ? 0o755 : 0o644, '0'));
    chunks.push(e.data);
    const pad = (512 - (e.data.length % 512)) % 512;
    if (pad) chunks.push(Buffer.alloc(pad));
  }
  chunks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(chunks), { level: 9 });
}
