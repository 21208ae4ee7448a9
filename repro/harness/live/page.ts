// The live page's HTML: a frame the script fills in. Every text that comes from the command line or a
// record (file names, build names) is escaped here, and set with textContent in the script: text,
// never markup. No inline script or style, so the CSP (server.ts) allows none. The figures are the
// scenario's (its live view, src/scenarios/<name>/live.ts): the script adds one <figure> for each.
import type { LiveServerOptions } from './server.ts';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** "Replay" or "Live", as the title, the banner and the terminal all say it. */
export function modeLabel(mode: 'live' | 'replay'): string {
  return mode === 'replay' ? 'Replay' : 'Live';
}

export function livePage({ mode, scenario, subject }: LiveServerOptions): string {
  const label = modeLabel(mode);
  // Read as one sentence after the bold label: "Replay of a recorded run …", "Live run on this machine …".
  const banner =
    mode === 'replay' ? `of a recorded run — not a new measurement: ${subject}` : `run on this machine: ${subject}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`${label}: ${scenario} — Bun Rewrite Casebook`)}</title>
<link rel="stylesheet" href="/live.css">
<link rel="stylesheet" href="/palette.css">
<script type="module" src="/client.js"></script>
</head>
<body data-mode="${mode}" data-scenario="${escapeHtml(scenario)}">
<header>
<p class="banner banner-${mode}" id="banner"><strong>${label}</strong> <span>${escapeHtml(banner)}</span></p>
<h1 id="heading">${escapeHtml(`${label}: ${scenario}`)}</h1>
<p id="status" role="status">Connecting…</p>
</header>
<main>
<div id="figures"></div>
<section id="result" hidden>
<h2>Result</h2>
<p id="end-message"></p>
<p id="verdict"></p>
<div class="table-scroll" role="region" aria-label="Compare rows" tabindex="0">
<table id="compare-rows"><thead><tr><th>Build</th><th>Measurement</th><th>Published</th><th>${mode === 'replay' ? 'Replayed' : 'This run'}</th><th>Verdict</th><th>Rule</th></tr></thead><tbody></tbody></table>
</div>
<ul id="records"></ul>
</section>
</main>
</body>
</html>
`;
}
