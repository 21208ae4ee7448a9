// Tooltips over a build-time SVG chart. The element wakes up only when it scrolls into view and
// draws nothing but the tooltip: the points come in data coordinates, and the layout on show (the
// page draws a chart at a few widths) carries its scales. A mouse hovering shows the nearest point;
// a tap or a click, focus and the arrow keys show one and say it once through the live region.
type Tip = [x: number, y: number, text: string];
type Scale = [d0: number, d1: number, r0: number, r1: number, kind?: number];

/** Where a value falls along a scale: linear (0), log (1) or symlog with constant 1 (2), as render.ts names them. */
function spacing(kind: number | undefined): (v: number) => number {
  if (kind === 1) return Math.log;
  if (kind === 2) return (v) => Math.sign(v) * Math.log1p(Math.abs(v));
  return (v) => v;
}

const HOVER_RADIUS = 24; // CSS px within which the nearest point gets a tooltip under a mouse
const TAP_RADIUS = 40; // a finger is less precise

class FigTips extends HTMLElement {
  private tips: Tip[] = [];
  private tip?: HTMLDivElement;
  private dot?: HTMLDivElement;
  private live?: HTMLElement;
  private current = -1;

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
    this.tips = JSON.parse(this.querySelector('script[type="application/json"]')?.textContent ?? '[]') as Tip[];
    this.live = this.querySelector<HTMLElement>('[data-live]') ?? undefined;
    this.dot = Object.assign(document.createElement('div'), { className: 'fig-tip-dot', hidden: true });
    this.tip = Object.assign(document.createElement('div'), { className: 'fig-tip', hidden: true });
    // The live region speaks for it; the visible box is not read a second time.
    this.dot.setAttribute('aria-hidden', 'true');
    this.tip.setAttribute('aria-hidden', 'true');
    this.append(this.dot, this.tip);
    this.addEventListener('pointermove', (e) => {
      if (e.pointerType === 'mouse') this.showNearest(e, HOVER_RADIUS, false);
    });
    this.addEventListener('pointerleave', (e) => {
      if (e.pointerType === 'mouse' && document.activeElement !== this) this.hide();
    });
    this.addEventListener('click', (e) => this.showNearest(e, TAP_RADIUS, true));
    this.addEventListener('focus', () => this.show(Math.max(this.current, 0), true));
    this.addEventListener('blur', () => this.hide());
    this.addEventListener('keydown', (e) => {
      const last = this.tips.length - 1;
      const next = {
        ArrowRight: this.current + 1,
        ArrowDown: this.current + 1,
        ArrowLeft: this.current - 1,
        ArrowUp: this.current - 1,
        Home: 0,
        End: last,
      }[e.key];
      if (e.key === 'Escape') this.hide();
      if (next === undefined) return;
      e.preventDefault();
      this.show(Math.max(0, Math.min(last, next)), true);
    });
    // Opened by focus before waking up (a keyboard user tabbing in): show it now.
    if (document.activeElement === this) this.show(0, true);
  }

  /** The layout on show, its SVG and scales. */
  private layout(): { svg: SVGSVGElement; x: Scale; y: Scale } | undefined {
    for (const el of this.querySelectorAll<HTMLElement>('.fig-layout')) {
      const svg = el.querySelector('svg');
      if (!svg || el.getClientRects().length === 0 || !el.dataset.x || !el.dataset.y) continue;
      return { svg, x: el.dataset.x.split(',').map(Number) as Scale, y: el.dataset.y.split(',').map(Number) as Scale };
    }
    return undefined;
  }

  /** Each point's position in CSS px from this element's top left corner. */
  private positions(): [number, number][] {
    const layout = this.layout();
    if (!layout) return [];
    const box = layout.svg.getBoundingClientRect();
    const own = this.getBoundingClientRect();
    const k = box.width / Number(layout.svg.getAttribute('width'));
    const apply = ([d0, d1, r0, r1, kind]: Scale, v: number) => {
      const t = spacing(kind);
      return r0 + ((t(v) - t(d0)) / (t(d1) - t(d0) || 1)) * (r1 - r0);
    };
    return this.tips.map(([x, y]) => [
      box.left - own.left + apply(layout.x, x) * k,
      box.top - own.top + apply(layout.y, y) * k,
    ]);
  }

  private showNearest(e: MouseEvent, radius: number, announce: boolean): void {
    const own = this.getBoundingClientRect();
    const px = e.clientX - own.left;
    const py = e.clientY - own.top;
    let best = -1;
    let bestD = radius * radius;
    this.positions().forEach(([x, y], i) => {
      const d = (x - px) ** 2 + (y - py) ** 2;
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    });
    if (best >= 0) this.show(best, announce);
    else this.hide();
  }

  private show(i: number, announce: boolean): void {
    const at = this.positions()[i];
    if (!at || !this.tip || !this.dot) return;
    this.current = i;
    const text = this.tips[i][2];
    this.tip.textContent = text;
    this.tip.hidden = false;
    this.dot.hidden = false;
    this.dot.style.left = `${at[0]}px`;
    this.dot.style.top = `${at[1]}px`;
    // Centred over the point, moved back inside this element where it would overflow; below the
    // point when there is no room above it.
    const width = this.clientWidth;
    const w = this.tip.offsetWidth;
    const h = this.tip.offsetHeight;
    const left = Math.max(0, Math.min(width - w, at[0] - w / 2));
    const top = at[1] - h - 10 >= 0 ? at[1] - h - 10 : Math.min(at[1] + 12, this.clientHeight - h);
    this.tip.style.left = `${left}px`;
    this.tip.style.top = `${Math.max(0, top)}px`;
    if (announce && this.live) this.live.textContent = text;
  }

  private hide(): void {
    if (this.tip) this.tip.hidden = true;
    if (this.dot) this.dot.hidden = true;
  }
}

if (!customElements.get('fig-tips')) customElements.define('fig-tips', FigTips);
