// In the live page's script, `jsdom` is this: render.ts's one DOM dependency is
// `new JSDOM('').window.document`, and in a browser that is the page's own document. With it the
// browser runs render.ts itself, unchanged, so the page draws exactly what the site draws.
export class JSDOM {
  window: Window & typeof globalThis;
  constructor(_html?: string) {
    this.window = window;
  }
}
