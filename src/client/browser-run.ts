// The "Run the harness in your browser" page: on a click, checks the browser can run a WebContainer
// (cross-origin isolation, SharedArrayBuffer), loads @webcontainer/api (its own chunk, fetched only
// then), boots it from StackBlitz, mounts the scenario's bundle less Bun, installs, replays the
// published run on the live page in a frame, then compares records the reader drops. Where the boot
// cannot happen (not isolated, StackBlitz blocked or offline, a boot that never finishes), the page
// says why and shows the command that does the whole run locally. All output is set as text.
import type { WebContainer } from '@webcontainer/api';
import {
  commandLine,
  compareCommand,
  compareOutcome,
  DROP_DIR,
  dropFileName,
  INSTALL,
  MAX_DROP_BYTES,
  replayCommand,
  replayEnv,
  type Command,
} from '../browser-run/commands.ts';
import { initCopyButtons } from './copy.ts';
import { BROWSER_RUN_DATA_ID, type BrowserRunData, type BrowserRunScenario } from '../browser-run/page-data.ts';

/** Why the boot cannot happen here, as the fallback says it. */
const REASONS = {
  'not-isolated':
    'This page is not cross-origin isolated here (no SharedArrayBuffer), which WebContainers need. Your browser, an extension, or the host serving this site without the page\u2019s COOP/COEP headers stops it.',
  unreachable:
    'StackBlitz, which serves the WebContainer runtime, could not be reached from this browser (offline, or blocked by a network or an extension).',
  timeout: 'The WebContainer did not start in time: StackBlitz\u2019s runtime did not answer.',
  error: 'The WebContainer could not start.',
} as const;

/** A command word by word, so that a line breaks only between words (the page's .word style). */
function showCommand(code: HTMLElement, command: string) {
  code.replaceChildren(
    ...command.split(' ').flatMap((word, i) => {
      const span = document.createElement('span');
      span.className = 'word';
      span.textContent = word;
      return i > 0 ? [' ', span] : [span];
    }),
  );
}

/** The capability check, before anything is fetched. */
function canRunWebContainer(): boolean {
  return globalThis.crossOriginIsolated === true && typeof SharedArrayBuffer === 'function';
}

const TERMINAL_LIMIT = 200_000;
// Colours and cursor moves from npm and the harness; the terminal here is plain text.
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]|\u001b\][^\u0007]*\u0007/g;

