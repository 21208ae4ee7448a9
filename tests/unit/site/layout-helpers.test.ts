// The build-time helpers behind the site's layout at every width: Markdown tables wrapped in a
// scroll region (run through Sätteri, the Markdown processor the site builds with), and code spans
// in text written for a README.
import { markdownToHtml } from 'satteri';
import { expect, test } from 'vitest';
import { codeSpans } from '../../../src/lib/code-spans.ts';
import { rehypeTableScroll } from '../../../src/lib/rehype-table-scroll.ts';

// Sätteri returns a promise only when a plugin is async; this one is not, but await either way.
const html = async (md: string) => (await markdownToHtml(md, { hastPlugins: [rehypeTableScroll] })).html;

test('a Markdown table is wrapped in a focusable region named by its column headings', async () => {
  const out = await html('Before.\n\n| Pull request | `fix` status |\n|---|---|\n| #1 | open |\n\nAfter.\n');
  expect(out).toMatch(
    /<div class="table-scroll" role="region" tabindex="0" aria-label="Table: Pull request; fix status"><table>[\s\S]*<\/table><\/div>/,
  );
  expect(out.match(/<table>/g)).toHaveLength(1);
  expect(out).toContain('<p>Before.</p>');
  expect(out).toContain('<p>After.</p>');
});

test('every table gets its own region; empty headings are left out of the name', async () => {
  const out = await html('| | A |\n|---|---|\n| x | 1 |\n\n| B |\n|---|\n| 2 |\n');
  expect([...out.matchAll(/aria-label="([^"]*)"/g)].map((m) => m[1])).toEqual(['Table: A', 'Table: B']);
});

test('prose without tables is untouched', async () => {
  expect(await html('Just *text*.\n')).toBe((await markdownToHtml('Just *text*.\n')).html);
});

test('code spans are split out of text written in Markdown', () => {
  expect(codeSpans('the recorded run (`npm run repro -- s3-leak`) took 7 minutes')).toEqual([
    { text: 'the recorded run (', code: false },
    { text: 'npm run repro -- s3-leak', code: true },
    { text: ') took 7 minutes', code: false },
  ]);
  expect(codeSpans('no code here')).toEqual([{ text: 'no code here', code: false }]);
  expect(codeSpans('`a`')).toEqual([{ text: 'a', code: true }]);
  // A longer fence holds a backtick; one space either side is padding (CommonMark).
  expect(codeSpans('`` a ` b `` and `c`')).toEqual([
    { text: 'a ` b', code: true },
    { text: ' and ', code: false },
    { text: 'c', code: true },
  ]);
  // A fence with no closing run of the same length stays literal.
  expect(codeSpans('unclosed `x')).toEqual([{ text: 'unclosed `x', code: false }]);
  expect(codeSpans('x ```y`')).toEqual([{ text: 'x ```y`', code: false }]);
});
