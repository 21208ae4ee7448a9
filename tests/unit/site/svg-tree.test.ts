// The export frame edits a chart as a tree (src/figures/svg-tree.ts): what it parses and writes back
// is the chart, to the attribute, and what it writes is XML a strict parser reads.
import { JSDOM } from 'jsdom';
import { describe, expect, test } from 'vitest';
import { figureDownload } from '../../../src/figures/downloads.ts';
import { figureData, figures, getFigure } from '../../../src/figures/registry.ts';
import { renderFigure } from '../../../src/figures/render.ts';
import {
  el,
  parseSvg,
  serializeSvg,
  toDom,
  treeMarker,
  walkSvg,
  type SvgElement,
} from '../../../src/figures/svg-tree.ts';
import { fixtureFor } from './fixtures.ts';

/** The document as a strict XML parser reads it, written back by the DOM's own serialiser: equal when the meaning is. */
function canonical(markup: string, contentType: 'image/svg+xml' | 'text/html'): string {
  const { window } = new JSDOM(markup, { contentType });
  const root = contentType === 'text/html' ? window.document.body.firstElementChild! : window.document.documentElement;
  return new window.XMLSerializer().serializeToString(root);
}

describe.each(figures.map((f) => [f.id, f] as const))('figure %s', (id, figure) => {
  const all = fixtureFor(figure);
  test('its chart, parsed and written back, is the chart', () => {
    const { svg } = renderFigure(figure, figureData(figure, all).rows);
    const written = serializeSvg(parseSvg(svg));
    expect(canonical(written, 'image/svg+xml')).toBe(canonical(svg, 'text/html'));
  });

  test('its SVG download is well-formed XML, one <svg> holding the chart nested', () => {
    const download = figureDownload(id, 'svg', all) as string;
    // jsdom's XML parser (saxes) throws on anything that is not well-formed.
    const { document } = new JSDOM(download, { contentType: 'image/svg+xml' }).window;
    expect(document.documentElement.localName).toBe('svg');
    expect(document.documentElement.namespaceURI).toBe('http://www.w3.org/2000/svg');
    expect(document.querySelectorAll(':root > svg > g.plot, :root > svg > g[class^="plot"]')).toHaveLength(1);
  });
});

test('text and attributes are decoded when read and escaped as XML when written', () => {
  const tree = parseSvg(
    '<svg a="x &amp; &quot;y&quot; &lt;b&gt;"><text>a&nbsp;&lt;&amp;&gt; &#39;q&#x27;</text></svg>',
  );
  expect(tree.attrs).toEqual([['a', 'x & "y" <b>']]);
  expect(tree.children).toEqual([{ name: 'text', attrs: [], children: ["a\u00a0<&> 'q'"] }]);
  expect(serializeSvg(tree)).toBe(
    '<svg a="x &amp; &quot;y&quot; &lt;b&gt;"><text>a\u00a0&lt;&amp;&gt; \'q\'</text></svg>',
  );
  expect(serializeSvg(el('g', { a: 1, b: undefined }, [el('rect')]))).toBe('<g a="1"><rect/></g>');
});

test('markup that is not one element throws, naming what is wrong', () => {
  expect(() => parseSvg('<svg><g></svg>')).toThrow('</svg> closes <g>');
  expect(() => parseSvg('<svg><g>')).toThrow('<g> is never closed');
  expect(() => parseSvg('<svg/><svg/>')).toThrow('not a single root element');
  expect(() => parseSvg('<svg><!-- x --></svg>')).toThrow('cannot read the markup');
  expect(() => parseSvg('<svg>&bogus;</svg>')).toThrow('unknown character reference &bogus;');
});

test('a tree put into a document is the same SVG, its text still text; a tree marker is what Plot draws', () => {
  const { document } = new JSDOM('').window;
  const tree = el('g', { transform: 'translate(1,2)', 'data-x': 'a "b" <c>' }, [
    el('circle', { r: 2.5 }),
    el('text', { dy: '0.35em' }, ["it's <b>&"]),
  ]);
  const node = toDom(document, tree) as Element;
  expect(node.namespaceURI).toBe('http://www.w3.org/2000/svg');
  expect([...node.children].map((c) => c.namespaceURI)).toEqual([
    'http://www.w3.org/2000/svg',
    'http://www.w3.org/2000/svg',
  ]);
  expect(node.querySelector('text')!.textContent).toBe("it's <b>&");
  expect(node.querySelectorAll('b')).toHaveLength(0);
  expect(parseSvg(node.outerHTML)).toEqual(tree);

  // s3-rss draws its probe samples as a ring at each vertex of one path, from such a marker.
  const { rows } = figureData(getFigure('s3-rss'), fixtureFor(getFigure('s3-rss')));
  const { svg } = renderFigure(getFigure('s3-rss'), rows);
  const markers: SvgElement[] = [];
  walkSvg(parseSvg(svg), (e) => e.name === 'marker' && markers.push(e));
  expect(markers.length).toBeGreaterThan(0);
  for (const marker of markers)
    expect(marker.children).toEqual([{ name: 'circle', attrs: [['r', '2.5']], children: [] }]);
  const made = treeMarker((color) => el('marker', { stroke: color }, [el('circle', { r: 1 })]))('#123456', {
    document,
  });
  expect(made.outerHTML).toBe('<marker stroke="#123456"><circle r="1"></circle></marker>');
});
