// In the live page's script, `jsdom` is this: render.ts's one DOM dependency is
// `new JSDOM('').window.document`. Here it gets a blank document of the browser's own, apart from
// the page (Plot adds a <style> to each chart, which the page's CSP would refuse; the page takes the
// finished SVG as text). With it the browser runs render.ts itself, unchanged, so the page draws
// exactly what the site draws.
export class JSDOM {
  window: { document: Document };
  constructor(_html?: string) {
    this.window = { document: document.implementation.createHTMLDocument('') };
  }
}
