// Names used in page chrome, meta tags, citations and CITATION.cff. One place, so they agree.
export const SITE_TITLE = 'Bun Rewrite Casebook';
export const SITE_AUTHOR = 'Bun Rewrite Casebook contributors';
export const SITE_DESCRIPTION =
  "Bun's Zig-to-Rust rewrite in production: what it fixed, what came later and what it broke, on every published build, with charts drawn only from recorded runs and downloadable reproduction bundles.";
/** The licence of the text, figures and code (LICENSE, CITATION.cff and package.json say the same). */
export const SITE_LICENSE = { spdx: 'MIT', name: 'MIT License' } as const;
