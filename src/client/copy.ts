// Copy buttons (cite blocks, the WebContainer page's fallback command) and the reader's retrieval
// date in citations. Loaded only on pages that have one of them.
import { withRetrieved, type CitationFormat } from '../lib/retrieved.ts';

export function initCiteBlocks(): void {
  const today = new Date();
  for (const pre of document.querySelectorAll<HTMLElement>('pre[data-citation]')) {
    pre.textContent = withRetrieved(pre.dataset.citation as CitationFormat, pre.textContent ?? '', today);
  }
  initCopyButtons(document);
}

/**
 * Each `button[data-copy="<id>"]` copies the text of element #<id>. The buttons ship hidden and are
 * shown here, so a reader without JavaScript is not offered a dead button.
 */
export function initCopyButtons(scope: ParentNode): void {
  for (const button of scope.querySelectorAll<HTMLButtonElement>('button[data-copy]')) {
    button.hidden = false;
    button.addEventListener('click', async () => {
      const target = document.getElementById(button.dataset.copy!);
      if (!target) return;
      try {
        await navigator.clipboard.writeText(target.textContent ?? '');
        button.textContent = 'Copied';
      } catch {
        button.textContent = 'Copy failed: select the text';
      }
      setTimeout(() => (button.textContent = 'Copy'), 2000);
    });
  }
}
