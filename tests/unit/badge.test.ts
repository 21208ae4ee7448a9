// The builds' badges (/badges/<npm label>.svg): the count a badge shows is the index's count of
// affected states, undecided ones are said, and the SVG is a standalone, accessible image.
import { JSDOM } from 'jsdom';
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { BuildsIndex, type CellStatus, type IndexedBuild } from '../../repro/core/builds-index.ts';
import { fromRoot } from '../../repro/harness/paths.ts';
import { BADGE_COLOURS, badgeSvg, buildBadge } from '../../src/lib/badge.ts';
import { FRAME_FONT } from '../../src/figures/export-frame.ts';
import { textWidth } from '../../src/figures/text-width.ts';

const index = BuildsIndex.parse(JSON.parse(readFileSync(fromRoot('repro', 'affected', 'builds.json'), 'utf8')));
const build = (npm: string) => index.builds.find((b) => b.npm === npm)!;
const affectedCount = (b: IndexedBuild) => index.failures.filter((f) => b.states[f.id]?.status === 'affected').length;

function parseSvg(svg: string): SVGSVGElement {
  const doc = new new JSDOM('').window.DOMParser().parseFromString(svg, 'image/svg+xml');
  expect(doc.getElementsByTagName('parsererror')).toHaveLength(0);
  return doc.documentElement as unknown as SVGSVGElement;
}

test.each(['1.3.0', '1.3.14', '1.4.0', '1.4.2', '1.4.5', '1.4.5-canary.20261202.1'])(
  'bun %s: the count is the index’s affected states',
  (npm) => {
    const b = build(npm);
    const badge = buildBadge(index, b);
    const n = affectedCount(b);
    expect(badge.counts.affected).toBe(n);
    expect(badge.label).toBe(`bun ${npm}`);
    if (n > 0) {
      expect(badge.message).toMatch(new RegExp(`^${n} recorded failures?\\b`));
      expect(badge.tone).toBe('affected');
    } else expect(badge.message).toMatch(/^no recorded failure/);

    const svg = parseSvg(badgeSvg(badge));
    const said = `${badge.label}: ${badge.message}`;
    expect(svg.getAttribute('role')).toBe('img');
    expect(svg.getAttribute('aria-label')).toBe(said);
    expect(svg.querySelector('title')?.textContent).toBe(said);
    expect([...svg.querySelectorAll('text')].map((t) => t.textContent)).toEqual([badge.label, badge.message]);
    // Standalone: nothing fetched, nothing run, no link.
    expect(svg.querySelectorAll('script, a, image, style, foreignObject, use')).toHaveLength(0);
    expect(badgeSvg(badge)).not.toMatch(/href|url\(|@import/);
    // Solid fills only, and each text fits its half with the measured widths.
    const rects = [...svg.querySelectorAll('rect')];
    for (const r of rects) expect(r.getAttribute('fill')).toMatch(/^#[0-9a-f]{6}$/);
    expect(rects[0]!.getAttribute('fill')).toBe(BADGE_COLOURS[badge.tone]);
    const [label, message] = [...svg.querySelectorAll('text')];
    const width = Number(svg.getAttribute('width'));
    expect(Number(label!.getAttribute('textLength'))).toBeGreaterThanOrEqual(textWidth(badge.label, 11));
    expect(Number(label!.getAttribute('textLength')) + Number(message!.getAttribute('textLength')) + 24).toBe(width);
  },
);

test('text that is markup stays text: the tree escapes it, and the fonts are the export frame’s', () => {
  const odd = { ...buildBadge(index, build('1.4.2')), label: 'bun <1.4.2> & "co"', message: "it's <b>bold</b>" };
  const svg = parseSvg(badgeSvg(odd));
  expect([...svg.querySelectorAll('text')].map((t) => t.textContent)).toEqual([odd.label, odd.message]);
  expect(svg.getAttribute('aria-label')).toBe(`${odd.label}: ${odd.message}`);
  expect(svg.querySelectorAll('b')).toHaveLength(0);
  expect(svg.querySelector('g')!.getAttribute('font-family')).toBe(FRAME_FONT);
});

test('1.4.2 has failures, 1.4.5 none: the two tones a README shows most', () => {
  expect(buildBadge(index, build('1.4.2')).tone).toBe('affected');
  expect(buildBadge(index, build('1.4.5'))).toMatchObject({ message: 'no recorded failure', tone: 'clear' });
});

describe('undecided failures are counted honestly', () => {
  const failures = ['a', 'b', 'c'].map((id) => ({ ...index.failures[0]!, id }));
  const small = { ...index, failures };
  const make = (statuses: readonly CellStatus[]): IndexedBuild => ({
    ...index.builds[0]!,
    states: Object.fromEntries(statuses.map((status, i) => [failures[i]!.id, { status, text: status, record: null }])),
  });
  test.each([
    [['affected', 'affected', 'inconclusive'], '2 recorded failures, 1 undecided', 'affected'],
    [['affected', 'not-affected', 'not-affected'], '1 recorded failure', 'affected'],
    [['not-affected', 'not-run', 'inconclusive'], 'no recorded failure, 2 undecided', 'partial'],
    [['not-run', 'inconclusive', 'not-run'], 'no failure decided', 'unknown'],
    [['not-affected', 'not-affected', 'not-affected'], 'no recorded failure', 'clear'],
  ] as const)('%j: %s', (states, message, tone) => {
    expect(buildBadge(small, make(states))).toMatchObject({ message, tone });
  });

  test('white text on every fill has at least 4.5:1 contrast', () => {
    const luminance = (hex: string) => {
      const [r, g, b] = [1, 3, 5]
        .map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
        .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    for (const colour of Object.values(BADGE_COLOURS))
      expect(1.05 / (luminance(colour) + 0.05), colour).toBeGreaterThanOrEqual(4.5);
  });
});
