// The s3-upload verdict, checks and compare rules on synthetic uploads: the thresholds of the
// research (repro/scenarios/s3-upload/verdict.ts) at the values it measured, and at their edges.
import { expect, test } from 'vitest';
import type { S3Upload, S3UploadRecord } from '../../../repro/core/record/schema.ts';
import { compareUpload, uploadEvidenceMismatch } from '../../../repro/scenarios/s3-upload/compare.ts';
import { parseOptions, THRESHOLDS } from '../../../repro/scenarios/s3-upload/parameters.ts';
import { plan } from '../../../repro/scenarios/s3-upload/plan.ts';
import {
  controlStreams,
  decideVerdict,
  medianBytes,
  payloadNotMapped,
  peakSeenOutside,
} from '../../../repro/scenarios/s3-upload/verdict.ts';

const MiB = 2 ** 20;

function upload(payloadMiB: number, riseMiB: number | null, extra: Partial<S3Upload> = {}): S3Upload {
  return {
    method: 's3-write',
    payloadMiB,
    repetition: 1,
    outcome: 'completed',
    wallMs: 1000,
    baseline: { vmRss: 40 * MiB, rssAnon: 5 * MiB, rssFile: 35 * MiB },
    peakAnonRiseBytes: riseMiB === null ? null : Math.round(riseMiB * MiB),
    peakVmRssRiseBytes: riseMiB === null ? null : Math.round((riseMiB + 4) * MiB),
    insidePeakAnonRiseBytes: null,
    vmHwmRiseBytes: null,
    peakRssFileRiseBytes: 4 * MiB,
    afterGcAnonRiseBytes: 2 * MiB,
    mappedPayload: 0,
    maxSampleGapMs: 10,
    forwardedBytes: payloadMiB * MiB,
    // The outside sample at the peak, so that the rises are what the samples give (compare recomputes them).
    outsideSamples:
      riseMiB === null
        ? []
        : [
            {
              elapsedMs: 100,
              vmRss: Math.round((44 + riseMiB) * MiB),
              rssAnon: Math.round((5 + riseMiB) * MiB),
              cgroupCurrent: null,
            },
          ],
    checks: [],
    ...extra,
  };
}
/** Three s3-write uploads per size with the given rises (MiB). */
const writes = (small: number[], large: number[], sizes = [64, 256]) => [
  ...small.map((r, i) => upload(sizes[0]!, r, { repetition: i + 1 })),
  ...large.map((r, i) => upload(sizes[1]!, r, { repetition: i + 1 })),
];
const judge = (uploads: S3Upload[], sizes = [64, 256]) => decideVerdict(uploads, sizes, THRESHOLDS, 1000);

test('medianBytes: the core median, in whole bytes', () => {
  expect(medianBytes([])).toBeNull();
  expect(medianBytes([3, 1, 2])).toBe(2);
  expect(medianBytes([4, 1, 2, 3])).toBe(3); // rounded mean of the middle two (2.5 → 3)
});

test('1.4.0 as measured (+168–172 at 64 MiB, +451–457 at 256 MiB): buffers-payload, ×1.77, slope 1.48', () => {
  const v = judge(writes([172, 169, 168], [455, 457, 451]));
  expect(v.kind).toBe('buffers-payload');
  expect(v.memory).toBe('buffers-payload');
  expect(v.ratio).toBeCloseTo(455 / 256, 2);
  expect(v.slope).toBeCloseTo((455 - 169) / 192, 2);
  expect(v.sizes.find((s) => s.payloadMiB === 256)).toMatchObject({
    method: 's3-write',
    counted: 3,
    minRiseBytes: 451 * MiB,
    maxRiseBytes: 457 * MiB,
  });
  expect(v.message).toMatch(/holds the payload/);
});

test('1.3.14 (Zig) and 1.4.5 as measured: streams, although the rise at 64 MiB is above 1 × the payload', () => {
  expect(judge(writes([81, 79, 78], [94, 110, 96])).kind).toBe('streams');
  const v = judge(writes([77, 76, 77], [82, 84, 82]));
  expect(v.kind).toBe('streams');
  expect(v.ratio!).toBeLessThan(0.4);
  // The ratio alone would convict at 64 MiB (×1.2): it is never applied there.
  expect(judge(writes([77, 76, 77], [82, 84, 82]), [64, 256]).memory).toBe('streams');
});

