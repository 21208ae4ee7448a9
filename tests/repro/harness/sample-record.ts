// A small, fixed s3-leak record for schema tests (not a measurement: never copied into content/).
import type { S3LeakRecord } from '../../../repro/core/record/schema.ts';

const MiB = 1024 * 1024;
const runtime = {
  label: '1.3.14 (Zig)',
  version: '1.3.14',
  revision: '1.3.14+0d9b296af',
  line: 'zig',
  source: 'npm:bun@1.3.14',
  sha256: 'a'.repeat(64),
} as const;

export function sampleRecord(): S3LeakRecord {
  return {
    schemaVersion: 2,
    runId: '20260101T000000Z-0000',
    startedAt: '2026-01-01T00:00:00.000Z',
    endedAt: '2026-01-01T00:00:05.000Z',
    status: 'complete',
    command: 'npm run repro -- s3-leak',
    redacted: [],
    harness: { version: '0.1.0', commit: null, dirty: false },
    host: {
      os: 'Test OS',
      kernel: '6.0.0',
      arch: 'x64',
      cpuModel: 'Test CPU',
      cores: 2,
      totalMemoryBytes: 1024 * MiB,
      cgroupMemoryLimitBytes: null,
    },
    runtime: { ...runtime },
    builds: [{ ...runtime }],
    scenario: 's3-leak',
    parameters: {
      payloadMiB: 8,
      targetRssMiB: 900,
      maxIterations: 2,
      memoryCapMiB: 1024,
      outsideSampleIntervalMs: 100,
      memoryCap: { kind: 'watchdog', detail: 'test' },
      s3: { kind: 'embedded-s3rver', endpoint: 'http://127.0.0.1:1', bucket: 'repro' },
    },
    samples: [0, 1, 2].map((iteration) => ({
      iteration,
      elapsedMs: iteration * 10,
      rss: (60 + 8 * iteration) * MiB,
      heapUsed: MiB,
      external: MiB,
      arrayBuffers: 0,
      anonRss: (40 + 8 * iteration) * MiB,
    })),
    outsideSamples: [{ elapsedMs: 0, vmRss: 60 * MiB, rssAnon: 40 * MiB, cgroupCurrent: null }],
    baselineAtOutsideMs: 0,
    checks: [{ name: 'every-read-verified', met: true, observed: '2 of 2 reads returned the whole 8 MiB object' }],
    verdict: {
      kind: 'bounded',
      iteration: 2,
      baselineRssBytes: 60 * MiB,
      peakRssBytes: 76 * MiB,
      growthMiBPerIteration: 8,
      wallMs: 20,
      message: 'test',
    },
  };
}
