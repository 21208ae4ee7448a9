// The social-card image (og:image), drawn at build time so its text follows the site's title.
import type { APIRoute } from 'astro';
import { xmlText } from '../lib/xml.ts';
import { svgToPng } from '../figures/png.ts';
import { SITE_TITLE } from '../lib/site.ts';

export const GET: APIRoute = () => {
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630" viewBox="0 0 1200 630">` +
    `<rect width="1200" height="630" fill="#14161a"/>` +
    `<text x="80" y="280" fill="#ffa657" font-family="DejaVu Sans, sans-serif" font-size="72" font-weight="700">${xmlText(SITE_TITLE)}</text>` +
    `<text x="80" y="370" fill="#e4e6ea" font-family="DejaVu Sans, sans-serif" font-size="36">Bun's Zig-to-Rust rewrite in production,</text>` +
    `<text x="80" y="420" fill="#e4e6ea" font-family="DejaVu Sans, sans-serif" font-size="36">charted from recorded runs.</text></svg>`;
  return new Response(svgToPng(svg, 1) as BodyInit, { headers: { 'Content-Type': 'image/png' } });
};
