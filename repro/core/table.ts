// Plain-text tables and units for the CLI's summary output.
import { terminalSafe } from './control-characters.ts';

/**
 * Left-aligned columns separated by two spaces, a dashed rule under the header. Cells often hold a
 * record's text, so each is made terminal-safe (control characters escaped) before it is measured.
 */
export function formatTable(header: string[], unsafeRows: string[][]): string {
  const rows = unsafeRows.map((r) => r.map(terminalSafe));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export const MiB = 1024 * 1024;

export function mib(bytes: number, digits = 1): string {
  return `${(bytes / MiB).toFixed(digits)} MiB`;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
