// The S3 read leak's reproduction bundle: what it installs, what it needs, and its quick look, which
// is the quick protocol (--quick: a bounded build stops by the stopping rule), compared with the
// published run: the S3 rules compare the payload and target, not how many reads it took.
import type { RunRecord, S3LeakRecord } from '../../../repro/core/record/schema.ts';
import { s3CompareRules } from '../../../repro/scenarios/s3-leak/compare.ts';
import { quickProtocolQuickLook, type QuickLook } from '../../bundles/quick-look.ts';
import { formatMiB } from '../../lib/format.ts';
import type { BundleSpec } from '../types.ts';

const ramNote = 'the embedded S3 server runs in its own process beside it';

export const s3Bundle: BundleSpec<S3LeakRecord> = {
  dependencies: ['node', 'bun-zig', 'bun-rust', 's3rver'],
  allowScripts: ['node', 'bun'],
  ramNote,
  os: 'Linux x64 (the pinned Bun and Node packages); macOS works with --bun <path> builds',
  // The probe is held to the recorded memory cap, so the reader needs that much free.
  ram: (run) =>
    `${formatMiB(run[0]!.parameters.memoryCapMiB * 1024 * 1024, 0)} free: the probe is held to that cap; ${ramNote}`,
};

/**
 * The harness's quick protocol (repro/scenarios/s3-leak/scenario.ts, `quick[0].flags`), repeated
 * here because the site's modules reach the browser and the harness's scenario module is Node only;
 * tests/unit/site/bundles.test.ts checks the two agree.
 */
export const S3_LEAK_QUICK_FLAGS = ['--quick'];

export function s3QuickLook(all: readonly RunRecord[]): QuickLook | undefined {
  return quickProtocolQuickLook('s3-leak', s3CompareRules, all, S3_LEAK_QUICK_FLAGS);
}
