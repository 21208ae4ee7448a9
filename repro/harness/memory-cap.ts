// Which memory cap holds a probe: a real kernel limit where the machine offers one without privileges,
// otherwise a watchdog in the harness. The harness never creates or changes cgroups itself; it asks
// systemd for a user scope (cgroup v2) or finds a limit the container already has.
import { execFile } from 'node:child_process';
import type { z } from 'zod';
import { cgroupMemoryLimitBytes, isCgroupV2 } from './cgroup.ts';
import { numberFlag } from './flags.ts';
import type { MemoryCapKind } from '../core/record/schema.ts';
import type { Flag, FlagValues } from './scenario.ts';
import { MiB } from '../core/table.ts';

export interface MemoryCap {
  kind: z.infer<typeof MemoryCapKind>;
  /** One sentence for stdout and the record: which cap, and why not a stronger one. */
  detail: string;
  /** Kill the probe when its VmRSS reaches this; null when the kernel (or nobody) enforces the cap. */
  watchdogBytes: number | null;
  /** Wraps the probe command, e.g. in `systemd-run --user --scope`. */
  wrap(command: string, args: string[]): [string, string[]];
}

/** A probe's memory settings: its cap, and how often the harness samples it from outside (/proc). */
export interface MemorySettings {
  memoryCapMiB: number;
  outsideSampleIntervalMs: number;
}

/** The flags of a scenario whose probe runs under a memory cap and is sampled from outside: --memory-cap, --sample-interval-ms. */
export function memoryFlags(defaults: MemorySettings): Record<string, Flag> {
  return {
    'memory-cap': {
      type: 'string',
      placeholder: 'MiB',
      help: `memory cap for the probe: kernel cgroup where possible, else a watchdog (default ${defaults.memoryCapMiB})`,
    },
    'sample-interval-ms': {
      type: 'string',
      placeholder: 'ms',
      help: `how often the harness reads /proc/PID/status (default ${defaults.outsideSampleIntervalMs})`,
    },
  };
}

/** Their values, checked: a cap from 16 MiB to 1 TiB, an interval from 1 ms to `maxIntervalMs`. */
export function parseMemoryFlags(values: FlagValues, defaults: MemorySettings, maxIntervalMs: number): MemorySettings {
  return {
    memoryCapMiB: numberFlag(values, 'memory-cap', defaults.memoryCapMiB, {
      integer: false,
      min: 16,
      max: 1024 * 1024,
      unit: 'MiB',
    }),
    outsideSampleIntervalMs: numberFlag(values, 'sample-interval-ms', defaults.outsideSampleIntervalMs, {
      integer: true,
      min: 1,
      max: maxIntervalMs,
      unit: 'ms',
    }),
  };
}

/** A container limit this close to the cap (or below it) is treated as the cap. */
const CONTAINER_SLACK = 1.1;

export async function chooseMemoryCap(capMiB: number): Promise<MemoryCap> {
  const same = (command: string, args: string[]): [string, string[]] => [command, args];
  const capBytes = capMiB * MiB;

  const container = cgroupMemoryLimitBytes();
  if (container !== null && container <= capBytes * CONTAINER_SLACK) {
    return {
      kind: 'container',
      detail: `the container's own cgroup limit of ${Math.round(container / MiB)} MiB (kernel OOM killer)`,
      watchdogBytes: null,
      wrap: same,
    };
  }

  const scopeArgs = ['--user', '--scope', '--quiet', '-p', `MemoryMax=${capMiB}M`, '-p', 'MemorySwapMax=0'];
  const why = isCgroupV2() ? await trySystemdScope(scopeArgs) : 'cgroup v1 host, no unprivileged memory limit';
  if (why === null) {
    return {
      kind: 'kernel-cgroup',
      detail: `systemd-run --user --scope -p MemoryMax=${capMiB}M -p MemorySwapMax=0 (kernel OOM killer)`,
      watchdogBytes: null,
      wrap: (command, args) => ['systemd-run', [...scopeArgs, '--', command, ...args]],
    };
  }
  return {
    kind: 'watchdog',
    detail: `harness watchdog kills the probe when its RSS passes ${capMiB} MiB (no kernel cap: ${why})`,
    watchdogBytes: capBytes,
    wrap: same,
  };
}

/** Null when a throwaway scope with the limit can be created; otherwise the reason, in a few words. */
function trySystemdScope(scopeArgs: string[]): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(
      'systemd-run',
      [...scopeArgs, '--', 'true'],
      { timeout: 10_000, killSignal: 'SIGKILL' },
      (error, _out, stderr) => {
        if (!error) resolve(null);
        else if ((error as NodeJS.ErrnoException).code === 'ENOENT') resolve('systemd-run not found');
        else resolve(`systemd-run --user failed: ${(stderr.trim().split('\n')[0] ?? '') || error.message}`);
      },
    );
  });
}
