// Memory read from outside a process, on the harness's clock: /proc/PID/status (VmRSS, RssAnon) and
// the process's cgroup v2 memory.current where it has one. These samples survive an OOM kill, so a
// killed probe still leaves a complete curve.
import { readFileSync } from 'node:fs';
import { memoryCurrentFileOf, readBytes } from './cgroup.ts';
import type { OutsideSample } from '../core/record/schema.ts';

export interface ProcMemory {
  vmRss: number;
  rssAnon: number;
}

/** VmRSS and RssAnon in bytes, or null when the process is gone or /proc is missing (macOS). */
export function readProcMemory(pid: number): ProcMemory | null {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  const vmRss = kib('VmRSS');
  const rssAnon = kib('RssAnon');
  // A zombie has no memory lines left: treat it as gone.
  return Number.isFinite(vmRss) && Number.isFinite(rssAnon) ? { vmRss, rssAnon } : null;
}

export interface OutsideSampler {
  readonly samples: OutsideSample[];
  /** Now, on the samples' clock (ms since the sampler started). */
  elapsedMs(): number;
  stop(): void;
}

/** Samples `pid` every `intervalMs` until stopped; `onSample` runs after each (the watchdog hooks in here). */
export function startOutsideSampler(
  pid: number,
  intervalMs: number,
  onSample: (sample: OutsideSample) => void = () => {},
): OutsideSampler {
  const started = performance.now();
  const cgroupFile = memoryCurrentFileOf(pid);
  const samples: OutsideSample[] = [];
  const elapsedMs = () => Math.round(performance.now() - started);
  const tick = () => {
    const memory = readProcMemory(pid);
    if (!memory) return;
    const sample: OutsideSample = {
      elapsedMs: elapsedMs(),
      vmRss: memory.vmRss,
      rssAnon: memory.rssAnon,
      cgroupCurrent: cgroupFile ? readBytes(cgroupFile) : null,
    };
    samples.push(sample);
    onSample(sample);
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  return {
    samples,
    elapsedMs,
    stop: () => clearInterval(timer),
  };
}
