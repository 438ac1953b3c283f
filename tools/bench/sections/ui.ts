/**
 * ui: what a user of browser mode sees. The bench file is dropped on the window of `sparkpolar
 * serve` (the built renderer, served by the same engine the `drop` section times) in headless
 * Chromium, the Analyses page is opened, and the time from the drop event to the last original
 * (★) chart drawn is taken in the page itself. Its ratio to the engine's own `drop.product` is
 * computed in `ratios.ts`. Also the renderer's initial JavaScript (what loads before the first
 * paint), which needs no browser. What "drawn" means is in `ui-page.ts`.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { packageRoot } from '../../../electron/cli/paths';
import { startBrowserServer, type BrowserServer } from '../../../electron/serve/server';
import { CHROMIUM_ARGS, findChromium, missingChromiumMessage } from '../../../test/e2e/support/chromium';
import { deleteDataset, type BenchContext } from '../context';
import { ORIGINAL_IDS } from '../peers/original-sql';
import { fromSamples, measureAll, NotAvailable, unavailable, type Contender } from '../protocol';
import { initialScripts } from '../renderer-bundle';
import { ADD_FILE_INPUT, DROP_FILE, FILE_INPUT_ID, RECORD, watchOriginalCharts, type PageRecord } from './ui-page';
import type { Measurement, SectionResult } from '../types';
import { sectionStatus } from './import';

const DROP_LABEL = 'browser mode in Chromium: drop of the file → every original chart drawn';
const uiDatasetName = (ctx: BenchContext) => `${ctx.datasetName}-ui`;

export async function uiSection(ctx: BenchContext): Promise<SectionResult> {
  const measurements: Measurement[] = [
    initialJs(),
    ...(await dropToCharts(ctx).catch((err: unknown) => [unavailable('ui.drop_to_charts', DROP_LABEL, err)])),
  ];
  const missing = measurements.find((m) => !m.available);
  return {
    name: 'ui',
    status: sectionStatus(measurements),
    ...(missing && !missing.available ? { reason: missing.reason } : {}),
    measurements,
    facts: { dataset: uiDatasetName(ctx), analyses: ORIGINAL_IDS },
  };
}

/** The renderer `sparkpolar serve` serves, or NotAvailable when it is not built. */
function builtRenderer(): string {
  const dir = path.join(packageRoot(), 'out', 'renderer');
  if (!fs.existsSync(path.join(dir, 'index.html')))
    throw new NotAvailable(`the renderer is not built (no ${dir}/index.html): npm run build`);
  return dir;
}

function initialJs(): Measurement {
  const id = 'ui.renderer_initial_js';
  const label = 'renderer initial JavaScript, minified: entry script + its static imports (lazy chunks excluded)';
  try {
    const scripts = initialScripts(builtRenderer());
    return fromSamples(id, label, [scripts.bytes / 1000], { unit: 'kB', bytes: scripts.bytes, notes: { files: scripts.files } });
  } catch (err) {
    return unavailable(id, label, err);
  }
}

