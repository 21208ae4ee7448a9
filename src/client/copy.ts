// Copy buttons (cite blocks) and the reader's retrieval date in citations. Loaded only on pages
// that have a cite block.
import { withRetrieved, type CitationFormat } from '../lib/retrieved.ts';

export function initCiteBlocks(): void {
  const today = new Date();
  for (const pre of document.querySelectorAll<HTMLElement>('pre[data-citation]')) {
    pre.textContent = withRetrieved(pre.dataset.citation as CitationFormat, pre.textContent ?? '', today);
  }
  for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-copy]')) {
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
