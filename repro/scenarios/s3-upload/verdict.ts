// The s3-upload verdict: pure functions of the uploads a build's run gathered, unit-tested on
// synthetic uploads (tests/repro/s3-upload/verdict.test.ts). Judged on the peak RssAnon rise the
// harness saw from outside (the probe's own sampler under-reads: Bun's event loop blocks for up to
// ~29 s during an affected upload), s3-write uploads only; the fetch control is reported beside it.
//
// Thresholds (parameters.ts), from the research (11 builds, 101 uploads, default partSize/queueSize):
//   buffers-payload  median rise at the largest payload ≥ 1.0 × that payload, which must be ≥ 256 MiB,
//                    and slope (rise_large − rise_small) / (large − small) ≥ 0.5. Affected builds:
//                    ×1.71–1.78 at 256 MiB, slope 1.42–1.49. Unaffected: ≤ ×0.43 at 256 MiB, slope
//                    ≤ 0.15. Not at 64 MiB: the unaffected floor (68–96 MiB) is already ≥ 1 × 64 MiB.
//   streams          every upload's rise < 160 MiB at every size, and slope < 0.25. Unaffected:
//                    68–110 MiB whatever the payload; the lowest affected value is 166 MiB at 64 MiB.
//   inconclusive     anything between, or a size without a counted upload.
//   hangs            an upload sent the store no byte for the stall timeout (45 s), or did not end
//                    within 60 s + 1 s/MiB (1.4.0 stalled 2 of 6 times at 1024 MiB: bun#39838).
//   error            an upload rejected, the probe died without its end line, or the stored object
//                    differs in size or SHA-256.
// A build with a hang or an error keeps the memory class its counted uploads show (verdict.memory).
import type {
  Check,
  S3Upload,
  S3UploadMemoryClass,
  S3UploadMethod,
  S3UploadOutcome,
  S3UploadRecord,
  S3UploadSizeSummary,
} from '../../core/record/schema.ts';
import { MiB } from '../../core/table.ts';
import type { Thresholds } from './parameters.ts';
import { median } from '../../core/maths.ts';

export type S3UploadVerdict = S3UploadRecord['verdict'];

/** An upload counts towards the memory class when it completed with its checks met, or was killed at the cap. */
export const counts = (u: S3Upload) =>
  (u.outcome === 'completed' || u.outcome === 'oom-killed') && u.peakAnonRiseBytes !== null;

/** The median of byte counts, in whole bytes as a record holds them; null of none. */
export function medianBytes(values: readonly number[]): number | null {
  const m = median(values);
  return m === undefined ? null : Math.round(m);
}

export function sizeSummaries(uploads: readonly S3Upload[]): S3UploadSizeSummary[] {
  const keys = new Map<string, { method: S3UploadMethod; payloadMiB: number }>();
  for (const u of uploads) keys.set(`${u.method}/${u.payloadMiB}`, { method: u.method, payloadMiB: u.payloadMiB });
  const order = (m: S3UploadMethod) => (m === 's3-write' ? 0 : 1);
  return [...keys.values()]
    .sort((a, b) => order(a.method) - order(b.method) || a.payloadMiB - b.payloadMiB)
    .map(({ method, payloadMiB }) => {
      const rises = uploads
        .filter((u) => u.method === method && u.payloadMiB === payloadMiB && counts(u))
        .map((u) => u.peakAnonRiseBytes!);
      return {
        method,
        payloadMiB,
        counted: rises.length,
        medianRiseBytes: medianBytes(rises),
        minRiseBytes: rises.length ? Math.min(...rises) : null,
        maxRiseBytes: rises.length ? Math.max(...rises) : null,
      };
    });
}

const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;
const mibText = (bytes: number) => `${bytes >= 0 ? '+' : '−'}${Math.abs(bytes / MiB).toFixed(0)} MiB`;

interface MemoryJudgement {
  memory: S3UploadMemoryClass | null;
  slope: number | null;
  ratio: number | null;
  reason: string;
}

