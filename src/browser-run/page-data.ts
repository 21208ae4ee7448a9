// What the WebContainer page hands its script, in one JSON block: per scenario, where its files are,
// which records the replay plays and at what speed, and the local command the fallback shows.
export interface BrowserRunScenario {
  name: string;
  title: string;
  /** /browser/<scenario>.json: the FileSystemTree to mount. */
  treeUrl: string;
  /** The published run's records, paths inside the container. */
  reference: string[];
  speed: number;
  localCommand: string;
}

export interface BrowserRunData {
  scenarios: BrowserRunScenario[];
  /** StackBlitz's origin, which serves WebContainer's runtime; the page checks it answers before booting. */
  runtimeOrigin: string;
  /** Seconds to wait for the boot before saying it failed. */
  bootTimeoutSeconds: number;
}

export const BROWSER_RUN_DATA_ID = 'browser-run-data';

/** Bolt, StackBlitz's own WebContainer app, gives up after 30 s; a slow first download gets a little more. */
export const BOOT_TIMEOUT_SECONDS = 45;