test('the ratio is not applied below 256 MiB: an affected build at 64 and 128 MiB is inconclusive, not convicted', () => {
  const v = judge(writes([170], [265], [64, 128]), [64, 128]);
  expect(v.kind).toBe('inconclusive');
  expect(v.message).toMatch(/under 256 MiB, too small to convict/);
});

test('edges: ×1.0 and slope 0.5 convict, just under does not; 160 MiB and slope 0.25 are not bounded', () => {
  // ratio exactly 1.0 (256 MiB) and slope (256 − 160) / 192 = 0.5
  expect(judge(writes([160], [256])).kind).toBe('buffers-payload');
  expect(judge(writes([160], [255])).kind).toBe('inconclusive');
  // A high ratio with a flat slope is no proof of buffering (a constant overhead).
  expect(judge(writes([300], [300])).kind).toBe('inconclusive');
  // Slope (159 − 120) / 192 = 0.20; 160 MiB is not under the bound.
  expect(judge(writes([120], [159])).kind).toBe('streams');
  expect(judge(writes([120], [160])).kind).toBe('inconclusive');
  // Slope (148 − 100) / 192 = 0.25: not under the bound.
  expect(judge(writes([100], [148])).kind).toBe('inconclusive');
  // One repetition above the bound is enough to stop "streams" (every upload must stay under it).
  expect(judge(writes([80, 80, 80], [90, 170, 90])).kind).toBe('inconclusive');
});

