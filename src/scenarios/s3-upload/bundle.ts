// The S3 upload's reproduction bundle: what it installs, what it needs, and its quick look, which is
// the run as published (a few minutes): the compare rules compare like parameters only. The Bun
// builds (1.3.14, 1.4.2, 1.4.5) are not npm dependencies: the harness installs each from the
// registry on first use (@oven/bun-linux-x64, integrity-checked, cached).
import type { RunRecord, S3UploadRecord } from '../../../repro/core/record/schema.ts';
import { uploadCompareRules } from '../../../repro/scenarios/s3-upload/compare.ts';
import { publishedRunQuickLook, type QuickLook } from '../../bundles/quick-look.ts';
import { formatMiB } from '../../lib/format.ts';
import type { BundleSpec } from '../types.ts';

const ramNote = 'the embedded S3 server runs in its own process beside it, and each payload is written to a temporary file first';

export const uploadBundle: BundleSpec<S3UploadRecord> = {
  dependencies: ['node', 's3rver'],
  allowScripts: ['node'],
  ramNote,
  os: 'Linux x64 (the probe reads /proc; the Bun builds come from npm as @oven/bun-linux-x64)',
  ram: (run) => `${formatMiB(run[0]!.parameters.memoryCapMiB * 1024 * 1024, 0)} free: the probe is held to that cap; ${ramNote}`,
};

export function uploadQuickLook(all: readonly RunRecord[]): QuickLook | undefined {
  return publishedRunQuickLook('s3-upload', uploadCompareRules, all);
}
