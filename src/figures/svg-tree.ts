// SVG as a tree, for the export frame (export-frame.ts) to edit a rendered chart without a DOM: a
// small parser for the markup renderFigure returns (elements, double-quoted attributes, text, the
// character references an HTML or XML serialiser writes) and a serialiser that writes XML. Markup
// the figures write themselves (the badges, the empty frame, the legend, Plot's markers) is built
// as a tree too, and written by serializeSvg or, into the document Plot draws in, by toDom.

export interface SvgElement {
  name: string;
  /** In document order; a name once. */
  attrs: [name: string, value: string][];
  children: SvgNode[];
}
/** Text is held decoded: "a < b", not "a &lt; b". */
export type SvgNode = SvgElement | string;

/** An element from its name, attributes (undefined ones left out) and children. */
export function el(
  name: string,
  attrs: Record<string, string | number | undefined> = {},
  children: SvgNode[] = [],
): SvgElement {
  return {
    name,
    attrs: Object.entries(attrs).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)] as [string, string]])),
    children,
  };
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

function decode(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (all, ref: string) => {
    if (ref[0] === '#')
      return String.fromCodePoint(ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : Number(ref.slice(1)));
    const named = NAMED[ref];
    if (named === undefined) throw new Error(`SVG: unknown character reference ${all}.`);
    return named;
  });
}

// A start or end tag (attributes double-quoted, as both serialisers write them), or text up to the next tag.
const TOKEN = /<(\/?)([\w:-]+)((?:\s+[\w:-]+="[^"]*")*)\s*(\/?)>|([^<]+)/y;
const ATTR = /([\w:-]+)="([^"]*)"/g;

/** The one root element of `markup`; anything else (a comment, a second root, an unclosed tag) throws. */
export function parseSvg(markup: string): SvgElement {
  const source = markup.replace(/^<\?xml[^>]*\?>\s*/, '').trim();
  const root: SvgElement = { name: '#root', attrs: [], children: [] };
  const open: SvgElement[] = [root];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < source.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(source);
    if (!m) throw new Error(`SVG: cannot read the markup at character ${at}: ${source.slice(at, at + 40)}`);
    const [, close, name, attrs, selfClose, text] = m;
    const parent = open.at(-1)!;
    if (text !== undefined) {
      parent.children.push(decode(text));
    } else if (close) {
      if (parent.name !== name) throw new Error(`SVG: </${name}> closes <${parent.name}>.`);
      open.pop();
    } else {
      const element: SvgElement = {
        name: name!,
        attrs: [...attrs!.matchAll(ATTR)].map(([, k, v]) => [k!, decode(v!)] as [string, string]),
        children: [],
      };
      parent.children.push(element);
      if (!selfClose) open.push(element);
    }
  }
  if (open.length > 1) throw new Error(`SVG: <${open.at(-1)!.name}> is never closed.`);
  const elements = root.children.filter((c) => typeof c !== 'string');
  if (elements.length !== 1 || root.children.some((c) => typeof c === 'string' && c.trim()))
    throw new Error('SVG: the markup is not a single root element.');
  return elements[0]!;
}

const escapeText = (s: string) => s.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);
const escapeAttr = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** XML: `<name a="v">…</name>`, an element without children as `<name a="v"/>`. */
export function serializeSvg(node: SvgNode): string {
  if (typeof node === 'string') return escapeText(node);
  const attrs = node.attrs.map(([k, v]) => ` ${k}="${escapeAttr(v)}"`).join('');
  return node.children.length === 0
    ? `<${node.name}${attrs}/>`
    : `<${node.name}${attrs}>${node.children.map(serializeSvg).join('')}</${node.name}>`;
}

/** Calls `visit` on `node` and every element under it, parents first. */
export function walkSvg(node: SvgElement, visit: (element: SvgElement) => void): void {
  visit(node);
  for (const child of node.children) if (typeof child !== 'string') walkSvg(child, visit);
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** The tree as nodes of `document`: SVG elements and text, for render.ts and Plot, which draw into a DOM. */
export function toDom(document: Document, node: SvgNode): Element | Text {
  if (typeof node === 'string') return document.createTextNode(node);
  const element = document.createElementNS(SVG_NS, node.name);
  for (const [k, v] of node.attrs) element.setAttribute(k, v);
  for (const child of node.children) element.append(toDom(document, child));
  return element;
}

/**
 * A Plot marker (a line mark's `marker` option) from a tree: Plot calls it with the line's colour
 * and the document it draws in, so a figure's spec describes its marker without touching a DOM.
 */
export function treeMarker(
  marker: (color: string) => SvgElement,
): (color: string, context: { document: Document }) => SVGMarkerElement {
  return (color, context) => toDom(context.document, marker(color)) as SVGMarkerElement;
}
