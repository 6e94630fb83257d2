/**
 * How tests and benches start Debian's Chromium: never a downloaded browser, and the flags that keep it from reaching for
 * the network (this machine has none) or needing a GPU, sandbox or /dev/shm.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];
