// Pointer tooltips over a build-time SVG chart. The element wakes up only when it scrolls into
// view, and draws nothing itself: the anchor points were computed at build time from Plot's scales.
interface Tip { x: number; y: number; text: string }

const RADIUS = 24; // SVG px within which the nearest point gets a tooltip

class FigTips extends HTMLElement {
  connectedCallback(): void {
    const io = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        io.disconnect();
        this.hydrate();
      }
    });
    io.observe(this);
  }

  private hydrate(): void {
    const svg = this.querySelector('svg');
    if (!svg) return;
    const tips = JSON.parse(this.dataset.tips ?? '[]') as Tip[];
    const width = Number(this.dataset.width);
    const tip = document.createElement('div');
    tip.className = 'fig-tip';
    tip.setAttribute('role', 'status');
    tip.hidden = true;
    this.append(tip);
    svg.addEventListener('pointermove', (event) => {
      const box = svg.getBoundingClientRect();
      const k = width / box.width;
      const px = (event.clientX - box.left) * k;
      const py = (event.clientY - box.top) * k;
      let best: Tip | undefined;
      let bestD = RADIUS * RADIUS;
      for (const t of tips) {
        const d = (t.x - px) ** 2 + (t.y - py) ** 2;
        if (d < bestD) { bestD = d; best = t; }
      }
      tip.hidden = !best;
      if (best) {
        tip.textContent = best.text;
        tip.style.left = `${best.x / k}px`;
        tip.style.top = `${best.y / k}px`;
      }
    });
    svg.addEventListener('pointerleave', () => (tip.hidden = true));
  }
}

if (!customElements.get('fig-tips')) customElements.define('fig-tips', FigTips);