/** The memory class of the s3-write uploads, from the smallest and the largest payload. */
function judgeMemory(
  sizes: readonly S3UploadSizeSummary[],
  payloadMiB: readonly number[],
  t: Thresholds,
): MemoryJudgement {
  const writes = sizes.filter((s) => s.method === 's3-write');
  if (writes.every((s) => s.counted === 0))
    return { memory: null, slope: null, ratio: null, reason: 'no s3-write upload was counted' };
  const small = Math.min(...payloadMiB);
  const large = Math.max(...payloadMiB);
  const at = (m: number) => writes.find((s) => s.payloadMiB === m);
  const [lo, hi] = [at(small), at(large)];
  const missing = [lo, hi].some((s) => !s || s.counted === 0 || s.medianRiseBytes === null);
  const rises = writes
    .filter((s) => s.counted > 0)
    .map((s) => `${mibText(s.medianRiseBytes!)} at ${s.payloadMiB} MiB`)
    .join(', ');
  if (missing)
    return {
      memory: 'inconclusive',
      slope: null,
      ratio: null,
      reason: `no counted s3-write upload at ${small} or ${large} MiB (${rises})`,
    };
  const slope = round((hi!.medianRiseBytes! - lo!.medianRiseBytes!) / MiB / (large - small));
  const ratio = round(hi!.medianRiseBytes! / MiB / large);
  const peak = `median peak anon rise ${rises}; ×${ratio.toFixed(2)} at ${large} MiB, slope ${slope.toFixed(2)} MiB per MiB`;
  if (large >= t.ratioMinPayloadMiB && ratio >= t.bufferRatio && slope >= t.bufferSlope) {
    return {
      memory: 'buffers-payload',
      slope,
      ratio,
      reason: `${peak}: holds the payload (≥ ×${t.bufferRatio} and slope ≥ ${t.bufferSlope})`,
    };
  }
  const worst = Math.max(...writes.filter((s) => s.counted > 0).map((s) => s.maxRiseBytes!));
  if (worst < t.streamBoundMiB * MiB && slope < t.streamSlope) {
    return {
      memory: 'streams',
      slope,
      ratio,
      reason: `${peak}: bounded (every upload < ${t.streamBoundMiB} MiB, slope < ${t.streamSlope})`,
    };
  }
  const why =
    large < t.ratioMinPayloadMiB
      ? `; the largest payload is under ${t.ratioMinPayloadMiB} MiB, too small to convict`
      : '';
  return {
    memory: 'inconclusive',
    slope,
    ratio,
    reason: `${peak}: neither rule holds (highest upload ${mibText(worst)})${why}`,
  };
}

export function decideVerdict(
  uploads: readonly S3Upload[],
  payloadMiB: readonly number[],
  t: Thresholds,
  wallMs: number,
): S3UploadVerdict {
  const countsByOutcome: Partial<Record<S3UploadOutcome, number>> = {};
  for (const u of uploads) countsByOutcome[u.outcome] = (countsByOutcome[u.outcome] ?? 0) + 1;
  const sizes = sizeSummaries(uploads);
  const judged = judgeMemory(sizes, payloadMiB, t);
  const base = {
    memory: judged.memory,
    sizes,
    slope: judged.slope,
    ratio: judged.ratio,
    counts: countsByOutcome,
    wallMs,
  };
  const describe = (u: S3Upload) => `${u.method} ${u.payloadMiB} MiB #${u.repetition}: ${u.message ?? u.outcome}`;
  const memoryNote = judged.memory ? `; the counted s3-write uploads: ${judged.memory} (${judged.reason})` : '';
  if (uploads.some((u) => u.outcome === 'interrupted')) {
    return { ...base, kind: 'interrupted', message: `interrupted after ${uploads.length - 1} uploads${memoryNote}` };
  }
  const errors = uploads.filter((u) => u.outcome === 'error');
  if (errors.length > 0)
    return {
      ...base,
      kind: 'error',
      message: clip(`${errors.length} upload(s) failed: ${errors.map(describe).join('; ')}${memoryNote}`),
    };
  const hangs = uploads.filter((u) => u.outcome === 'hangs');
  if (hangs.length > 0) {
    const of = (u: S3Upload) => uploads.filter((x) => x.method === u.method && x.payloadMiB === u.payloadMiB).length;
    return {
      ...base,
      kind: 'hangs',
      message: clip(`${hangs.map((u) => `${describe(u)} (of ${of(u)})`).join('; ')}${memoryNote}`),
    };
  }
  return { ...base, kind: judged.memory ?? 'inconclusive', message: clip(judged.reason) };
}

