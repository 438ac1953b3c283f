/**
 * Browser mode for end-to-end tests: a real engine on a fresh database, the real browser-mode
 * server over the built renderer (out/renderer, from `npm run build`), and Debian's Chromium
 * driven by playwright-core with the flags PLATFORM.md asks for.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startBrowserServer, type BrowserServer } from '../../../electron/serve/server';
import { startTestEngine, tempHome, type TestEngine } from '../../support/pg';
import { CHROMIUM_ARGS, chromiumPath } from './chromium';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const rendererDir = path.join(repoRoot, 'out', 'renderer');
export const resultsDir = path.join(repoRoot, 'test-results');

export interface BrowserMode {
  t: TestEngine;
  server: BrowserServer;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught page errors seen so far. */
  consoleErrors: string[];
  downloadsDir: string;
  close(): Promise<void>;
}

export async function startBrowserMode(
  options: { locale?: string; colorScheme?: 'light' | 'dark'; env?: NodeJS.ProcessEnv } = {},
): Promise<BrowserMode> {
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) throw new Error('out/renderer is missing: run `npm run build` first.');
  fs.mkdirSync(resultsDir, { recursive: true });
  const t = await startTestEngine(options.env ? { env: options.env } : {});
  const server = await startBrowserServer({ engine: t.engine, rendererDir, uploadDir: path.join(t.home, 'uploads') });
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: CHROMIUM_ARGS,
  });
  const context = await browser.newContext({
    locale: options.locale ?? 'en-US',
    colorScheme: options.colorScheme ?? 'light',
    viewport: { width: 1440, height: 900 },
    acceptDownloads: true,
  });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(`${msg.text()}${msg.location().url ? ` (${msg.location().url})` : ''}`);
  });
  page.on('pageerror', (err) => consoleErrors.push(`pageerror: ${err.message}`));
  // Name the resource behind a "Failed to load resource" console error.
  page.on('response', (res) => {
    if (res.status() >= 400) consoleErrors.push(`HTTP ${res.status()} ${res.request().method()} ${res.url()}`);
  });
  const downloadsDir = tempHome('downloads');
  return {
    t,
    server,
    browser,
    context,
    page,
    consoleErrors,
    downloadsDir,
    async close() {
      await context.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      await server.close();
      await t.close();
    },
  };
}

/** Drops a real file on an element the way a user does: DataTransfer with a File, dragenter → dragover → drop. */
export async function dropFile(page: Page, selector: string, file: string): Promise<void> {
  const base64 = fs.readFileSync(file).toString('base64');
  await page.evaluate(
    ({ selector, base64, name }) => {
      const binary = atob(base64);
      const bytes = new Uint8Array(binary.length);
      for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], name, { type: 'text/csv' }));
      const target = document.querySelector(selector);
      if (!target) throw new Error(`no element ${selector}`);
      for (const type of ['dragenter', 'dragover', 'drop'])
        target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: transfer }));
    },
    { selector, base64, name: path.basename(file) },
  );
}

export async function screenshot(page: Page, name: string): Promise<string> {
  const file = path.join(resultsDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  return file;
}