test('a stall is recorded as hangs, never hidden, and the counted uploads keep their memory class', () => {
  const stalled = upload(256, 443, {
    repetition: 3,
    outcome: 'hangs',
    message: 'no byte reached the store for 45 s (375 MiB sent); killed',
  });
  const v = judge([...writes([170, 168], [455, 457]), stalled]);
  expect(v.kind).toBe('hangs');
  expect(v.memory).toBe('buffers-payload');
  expect(v.counts).toEqual({ completed: 4, hangs: 1 });
  expect(v.message).toMatch(/s3-write 256 MiB #3: no byte reached the store for 45 s .* \(of 3\)/);
  // The stalled upload's rise is not counted in the medians.
  expect(v.sizes.find((s) => s.payloadMiB === 256)!.counted).toBe(2);
});

test('an error (rejected upload, missing end line, differing object) wins over everything but an interruption', () => {
  const bad = upload(64, null, { outcome: 'error', message: 'the upload rejected: S3Error: boom' });
  const v = judge([...writes([80], [90]), bad]);
  expect(v.kind).toBe('error');
  expect(v.memory).toBe('streams');
  expect(v.message).toMatch(/1 upload\(s\) failed: s3-write 64 MiB #1: the upload rejected: S3Error: boom/);
  expect(judge([...writes([80], [90]), bad, upload(256, null, { outcome: 'interrupted' })]).kind).toBe('interrupted');
});

test('a size without a counted upload is inconclusive; none counted at all has no memory class', () => {
  const notCounted = (p: number) => upload(p, 500, { outcome: 'not-counted' });
  expect(judge([upload(64, 80), notCounted(256)]).kind).toBe('inconclusive');
  const v = judge([notCounted(64), notCounted(256)]);
  expect(v.kind).toBe('inconclusive');
  expect(v.memory).toBeNull();
});

test('an upload killed at the memory cap counts with the rise it reached', () => {
  const v = judge([upload(64, 170), upload(256, 900, { outcome: 'oom-killed' })]);
  expect(v.kind).toBe('buffers-payload');
});

test('the fetch control is summarised apart and checked at the bound', () => {
  const control = [upload(64, 1, { method: 'fetch-presigned' }), upload(256, 2, { method: 'fetch-presigned' })];
  const v = judge([...writes([170], [450]), ...control]);
  expect(v.kind).toBe('buffers-payload');
  expect(v.sizes.map((s) => `${s.method}/${s.payloadMiB}`)).toEqual([
    's3-write/64',
    's3-write/256',
    'fetch-presigned/64',
    'fetch-presigned/256',
  ]);
  expect(controlStreams(control, THRESHOLDS)).toMatchObject({ name: 'control-streams', met: true });
  expect(controlStreams([upload(256, 300, { method: 'fetch-presigned' })], THRESHOLDS)!.met).toBe(false);
  expect(controlStreams(writes([80], [90]), THRESHOLDS)).toBeNull();
});

test('checks: a mapped payload or a risen RssFile makes RssAnon the wrong measure; the outside sampler must have seen the peak', () => {
  const o = {
    payloadMiB: 256,
    intact: true,
    storedSize: 256 * MiB,
    readBackError: null,
    mappedPayload: 0,
    peakRssFileRiseBytes: 5 * MiB,
    peakVmRssRiseBytes: 450 * MiB,
    vmHwmRiseBytes: 452 * MiB,
  };
  expect(payloadNotMapped(o, THRESHOLDS).met).toBe(true);
  expect(payloadNotMapped({ ...o, mappedPayload: 1 }, THRESHOLDS).met).toBe(false);
  expect(payloadNotMapped({ ...o, peakRssFileRiseBytes: 200 * MiB }, THRESHOLDS)).toMatchObject({
    met: false,
    observed: expect.stringMatching(/RssFile rose 200\.0 MiB/),
  });
  expect(peakSeenOutside(o).met).toBe(true);
  // 16 MiB + 5 % of 256 MiB = 28.8 MiB allowed between VmHWM and the sampler's peak.
  expect(peakSeenOutside({ ...o, vmHwmRiseBytes: 480 * MiB }).met).toBe(false);
  expect(peakSeenOutside({ ...o, vmHwmRiseBytes: null }).met).toBe(false);
});

test('options: sizes sorted and deduplicated, at least two; the control only at payload sizes; the plan interleaves', () => {
  const o = parseOptions({
    'payload-mib': ['256,64', '64'],
    repetitions: '2',
    'control-payload-mib': '64',
    'control-repetitions': '1',
  });
  expect(o.payloadMiB).toEqual([64, 256]);
  expect(plan(o).map((u) => `${u.method} ${u.payloadMiB} #${u.repetition}`)).toEqual([
    's3-write 64 #1',
    'fetch-presigned 64 #1',
    's3-write 64 #2',
    's3-write 256 #1',
    's3-write 256 #2',
  ]);
  expect(() => parseOptions({ 'payload-mib': ['64'] })).toThrow(/at least two different sizes/);
  expect(() => parseOptions({ 'control-payload-mib': '128' })).toThrow(/128 MiB is not one of the payload sizes/);
  expect(parseOptions({ 'control-payload-mib': 'none' }).controlPayloadMiB).toEqual([]);
  expect(() =>
    parseOptions({
      's3-endpoint': 'https://s3.example.com',
      's3-bucket': 'b',
      's3-access-key-id': 'a',
      's3-secret-access-key': 's',
    }),
  ).toThrow(/needs an http:\/\/ store/);
});

/** A record of one upload per size with these rises, its verdict the scenario's own; `hangs` adds an upload that hung. */
function record(kind: 'buffers-payload' | 'streams' | 'hangs', rises: [number, number]): S3UploadRecord {
  const uploads = [
    ...writes([rises[0]], [rises[1]]),
    ...(kind === 'hangs' ? [upload(256, null, { repetition: 2, outcome: 'hangs' })] : []),
  ];
  const v = decideVerdict(uploads, [64, 256], THRESHOLDS, 1000);
  if (v.kind !== kind) throw new Error(`rises ${rises.join(', ')} make ${v.kind}, not ${kind}`);
  const o = parseOptions({});
  return {
    scenario: 's3-upload',
    status: 'complete',
    runtime: {
      label: '1.4.2 (Rust)',
      version: '1.4.2',
      revision: '1.4.2+744846f84',
      line: 'rust',
      source: 'x',
      sha256: '0'.repeat(64),
    },
    parameters: {
      payloadMiB: o.payloadMiB,
      repetitions: 1,
      methods: ['s3-write', 'fetch-presigned'],
      controlPayloadMiB: o.payloadMiB,
      memoryCapMiB: 1024,
      memoryCap: { kind: 'watchdog', detail: '' },
      outsideSampleIntervalMs: 20,
      stallTimeoutMs: 45_000,
      timeLimit: o.timeLimit,
      thresholds: o.thresholds,
      s3: { kind: 'embedded-s3rver', endpoint: '', bucket: 'repro' },
    },
    uploads,
    verdict: v,
  } as unknown as S3UploadRecord;
}

test('compare: same class, then the rise ratio within ±25 % (buffers) or the rise under 2× (streams)', () => {
  const ref = record('buffers-payload', [170, 450]);
  const close = compareUpload(record('buffers-payload', [180, 500]), ref);
  expect(close.map((r) => [r.item, r.verdict])).toEqual([
    ['verdict', 'reproduced'],
    ['rise ratio at 64 MiB', 'reproduced'],
    ['rise ratio at 256 MiB', 'reproduced'],
  ]);
  // ×2.34 against ×1.76 at 256 MiB: 33 % off.
  expect(compareUpload(record('buffers-payload', [170, 600]), ref)[2]!.verdict).toBe('differs');
  expect(compareUpload(record('streams', [80, 90]), ref).map((r) => r.verdict)).toEqual(['differs']);
  const streams = record('streams', [80, 90]);
  expect(compareUpload(record('streams', [150, 150]), streams).map((r) => r.verdict)).toEqual([
    'reproduced',
    'reproduced',
    'reproduced',
  ]);
  // Under the stream bound, but more than twice a low published rise at 256 MiB.
  expect(compareUpload(record('streams', [80, 110]), record('streams', [40, 50]))[2]!.verdict).toBe('differs');
  // A hang compares on the memory class of its counted uploads too.
  expect(compareUpload(record('hangs', [170, 450]), record('hangs', [170, 450]))[0]!.verdict).toBe('reproduced');
  expect(compareUpload(record('hangs', [170, 450]), ref)[0]!.verdict).toBe('differs');
  // Other sizes: not comparable.
  const other = record('buffers-payload', [170, 450]);
  other.parameters.payloadMiB = [64, 1024];
  expect(compareUpload(other, ref)[0]!.verdict).toBe('not-comparable');
});

test('compare reads the uploads, not the summary: a summary they contradict is named, and no upload is no measurement', () => {
  const ref = record('buffers-payload', [170, 450]);
  expect(uploadEvidenceMismatch(ref)).toBeNull();
  // No uploads, the published summary kept.
  expect(uploadEvidenceMismatch({ ...ref, uploads: [] })).toBe(
    'verdict.kind is "buffers-payload", the uploads give "inconclusive"',
  );
  // No uploads, the summary made to match: nothing was measured, so nothing is compared.
  const empty = { ...ref, uploads: [], verdict: decideVerdict([], [64, 256], THRESHOLDS, 1000) };
  expect(uploadEvidenceMismatch(empty)).toBeNull();
  expect(compareUpload(empty, ref)).toEqual([
    expect.objectContaining({
      item: 'uploads',
      verdict: 'not-comparable',
      rule: 'no s3-write upload was counted or hung: nothing was measured',
    }),
  ]);
  // One rise changed in the summary: the outside samples say otherwise.
  const lying = structuredClone(ref);
  lying.uploads[1]!.peakAnonRiseBytes = 10 * MiB;
  expect(uploadEvidenceMismatch(lying)).toBe(
    'uploads.1.peakAnonRiseBytes is 10.0 MiB, the outside samples give 450.0 MiB',
  );
  // The samples zeroed, rises and summary recomputed to match: zero is no reading.
  const zeroed = structuredClone(ref);
  for (const u of zeroed.uploads) u.outsideSamples = u.outsideSamples.map((x) => ({ ...x, vmRss: 0, rssAnon: 0 }));
  expect(uploadEvidenceMismatch(zeroed)).toBe('uploads.0.outsideSamples.0 is zero, which no running probe shows');
  // The verdict's sizes changed alone.
  const sizes = structuredClone(ref);
  sizes.verdict.sizes[0]!.medianRiseBytes = 1;
  expect(uploadEvidenceMismatch(sizes)).toMatch(/^verdict\.sizes is \[.*"medianRiseBytes":1,.*\], the uploads give \[/);
});
