// Text and attribute values for XML the site writes by hand: the Atom feed, the badges, the figures.

/** `s` as XML character data or an attribute value (either quote): & < > " ' escaped. */
export function xmlText(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}
