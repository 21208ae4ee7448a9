// The loader of "Compare with your run" (CompareRun.astro): shows each control and hands the files
// to src/client/overlay.ts, a script of its own imported on first use, so a page weighs no more until
// a reader reaches for the control. It imports nothing statically, so Astro inlines it; the chunk's
// address comes from the control, as Vite would otherwise wrap the import in its preload helper.
type OverlayModule = typeof import('./overlay.ts');

export function wakeCompareRuns(): void {
  for (const box of document.querySelectorAll<HTMLElement>('[data-compare-run]')) {
    const load = (): Promise<OverlayModule> => import(/* @vite-ignore */ box.dataset.compareScript!);
    const input = box.querySelector<HTMLInputElement>('input[type=file]')!;
    const status = box.querySelector<HTMLElement>('[data-compare-status]')!;
    const compare = (files: FileList | null | undefined) =>
      load()
        .then((m) => m.compareFiles(box, [...(files ?? [])]))
        .catch(() => (status.textContent = 'Could not load the comparison code; reload the page and try again.'));
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
    box.hidden = false;
  }
}
