// The loader of "Compare with your run" (CompareRun.astro): shows each control and hands the files
// to src/client/overlay.ts, a script of its own imported on first use, so a page weighs no more until
// a reader reaches for the control. It imports nothing statically, so Astro inlines it; the chunk's
// address comes from the control, as Vite would otherwise wrap the import in its preload helper.
type OverlayModule = typeof import('./overlay.ts');

/** "fig.json", or "3 files: a.json, b.json, c.json", cut short where a long list would wrap for lines. */
function fileNames(files: readonly File[]): string {
  const names = files.map((f) => f.name).join(', ');
  const list = names.length > 120 ? `${names.slice(0, 119)}…` : names;
  return files.length === 1 ? list : `${files.length} files: ${list}`;
}

export function wakeCompareRuns(): void {
  for (const box of document.querySelectorAll<HTMLElement>('[data-compare-run]')) {
    const load = (): Promise<OverlayModule> => import(/* @vite-ignore */ box.dataset.compareScript!);
    const input = box.querySelector<HTMLInputElement>('input[type=file]')!;
    const status = box.querySelector<HTMLElement>('[data-compare-status]')!;
    const chosen = box.querySelector<HTMLElement>('[data-compare-files]')!;
    const compare = (list: FileList | null | undefined) => {
      const files = [...(list ?? [])];
      chosen.textContent = files.length > 0 ? `Chosen: ${fileNames(files)}` : 'No file chosen.';
      return load()
        .then((m) => m.compareFiles(box, files))
        .catch(() => {
          status.textContent = 'Could not load the comparison code; reload the page and try again.';
          status.classList.add('compare-error');
        });
    };
    // A click opens the file chooser: fetch the chunk meanwhile.
    input.addEventListener('click', () => void load().catch(() => {}));
    input.addEventListener('change', () => {
      void compare(input.files).then(() => (input.value = ''));
    });
    box.addEventListener('dragover', (e) => {
      e.preventDefault();
      box.classList.add('compare-dragging');
    });
    box.addEventListener('dragleave', () => box.classList.remove('compare-dragging'));
    box.addEventListener('drop', (e) => {
      e.preventDefault();
      box.classList.remove('compare-dragging');
      void compare(e.dataTransfer?.files);
    });
    box.querySelector('[data-compare-nojs]')?.remove();
    box.querySelector<HTMLElement>('[data-compare-controls]')!.hidden = false;
  }
}