const clip = (text: string) => (text.length > 2000 ? `${text.slice(0, 1999)}…` : text);

// ---------------------------------------------------------------- checks

export interface UploadObservation {
  payloadMiB: number;
  intact: boolean | null;
  storedSize: number | null;
  readBackError: string | null;
  mappedPayload: number;
  peakRssFileRiseBytes: number | null;
  peakVmRssRiseBytes: number | null;
  vmHwmRiseBytes: number | null;
}

/** The object arrived whole: the read-back's size and SHA-256 match the file's. */
export function objectIntact(o: UploadObservation): Check {
  const expected = o.payloadMiB * MiB;
  if (o.intact === null)
    return {
      name: 'object-intact',
      met: false,
      observed: o.readBackError ? `read-back failed: ${o.readBackError.slice(0, 300)}` : 'not read back',
    };
  return {
    name: 'object-intact',
    met: o.intact,
    observed: o.intact
      ? `the stored object read back as ${expected} bytes with the file's SHA-256`
      : `the stored object read back as ${o.storedSize ?? '?'} bytes (expected ${expected})${o.storedSize === expected ? ', SHA-256 differs' : ''}`,
  };
}

/** RssAnon is the right measure: the payload file was never mapped and RssFile barely moved. */
export function payloadNotMapped(o: UploadObservation, t: Thresholds): Check {
  const file = o.peakRssFileRiseBytes;
  const met = o.mappedPayload === 0 && file !== null && file <= t.fileRiseMaxMiB * MiB;
  return {
    name: 'payload-not-mapped',
    met,
    observed: `${o.mappedPayload === 0 ? 'no mapping' : `${o.mappedPayload} mapping(s)`} of the payload file in /proc/<pid>/maps; RssFile rose ${file === null ? '?' : `${(file / MiB).toFixed(1)} MiB`} (at most ${t.fileRiseMaxMiB} MiB allowed)`,
  };
}

/**
 * The outside sampler saw the peak: the kernel's exact peak (VmHWM, reset before the upload) is at
 * most 16 MiB + 5 % of the payload above the highest VmRSS the sampler read (the research: −0.5 to +2.3 MiB).
 */
export function peakSeenOutside(o: UploadObservation): Check {
  if (o.vmHwmRiseBytes === null || o.peakVmRssRiseBytes === null) {
    return {
      name: 'peak-seen-outside',
      met: false,
      observed: 'VmHWM could not be reset before the upload, or no outside sample was taken',
    };
  }
  const missed = o.vmHwmRiseBytes - o.peakVmRssRiseBytes;
  const allowed = 16 * MiB + 0.05 * o.payloadMiB * MiB;
  return {
    name: 'peak-seen-outside',
    met: missed <= allowed,
    observed: `VmHWM rose ${(o.vmHwmRiseBytes / MiB).toFixed(1)} MiB, the outside sampler's VmRSS peak ${(o.peakVmRssRiseBytes / MiB).toFixed(1)} MiB (at most ${(allowed / MiB).toFixed(1)} MiB apart allowed)`,
  };
}

/** Build level: the fetch control with the same Bun.file streams (so the store and the file are not the cause). */
export function controlStreams(uploads: readonly S3Upload[], t: Thresholds): Check | null {
  const control = uploads.filter((u) => u.method === 'fetch-presigned' && counts(u));
  if (uploads.every((u) => u.method !== 'fetch-presigned')) return null;
  const worst = control.length ? Math.max(...control.map((u) => u.peakAnonRiseBytes!)) : null;
  return {
    name: 'control-streams',
    met: worst !== null && worst < t.streamBoundMiB * MiB,
    observed:
      worst === null
        ? 'no fetch control upload was counted'
        : `${control.length} fetch(presigned PUT) upload(s): peak anon rise at most ${mibText(worst)}`,
  };
}
