// Reading (never writing) the cgroup the harness or a probe runs in. Works on cgroup v2 and v1;
// on a machine without cgroups every function answers null.
import { readFileSync } from 'node:fs';

const V2_ROOT = '/sys/fs/cgroup';
/** cgroup v1 reports "no limit" as a huge page-aligned number (2^63 rounded down). */
const V1_UNLIMITED = 2 ** 62;

/** The memory limit of the harness's own cgroup (the container, usually), or null when unlimited. */
export function cgroupMemoryLimitBytes(): number | null {
  const v2 = readText(`${V2_ROOT}${ownV2Path() ?? ''}/memory.max`) ?? readText(`${V2_ROOT}/memory.max`);
  if (v2 !== null) return v2 === 'max' ? null : Number(v2);
  const v1 = readText(`${V2_ROOT}/memory/memory.limit_in_bytes`);
  if (v1 === null) return null;
  const bytes = Number(v1);
  return Number.isFinite(bytes) && bytes < V1_UNLIMITED ? bytes : null;
}

/** True on a unified (v2) hierarchy, where `systemd-run --user --scope -p MemoryMax=` can work. */
export function isCgroupV2(): boolean {
  return readText(`${V2_ROOT}/cgroup.controllers`) !== null;
}

/** The file holding a process's cgroup v2 memory.current, or null (v1, no /proc, no memory controller). */
export function memoryCurrentFileOf(pid: number): string | null {
  const rel = v2PathOf(pid);
  if (rel === null) return null;
  const file = `${V2_ROOT}${rel === '/' ? '' : rel}/memory.current`;
  return readText(file) === null ? null : file;
}

export function readBytes(file: string): number | null {
  const text = readText(file);
  const n = text === null ? NaN : Number(text);
  return Number.isFinite(n) ? n : null;
}

function ownV2Path(): string | null {
  const rel = v2PathOf(process.pid);
  return rel === null || rel === '/' ? null : rel;
}

function v2PathOf(pid: number): string | null {
  const text = readText(`/proc/${pid}/cgroup`);
  const line = text?.split('\n').find((l) => l.startsWith('0::'));
  return line ? line.slice(3) : null;
}

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return null;
  }
}
