// The S3 read leak's reproduction bundle: what it installs, what it needs, and its quick look, which
// is the run as published (two minutes), because the S3 rules compare like parameters only.
import type { RunRecord, S3LeakRecord } from '../../../repro/core/record/schema.ts';
import { s3CompareRules } from '../../../repro/scenarios/s3-leak/compare.ts';
import { publishedRunQuickLook, type QuickLook } from '../../bundles/quick-look.ts';
import { formatMiB } from '../../lib/format.ts';
import type { BundleSpec } from '../types.ts';

const ramNote = 'the embedded S3 server runs in its own process beside it';

export const s3Bundle: BundleSpec<S3LeakRecord> = {
  dependencies: ['node', 'bun-zig', 'bun-rust', 's3rver'],
  allowScripts: ['node', 'bun'],
  ramNote,
  os: 'Linux x64 (the pinned Bun and Node packages); macOS works with --bun <path> builds',
  // The probe is held to the recorded memory cap, so the reader needs that much free.
  ram: (run) => `${formatMiB(run[0]!.parameters.memoryCapMiB * 1024 * 1024, 0)} free: the probe is held to that cap; ${ramNote}`,
};

export function s3QuickLook(all: readonly RunRecord[]): QuickLook | undefined {
  return publishedRunQuickLook('s3-leak', s3CompareRules, all);
}
