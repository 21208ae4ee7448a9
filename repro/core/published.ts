// When npm published each Bun build for this platform: the registry's `time` field for
// @oven/bun-linux-x64, as the matrix last read it (content/matrix/published.json). The run records
// say when a build was measured, not when it came out; this says when it came out, with where and
// when that was read.
import { z } from 'zod';

const PublishedBuild = z.strictObject({
  /** The npm label, e.g. 1.4.5-canary.20261202.1. */
  version: z.string().regex(/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/),
  /** The registry's publication time for it (ISO 8601). */
  published: z.iso.datetime(),
  /** The tarball's integrity as the registry lists it. */
  integrity: z.string().startsWith('sha512-'),
});

export const PublishedBuilds = z.strictObject({
  schema: z.literal(1),
  package: z.string(),
  /** The registry read, e.g. https://registry.npmjs.org/. */
  registry: z.url(),
  retrievedAt: z.iso.datetime(),
  /** Oldest first, by publication time. */
  versions: z.array(PublishedBuild),
});
export type PublishedBuilds = z.infer<typeof PublishedBuilds>;
