// A build's badge (/badges/<npm label>.svg): "bun 1.4.2 | 5 recorded failures", for a README. Flat,
// in the shape of shields.io's, with solid fills and white text dark enough behind it (at least 4.5:1)
// to read on a light or a dark page; no font, script or link of its own. Text widths come from the
// figures' one text-width model (text-width.ts: DejaVu Sans, the widest of the export frame's fonts),
// and each text is held to that width with textLength, so the badge looks the same in any of them.
// The markup is built as a tree and written by svg-tree.ts, like the export frame's.
import type { BuildsIndex, CellStatus, IndexedBuild } from '../../repro/core/builds-index.ts';
import { FRAME_FONT } from '../figures/export-frame.ts';
import { el, serializeSvg } from '../figures/svg-tree.ts';
import { textWidth } from '../figures/text-width.ts';

export const BADGE_COLOURS = {
  label: '#555555',
  /** Some recorded failure affects the build. */
  affected: '#b42318',
  /** Every failure decided, none affects it. */
  clear: '#1a7f37',
  /** None affects it, but some are undecided: not a clean bill. */
  partial: '#8a5a00',
  /** Nothing decided. */
  unknown: '#5f6368',
} as const;

type BadgeTone = Exclude<keyof typeof BADGE_COLOURS, 'label'>;

export interface Badge {
  label: string;
  message: string;
  tone: BadgeTone;
  counts: Record<CellStatus, number>;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** What a build's badge says: its affected failures, and the undecided (inconclusive or not run) ones counted apart. */
export function buildBadge(index: BuildsIndex, build: IndexedBuild): Badge {
  const counts: Record<CellStatus, number> = { affected: 0, 'not-affected': 0, inconclusive: 0, 'not-run': 0 };
  for (const f of index.failures) counts[build.states[f.id]?.status ?? 'not-run']++;
  const undecided = counts.inconclusive + counts['not-run'];
  const label = `bun ${build.npm}`;
  const andUndecided = undecided > 0 ? `, ${undecided} undecided` : '';
  if (counts.affected > 0)
    return {
      label,
      message: `${plural(counts.affected, 'recorded failure')}${andUndecided}`,
      tone: 'affected',
      counts,
    };
  if (counts['not-affected'] === 0) return { label, message: 'no failure decided', tone: 'unknown', counts };
  return { label, message: `no recorded failure${andUndecided}`, tone: undecided > 0 ? 'partial' : 'clear', counts };
}

const FONT_SIZE = 11;
const HEIGHT = 20;
const PAD = 6;

/** The badge as a standalone SVG document, built as a tree (svg-tree.ts), which escapes its text. */
export function badgeSvg(badge: Badge): string {
  const text = `${badge.label}: ${badge.message}`;
  const lw = Math.ceil(textWidth(badge.label, FONT_SIZE));
  const mw = Math.ceil(textWidth(badge.message, FONT_SIZE));
  const left = lw + 2 * PAD;
  const width = left + mw + 2 * PAD;
  const svg = el(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      width,
      height: HEIGHT,
      viewBox: `0 0 ${width} ${HEIGHT}`,
      role: 'img',
      'aria-label': text,
    },
    [
      el('title', {}, [text]),
      el('rect', { width, height: HEIGHT, rx: 3, fill: BADGE_COLOURS[badge.tone] }),
      el('rect', { width: left, height: HEIGHT, rx: 3, fill: BADGE_COLOURS.label }),
      el('rect', { x: left - 3, width: 3, height: HEIGHT, fill: BADGE_COLOURS.label }),
      el('g', { fill: '#ffffff', 'text-anchor': 'middle', 'font-family': FRAME_FONT, 'font-size': FONT_SIZE }, [
        el('text', { x: left / 2, y: 14, textLength: lw }, [badge.label]),
        el('text', { x: left + PAD + mw / 2, y: 14, textLength: mw }, [badge.message]),
      ]),
    ],
  );
  return `${serializeSvg(svg)}\n`;
}

/** The file name of a build's badge, under /badges/. */
export function badgeFile(npm: string): string {
  return `${npm}.svg`;
}