function init(root: HTMLElement) {
  const data = JSON.parse(document.getElementById(BROWSER_RUN_DATA_ID)!.textContent!) as BrowserRunData;
  const $ = <T extends HTMLElement>(name: string) => root.querySelector<T>(`[data-${name}]`)!;
  const select = $<HTMLSelectElement>('scenario');
  const start = $<HTMLButtonElement>('start');
  const status = $('status');
  const capability = $('capability');
  const terminal = $('terminal');
  const preview = $<HTMLIFrameElement>('preview');
  const fallback = $('fallback');
  const dropInput = $<HTMLInputElement>('drop-input');
  const dropZone = $('drop-zone');
  const verdict = $('verdict');

  const isolated = canRunWebContainer();
  capability.textContent = isolated
    ? 'Capability check: this page is cross-origin isolated and has SharedArrayBuffer, so it can try.'
    : `Capability check failed: ${REASONS['not-isolated']}`;
  root.dataset.capable = String(isolated);
  start.hidden = false;
  select.disabled = false;

  const say = (text: string) => (status.textContent = text);
  const write = (text: string) => {
    terminal.textContent = (terminal.textContent + text.replace(ANSI, '')).slice(-TERMINAL_LIMIT);
    terminal.scrollTop = terminal.scrollHeight;
  };
  const chosen = (): BrowserRunScenario => data.scenarios.find((s) => s.name === select.value) ?? data.scenarios[0]!;

  let booted = false;
  // Each press of Start or Retry is one attempt; only the current attempt's first failure is shown, so
  // a later timeout or error of the same attempt never replaces the true reason given first.
  let attempt = 0;
  let failedAttempt = -1;
  const retry = $<HTMLButtonElement>('retry');
  /** Start (and the scenario) cannot work here: disabled, and said to be so to assistive technology. */
  const disableStart = () => {
    start.disabled = true;
    start.setAttribute('aria-disabled', 'true');
    select.disabled = true;
  };
  const fail = (reason: keyof typeof REASONS, detail?: string, at = attempt) => {
    if (booted || at !== attempt || failedAttempt === attempt) return;
    failedAttempt = attempt;
    root.dataset.state = 'fallback';
    $('fallback-reason').textContent = detail ? `${REASONS[reason]} (${detail})` : REASONS[reason];
    showCommand($('fallback-command'), chosen().localCommand);
    fallback.hidden = false;
    // Retrying helps only where the browser can run a WebContainer at all.
    retry.hidden = reason === 'not-isolated';
    retry.disabled = false;
    say('The harness cannot run in this browser; the command below runs it, and the real Bun builds, on your machine.');
  };

  async function spawn(wc: WebContainer, cmd: Command, env?: Record<string, string>): Promise<number> {
    write(`\n$ ${commandLine(cmd)}\n`);
    const child = await wc.spawn(cmd.command, cmd.args, env ? { env } : {});
    void child.output.pipeTo(new WritableStream({ write }));
    return child.exit;
  }

  async function run(wc: WebContainer, s: BrowserRunScenario) {
    booted = true;
    fallback.hidden = true;
    root.dataset.state = 'booted';
    wc.on('error', (e) => say(`The WebContainer reported an error: ${e.message}`));
    say('Mounting the bundle\u2019s files (without Bun)\u2026');
    const tree = await fetch(s.treeUrl).then((r) => {
      if (!r.ok) throw new Error(`${s.treeUrl}: HTTP ${r.status}`);
      return r.json();
    });
    await wc.mount(tree);
    say('Installing the dependencies (npm install)\u2026');
    const installed = await spawn(wc, INSTALL);
    if (installed !== 0) return say(`npm install failed (exit code ${installed}); the terminal says why.`);
    wc.on('server-ready', (_port, url) => {
      preview.src = url;
      preview.hidden = false;
      say('Replaying the published run on the live page. Drop a record below to compare it.');
    });
    say('Starting the replay\u2026');
    void spawn(wc, replayCommand(s.name, s.reference, s.speed), replayEnv(location.origin)).then((code) =>
      write(`\n(the replay ended with exit code ${code})\n`),
    );
    enableDrop(wc);
  }

  function enableDrop(wc: WebContainer) {
    dropInput.disabled = false;
    dropZone.dataset.ready = 'true';
    let busy = false;
    const compare = async (file: File | undefined) => {
      if (!file || busy) return;
      if (file.size > MAX_DROP_BYTES) {
        verdict.textContent = `${file.name} is ${Math.ceil(file.size / 1048576)} MiB, over the ${MAX_DROP_BYTES / 1048576} MiB a record can be here; nothing was compared.`;
        return;
      }
      busy = true;
      try {
        await wc.fs.mkdir(DROP_DIR, { recursive: true });
        await wc.fs.writeFile(`${DROP_DIR}/${dropFileName(file.name)}`, new Uint8Array(await file.arrayBuffer()));
        verdict.textContent = `Comparing ${file.name}\u2026`;
        verdict.textContent = `${file.name}: ${compareOutcome(await spawn(wc, compareCommand(file.name)))}`;
      } finally {
        busy = false;
      }
    };
    dropInput.addEventListener('change', () => void compare(dropInput.files?.[0]));
    dropZone.addEventListener('dragover', (e) => e.preventDefault());
    dropZone.addEventListener('drop', (e) => {
      e.preventDefault();
      void compare(e.dataTransfer?.files[0]);
    });
  }

  // One boot for the page: WebContainer.boot() waits for a boot still pending before it starts another,
  // so a retry while the first still hangs waits on that one; a boot that failed is dropped and redone.
  let boot: Promise<WebContainer> | null = null;
  const bootOnce = (s: BrowserRunScenario) =>
    (boot ??= import('@webcontainer/api')
      .then(({ WebContainer }) => WebContainer.boot({ coep: 'require-corp', workdirName: `bun-casebook-${s.name}` }))
      .catch((error: unknown) => {
        boot = null;
        throw error;
      }));

  function attemptBoot() {
    const at = ++attempt;
    const s = chosen();
    disableStart();
    retry.disabled = true;
    root.dataset.state = 'booting';
    root.dataset.attempt = String(at);
    say(
      at === 1
        ? 'Starting the WebContainer (its runtime comes from StackBlitz)\u2026'
        : `Trying again (attempt ${at}) to start the WebContainer from StackBlitz\u2026`,
    );
    // The runtime's frame never reports a failed load, and boot() would wait for ever: a request to
    // the same origin tells at once whether it answers at all, and a timeout catches the rest. Either
    // only shows the fallback: a boot that still succeeds afterwards hides it and carries on.
    fetch(`${data.runtimeOrigin}/headless`, { mode: 'no-cors', credentials: 'omit', cache: 'no-store' }).catch(() =>
      fail('unreachable', undefined, at),
    );
    // Whether this attempt's timeout has fired: a test moves the clock past it and checks the reason stayed.
    root.dataset.bootTimer = 'running';
    setTimeout(() => {
      if (at === attempt) root.dataset.bootTimer = 'expired';
      fail('timeout', undefined, at);
    }, data.bootTimeoutSeconds * 1000);
    bootOnce(s)
      .then((wc) => (booted ? undefined : run(wc, s)))
      .catch((error: unknown) =>
        booted
          ? say(`Stopped: ${error instanceof Error ? error.message : String(error)}`)
          : fail('error', error instanceof Error ? error.message : String(error), at),
      );
  }

  if (!isolated) {
    // Nothing can start here: say so now, rather than behind a button that only fails.
    disableStart();
    fail('not-isolated');
  }
  start.addEventListener('click', () => {
    if (!canRunWebContainer()) return fail('not-isolated');
    attemptBoot();
  });
  retry.addEventListener('click', () => {
    fallback.hidden = true;
    attemptBoot();
  });
  // The fallback's command and the local commands listed above the runner.
  initCopyButtons(document);
}

const root = document.querySelector<HTMLElement>('[data-browser-run]');
if (root) init(root);
