// The S3 upload's reproduction bundle: what it installs, what it needs, and its quick look, which is
// the quick protocol (two repetitions, one fetch control), compared with the published run: the
// rules compare payloads, methods and thresholds, not the number of repetitions. The Bun
// builds (1.3.14, 1.4.2, 1.4.5) are not npm dependencies: the harness installs each from the
// registry on first use (@oven/bun-linux-x64, integrity-checked, cached).
import type { RunRecord, S3UploadRecord } from '../../../repro/core/record/schema.ts';
import { uploadCompareRules } from '../../../repro/scenarios/s3-upload/compare.ts';
import { quickProtocolQuickLook, type QuickLook } from '../../bundles/quick-look.ts';
import { formatMiB } from '../../lib/format.ts';
import type { BundleSpec } from '../types.ts';

const ramNote =
  'the embedded S3 server runs in its own process beside it, and each payload is written to a temporary file first';

export const uploadBundle: BundleSpec<S3UploadRecord> = {
  dependencies: ['node', 's3rver'],
  allowScripts: ['node'],
  ramNote,
  os: 'Linux x64 (the probe reads /proc; the Bun builds come from npm as @oven/bun-linux-x64)',
  ram: (run) =>
    `${formatMiB(run[0]!.parameters.memoryCapMiB * 1024 * 1024, 0)} free: the probe is held to that cap; ${ramNote}`,
};

/**
 * The harness's quick protocol (repro/scenarios/s3-upload/scenario.ts, `quick[0].flags`), repeated
 * here because the site's modules reach the browser and the harness's scenario module is Node only;
 * tests/unit/site/bundles.test.ts checks the two agree.
 */
export const S3_UPLOAD_QUICK_FLAGS = [
  '--repetitions',
  '2',
  '--control-payload-mib',
  '64',
  '--control-repetitions',
  '1',
];

export function uploadQuickLook(all: readonly RunRecord[]): QuickLook | undefined {
  return quickProtocolQuickLook('s3-upload', uploadCompareRules, all, S3_UPLOAD_QUICK_FLAGS);
}
