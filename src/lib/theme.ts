// The reader's theme choice, kept across pages. Without JavaScript the header's radios switch the
// theme on the page at hand (CSS :has(), see site.css); this script adds memory: it runs in <head>,
// before anything paints, and marks <html data-theme> from localStorage, so no page flashes the
// other theme. The build hashes it into the Content-Security-Policy like every inline script.

/** localStorage key; absent means "auto" (follow the system). */
export const THEME_STORAGE_KEY = 'casebook-theme';

/**
 * CSS selector (to append to `:root`) for "the reader chose this theme", by script or by radio.
 * One definition for site.css's colour scheme and Expressive Code's themes (astro.config.mjs).
 */
export function chosenThemeSelector(type: 'light' | 'dark'): string {
  return `:is([data-theme='${type}'], :has(#theme-${type}:checked))`;
}

// Plain ES2019, inlined in every page with its line breaks and indentation taken out (every
// statement ends in ";" or a brace). localStorage may throw (storage disabled): the choice then
// lasts for the page only, as without JavaScript. `sync` also runs on pageshow, as the back button
// may restore a page, or radios, from before the choice changed.
export const THEME_SCRIPT = `(() => {
  const key = ${JSON.stringify(THEME_STORAGE_KEY)}, root = document.documentElement;
  const stored = () => { try { return localStorage.getItem(key); } catch { return null; } };
  const apply = (t) => { if (t === 'light' || t === 'dark') root.dataset.theme = t; else delete root.dataset.theme; };
  const sync = () => {
    const t = stored() || 'auto', radio = document.getElementById('theme-' + t);
    if (radio) radio.checked = true;
    apply(t);
  };
  apply(stored());
  document.addEventListener('DOMContentLoaded', sync);
  addEventListener('pageshow', sync);
  addEventListener('storage', (e) => { if (e.key === key) sync(); });
  document.addEventListener('change', (e) => {
    if (e.target.name !== 'theme') return;
    const t = e.target.id.replace('theme-', '');
    try { if (t === 'auto') localStorage.removeItem(key); else localStorage.setItem(key, t); } catch {}
    apply(t);
  });
})();`.replace(/\n\s*/g, '');