async function dropToCharts(ctx: BenchContext): Promise<Measurement[]> {
  const dir = builtRenderer();
  const executable = findChromium();
  if (!executable) throw new NotAvailable(missingChromiumMessage());
  const playwright = await import('playwright-core').catch(() => {
    throw new NotAvailable('playwright-core (a dev dependency) is not installed');
  });

  const name = uiDatasetName(ctx);
  // The file the user drops: the bench file under the dataset's name (a link, not a copy).
  const dropped = path.join(ctx.scratch, `${name}.csv`);
  linkOrCopy(ctx.file, dropped);
  const timeout = dropTimeoutMs(ctx.rows);
  let server: BrowserServer | null = null;
  let browser: Browser | null = null;
  let context: BrowserContext | null = null;
  let page: Page | null = null;
  const runs: Array<{ lastOriginalMs: number; lastChart: string; firstOriginalMs: number; pageErrors: string[] }> = [];
  let pageErrors: string[] = [];

  const closeContext = async () => {
    await context?.close().catch(() => undefined);
    context = null;
    page = null;
  };

  const contender: Contender = {
    id: 'ui.drop_to_charts',
    label: DROP_LABEL,
    rows: ctx.rows,
    bytes: ctx.bytes,
    // A fresh window each time (no dataset remembered, no run on screen), on a fresh dataset name.
    before: async () => {
      await deleteDataset(ctx, name);
      context = await browser!.newContext({ locale: 'en-US', colorScheme: 'light', viewport: { width: 1440, height: 900 } });
      page = await context.newPage();
      pageErrors = [];
      page.on('pageerror', (err) => pageErrors.push(err.message));
      await page.goto(server!.url);
      await page.getByTestId('drop-zone').waitFor({ timeout: 60_000 });
      await page.evaluate(watchOriginalCharts(ORIGINAL_IDS, name));
    },
    run: async () => {
      const p = page!;
      await p.evaluate(ADD_FILE_INPUT);
      await p.setInputFiles(`#${FILE_INPUT_ID}`, dropped);
      await p.evaluate(DROP_FILE);
      // The user goes to the charts while the file uploads and imports.
      await p.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Analyses' }).click();
      const record = await until(p, timeout, ctx.signal);
      const problems = Object.entries(record.problems);
      if (problems.length) throw new Error(`original analyses not drawn: ${problems.map(([id, s]) => `${id} ${s}`).join(', ')}`);
      const times = ORIGINAL_IDS.map((id) => record.drawnAt[id]!);
      const last = Math.max(...times);
      const lastChart = ORIGINAL_IDS.find((id) => record.drawnAt[id] === last)!;
      runs.push({ lastOriginalMs: last, lastChart, firstOriginalMs: Math.min(...times), pageErrors: [...pageErrors] });
      return last / 1000;
    },
    // Untimed: the rest of the catalog finishes (so it does not load the next round), then the window closes.
    after: async () => {
      await page
        ?.getByTestId('run-facts')
        .waitFor({ timeout })
        .catch(() => undefined);
      await closeContext();
      await deleteDataset(ctx, name);
    },
    notes: () => ({ chromium: executable, browserVersion: browser?.version(), dataset: name, runs }),
  };

  try {
    server = await startBrowserServer({ engine: ctx.engine, rendererDir: dir, uploadDir: path.join(ctx.engine.ctx.home, 'uploads') });
    browser = await playwright.chromium.launch({ executablePath: executable, headless: true, args: CHROMIUM_ARGS });
    return await measureAll(ctx.options.protocol, [contender], {
      signal: ctx.signal,
      onSample: (c, s, round, warm) =>
        ctx.log(`  ${c.id}${warm ? ' (warm-up)' : ` #${round - ctx.options.protocol.warmup + 1}`}: ${s.toFixed(2)} s`),
    });
  } finally {
    await closeContext();
    await browser?.close().catch(() => undefined);
    await server?.close().catch(() => undefined);
    await deleteDataset(ctx, name);
    fs.rmSync(dropped, { force: true });
  }
}

/**
 * Polls the page's record until it is done. Not `waitForFunction`: the page's CSP forbids the
 * eval it uses. The times are taken in the page, so the polling interval does not enter them.
 */
async function until(page: Page, timeout: number, signal: AbortSignal | undefined): Promise<PageRecord> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const record = (await page.evaluate(RECORD)) as PageRecord;
    if (record.done) return record;
    if (signal?.aborted) throw new Error('cancelled');
    if (Date.now() > deadline) {
      const missing = ORIGINAL_IDS.filter((id) => !(id in record.drawnAt));
      throw new Error(`not every original chart was drawn within ${timeout / 1000} s; still missing: ${missing.join(', ')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Generous: minutes per million rows on a loaded machine, so only a stuck page times out. */
function dropTimeoutMs(rows: number): number {
  return 120_000 + Math.ceil(rows / 1_000_000) * 300_000;
}

function linkOrCopy(from: string, to: string): void {
  fs.rmSync(to, { force: true });
  try {
    fs.linkSync(from, to);
  } catch {
    fs.copyFileSync(from, to);
  }
}
