// Number and date formatting shared by figures, stats, tables and citations.
// Fixed locale and UTC so output does not depend on the machine that builds the site.

export const MiB = 1024 * 1024;

// Made on first use, not when the module loads: a browser loads locale data for the first Intl
// formatter, some 25 ms of one task (about 110 ms on Lighthouse's throttled phone), which a page that
// imports this module only for something else (the copy buttons on /browser/) should not pay.
let intFormat: Intl.NumberFormat | undefined;

export function bytesToMiB(bytes: number): number {
  return bytes / MiB;
}

/** "912.4 MiB": one decimal is within the noise of an RSS reading. */
export function formatMiB(bytes: number, digits = 1): string {
  return `${bytesToMiB(bytes).toFixed(digits)} MiB`;
}

/** A file's size for a download link: "840 B", "12.3 KiB", "13.7 MiB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  return bytes < MiB ? `${(bytes / 1024).toFixed(1)} KiB` : formatMiB(bytes);
}

export function formatInt(n: number): string {
  intFormat ??= new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
  return intFormat.format(n);
}

/** "1,234 ms" below 10 s, "12.3 s" above: readers compare magnitudes, not milliseconds. */
export function formatMs(ms: number): string {
  return ms < 10_000 ? `${formatInt(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** "2026-05-04" from a Date or an ISO timestamp, in UTC. */
export function isoDay(value: Date | string): string {
  const d = typeof value === 'string' ? new Date(value) : value;
  return d.toISOString().slice(0, 10);
}

/** "4 May 2026": the human form used in prose and plain citations. */
export function longDay(value: Date | string): string {
  const d = typeof value === 'string' ? new Date(value) : value;
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    d,
  );
}

/** toFixed without the "-0.00" a slope of -0.001 would print. */
export function fixed(n: number, digits: number): string {
  const s = n.toFixed(digits);
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s;
}

/** "a, b and c". */
export function listOf(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
