// What every record says about where and how it was made: host, harness commit, command line, builds.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Build } from './builds.ts';
import { cgroupMemoryLimitBytes } from './cgroup.ts';
import { fromRoot, projectRoot } from './paths.ts';
import { SCHEMA_VERSION, type Host, type RunStatus, type Runtime } from '../core/record/schema.ts';
import { redactArgv, redactEnv } from './redact.ts';
import { shellQuote } from '../core/shell.ts';

export interface Provenance {
  runId: string;
  startedAt: string;
  /** Redacted: see redact.ts. */
  command: string;
  redacted: string[];
  harness: { version: string; commit: string | null; dirty: boolean };
  host: Host;
  builds: Runtime[];
}

/**
 * Collected once per invocation; every record of the run shares it. `envInputs` are the environment
 * variables the scenario reads in place of flags: those set are part of the command, redacted.
 */
export function collectProvenance(
  argv: string[],
  builds: Build[],
  envInputs: readonly string[] = [],
  env = process.env,
  now = new Date(),
): Provenance {
  const { command, redacted } = commandLine(argv, envInputs, env);
  return {
    runId: runIdOf(now),
    startedAt: now.toISOString(),
    command,
    redacted,
    harness: harnessInfo(),
    host: hostInfo(),
    builds: builds.map((b) => b.runtime),
  };
}

/** The provenance fields of a record, in the shape of the schema's RecordBase. */
export function recordBase(p: Provenance, runtime: Runtime, end: { endedAt: Date; status: RunStatus }) {
  return {
    schemaVersion: SCHEMA_VERSION,
    runId: p.runId,
    startedAt: p.startedAt,
    // The schema refuses an end before the start; a wall clock stepped back during the run (NTP)
    // must not cost the run its record, so such an end is the start: a run of no measurable length.
    endedAt: new Date(Math.max(end.endedAt.getTime(), Date.parse(p.startedAt))).toISOString(),
    status: end.status,
    command: p.command,
    redacted: p.redacted,
    harness: p.harness,
    host: p.host,
    runtime,
    builds: p.builds,
  } as const;
}

/** Sorts by time: 20260520T101500Z-3fa9. The suffix keeps two runs in the same second apart. */
function runIdOf(date: Date): string {
  const stamp = date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}

/** `[NAME=value …] npm run repro -- <argv>`, every secret redacted, words shell-quoted. */
export function commandLine(
  argv: readonly string[],
  envInputs: readonly string[] = [],
  env: Readonly<Record<string, string | undefined>> = {},
) {
  const args = redactArgv(argv);
  const vars = redactEnv(env, envInputs);
  const words = [
    ...vars.assignments.map((a) => a.replace(/=(.*)$/s, (_, v: string) => `=${shellQuote(v)}`)),
    ...['npm', 'run', 'repro', '--', ...args.argv].map(shellQuote),
  ];
  return { command: words.join(' '), redacted: [...new Set([...args.redacted, ...vars.redacted])] };
}

export function hostInfo(): Host {
  const cpus = os.cpus();
  return {
    os: osName(),
    kernel: os.release(),
    arch: os.arch(),
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: Math.max(1, os.availableParallelism()),
    totalMemoryBytes: os.totalmem(),
    cgroupMemoryLimitBytes: cgroupMemoryLimitBytes(),
  };
}

function osName(): string {
  try {
    const release = readFileSync('/etc/os-release', 'utf8');
    const pretty = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(release)?.[1];
    if (pretty) return pretty;
  } catch {
    /* not Linux, or a minimal image */
  }
  return `${os.type()} ${os.release()}`;
}

/**
 * The harness version (package.json) and git state. `dirty` looks only at what decides a measurement
 * — repro/ and the package manifests — so that prose or site edits in the same checkout do not taint a run.
 */
export function harnessInfo(): Provenance['harness'] {
  const version = JSON.parse(readFileSync(fromRoot('package.json'), 'utf8')).version as string;
  // Only our own checkout counts: a bundle unpacked inside some other repository has no commit.
  const top = git(['rev-parse', '--show-toplevel']);
  const commit = top !== null && path.resolve(top) === path.resolve(projectRoot) ? git(['rev-parse', 'HEAD']) : null;
  if (commit === null) return { version, commit: null, dirty: false };
  const status = git(['status', '--porcelain', '--', 'repro', 'package.json', 'package-lock.json']);
  return { version, commit, dirty: status !== null && status !== '' };
}

function git(args: string[]): string | null {
  try {
    return execFileSync('git', args, {
      cwd: projectRoot,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return null; // not a git checkout (a downloaded bundle) or no git installed
  }
}
