// Debian's Chromium (never a downloaded browser) and the flags it needs headless here: one definition
// for both Playwright configs and the scripts that launch it themselves.
//
// Its headless shell (Debian's `chromium-headless-shell`), as Playwright's own headless default is:
// the same Blink, V8 and renderer processes, without the desktop browser's layers around them, at about
// half the CPU per page (docs/CONTRIBUTING.md, "Where the suite's time goes", has the figures).
// `npm run audit` keeps the full browser: Lighthouse measures what a reader's browser does.
import type { LaunchOptions } from '@playwright/test';

export const CHROMIUM: LaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium-headless-shell',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
  ],
};
