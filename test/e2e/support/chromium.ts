/**
 * Which Chromium runs the browser-mode tests and the benchmark's `ui` section, and how: Debian's
 * Chromium (or `CHROMIUM_PATH`), headless, with the flags PLATFORM.md asks for.
 */
import fs from 'node:fs';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const candidates = () => [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => !!p);

/** The Chromium executable, or null when none of the candidates exists. */
export function findChromium(): string | null {
  return candidates().find((p) => fs.existsSync(p)) ?? null;
}

export function chromiumPath(): string {
  const found = findChromium();
  if (!found) throw new Error(missingChromiumMessage());
  return found;
}

export function missingChromiumMessage(): string {
  return `Chromium not found (tried ${candidates().join(', ')}): apt-get install -y chromium, or set CHROMIUM_PATH.`;
}
