// render.ts's SVG markup, parsed into a node for the page: shared by the live page's script and the
// site's "Compare with your run". Plot's own <style> and any style="" go (the page's stylesheet has
// their rules, and the CSP refuses inline style). Parsed as XML, so nothing in it is read as HTML.
export function svgNode(markup: string, className?: string): SVGSVGElement {
  // Removed from the text, not the parsed tree: the parser would already have applied it, against the CSP.
  const doc = new DOMParser().parseFromString(markup.replace(/<style>[^<]*<\/style>/g, ''), 'image/svg+xml');
  const svg = doc.documentElement as unknown as SVGSVGElement;
  if (svg.nodeName !== 'svg' || doc.querySelector('parsererror'))
    throw new Error('the chart could not be drawn from these records');
  for (const el of svg.querySelectorAll('style')) el.remove();
  for (const el of [svg, ...svg.querySelectorAll('[style]')]) el.removeAttribute('style');
  if (className) svg.classList.add(className);
  return document.importNode(svg, true);
}
