/**
 * Issue #14, item 1, end to end in browser mode: the real rows are dropped on the window and the
 * Analyses page fills with charts by itself, panel by panel, with no click on "Run all"; the
 * run goes on while the user is on another page, and a reloaded window picks it up again.
 * The charted numbers are checked against an independent parse of the file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANALYSES } from '../../shared/analyses';
import { generateCrashCsv } from '../../electron/engine/generate/generate';
import { tempHome } from '../support/pg';
import { REAL_4401 } from '../support/real-data';
import { dropFile, screenshot, startBrowserMode, type BrowserMode } from './support/browser';

const records: Record<string, string>[] = parse(fs.readFileSync(REAL_4401), { bom: true, columns: true, skip_empty_lines: true });
const ORIGINAL = ANALYSES.filter((s) => s.original).map((s) => s.id);
const DATASET = path.basename(REAL_4401, '.csv');

async function goTo(page: Page, name: string) {
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name }).click();
  await page.getByRole('heading', { level: 1, name: new RegExp(`^${name}`) }).waitFor();
}

describe('drop → every chart, with no click', () => {
  let b: BrowserMode;
  beforeAll(async () => {
    b = await startBrowserMode();
  });
  afterAll(async () => b?.close());

  it('drops the real rows and sees the charts stream in, the notebook’s first', async () => {
    const { page } = b;
    await page.goto(b.server.url);
    await page.getByRole('heading', { name: 'No dataset yet' }).waitFor({ timeout: 30_000 });
    // Count clicks on "Run all" (there must be none) and record the panels as they turn ready.
    await page.evaluate(() => {
      const w = window as unknown as { runAllClicks: number; readyOrder: string[]; readySteps: string[][] };
      w.runAllClicks = 0;
      w.readyOrder = [];
      w.readySteps = [];
      document.addEventListener('click', (e) => {
        if ((e.target as HTMLElement).closest('[data-testid="run-all"]')) w.runAllClicks++;
      });
      new MutationObserver(() => {
        const ready = Array.from(document.querySelectorAll('.panel[data-status="ok"]')).map((p) => p.getAttribute('data-analysis')!);
        const fresh = ready.filter((id) => !w.readyOrder.includes(id));
        if (fresh.length) {
          w.readyOrder.push(...fresh);
          w.readySteps.push(fresh);
        }
      }).observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-status'] });
    });
    await dropFile(page, '[data-testid="drop-zone"]', REAL_4401);
    await page.getByTestId('import-summary').waitFor({ timeout: 120_000 });
    await goTo(page, 'Analyses');

    const ok = page.locator('.panel[data-status="ok"]');
    await expect.poll(() => ok.count(), { timeout: 170_000 }).toBeGreaterThan(30);
    await page.getByTestId('run-facts').waitFor({ timeout: 170_000 });
    const seen = await page.evaluate(() => {
      const w = window as unknown as { runAllClicks: number; readyOrder: string[]; readySteps: string[][] };
      return { clicks: w.runAllClicks, order: w.readyOrder, steps: w.readySteps };
    });
    expect(seen.clicks).toBe(0);
    // How many updates the panels arrive in depends on when the page is opened (the run starts at
    // the import, on whatever page); the per-result streaming is checked in import-frame.test.ts.
    expect(seen.steps.length).toBeGreaterThan(0);
    // Every original analysis became ready no later than the first other one (one update may carry both).
    const firstOtherStep = seen.steps.findIndex((step) => step.some((id) => !ORIGINAL.includes(id)));
    const lastOriginalStep = seen.steps.findLastIndex((step) => step.some((id) => ORIGINAL.includes(id)));
    expect(firstOtherStep).toBeGreaterThanOrEqual(0);
    expect(lastOriginalStep).toBeLessThanOrEqual(firstOtherStep);

    // Every original chart is drawn, and the row count shown is the file's.
    for (const id of ORIGINAL) {
      const panel = page.locator(`.panel[data-analysis="${id}"]`);
      await expect(panel.getAttribute('data-status')).resolves.toBe('ok');
    }
    const drawn = page.locator('.panel[data-status="ok"] .echart svg');
    expect(await drawn.count()).toBeGreaterThan(10);
    const counts = page.locator('.panel[data-analysis="explore-counts"]');
    await expect(counts.textContent()).resolves.toContain(new Intl.NumberFormat('en-US').format(records.length));
    await screenshot(page, 'e2e-drop-to-charts');
  });

  it('keeps running while the user is elsewhere, and a reloaded window picks the run up again', async () => {
    const { page } = b;
    // A re-run with another cleaning option, started from the page, then left at once. On 4,401
    // rows the run can finish within a few frames, so the panels' passing states are recorded
    // as they happen rather than polled for.
    await page.evaluate(() => {
      const w = window as unknown as { statusesSeen: string[] };
      w.statusesSeen = [];
      new MutationObserver((records) => {
        for (const r of records) w.statusesSeen.push((r.target as HTMLElement).getAttribute('data-status') ?? '');
      }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-status'] });
    });
    await page.getByRole('checkbox', { name: /Merge make codes/i }).check();
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { statusesSeen: string[] }).statusesSeen))
      .toEqual(expect.arrayContaining([expect.stringMatching(/^(queued|computing)$/)]));
    await goTo(page, 'Browse');
    await page.reload();
    await goTo(page, 'Analyses');
    // The merged-makes run finishes and is what the page shows, with no click.
    await page.getByTestId('run-facts').waitFor({ timeout: 170_000 });
    await expect.poll(() => page.locator('.panel[data-status="ok"]').count(), { timeout: 60_000 }).toBeGreaterThan(30);
    await expect(page.getByRole('checkbox', { name: /Merge make codes/i }).isChecked()).resolves.toBe(true);
    expect(b.consoleErrors).toEqual([]);
  });

  it('does not show a deleted dataset’s results for a new import under the same name', async () => {
    const { page } = b;
    const { client } = b.t;
    const runsBefore = await client.call('analysis/runs', { dataset: DATASET });
    expect(runsBefore.length).toBeGreaterThanOrEqual(2);
    // Deleted and imported again elsewhere (the CLI, another window): version 1 again, with no run.
    await client.call('dataset/delete', { dataset: DATASET });
    const again = await client.run('dataset/import', { path: REAL_4401, name: DATASET });
    expect(again.version).toBe(1);
    await page.reload();
    await goTo(page, 'Analyses');
    // The runs kept under the name (version 1, the last one with merged makes) are not this data's:
    // the page runs the catalog for it by itself, with the notebook's cleaning.
    await expect
      .poll(async () => (await client.call('analysis/runs', { dataset: DATASET })).length, { timeout: 170_000 })
      .toBe(runsBefore.length + 1);
    await page.getByTestId('run-facts').waitFor({ timeout: 170_000 });
    await expect(page.getByRole('checkbox', { name: /Merge make codes/i }).isChecked()).resolves.toBe(false);
    const info = await client.call('dataset/get', { dataset: DATASET });
    const [latest] = await client.call('analysis/runs', { dataset: DATASET, limit: 1 });
    expect(Date.parse(latest!.startedAt)).toBeGreaterThanOrEqual(Date.parse(info.importedAt));
    expect(b.consoleErrors).toEqual([]);
  });

  it('draws every original chart while the rest of the catalog is still running, on a larger drop', async () => {
    const { page } = b;
    // Large enough that the other analyses run well after the originals, small enough for a test.
    const file = path.join(tempHome('drop-large'), 'crash-150k.csv');
    await generateCrashCsv({ rows: 150_000, out: file });
    await goTo(page, 'Datasets');
    await page.evaluate((ids) => {
      const w = window as unknown as { drawnWhileRunning: Record<string, boolean>; shownWhileImporting: string[] };
      w.drawnWhileRunning = {};
      w.shownWhileImporting = [];
      new MutationObserver(() => {
        // What the Analyses page shows before the dropped file's dataset: the import, not another dataset's charts.
        const page = document.querySelector('.analyses-page');
        const on = page?.getAttribute('data-dataset') ?? (page?.querySelector('h2')?.textContent || null);
        if (on && !w.shownWhileImporting.includes(on) && !w.shownWhileImporting.includes('crash-150k')) w.shownWhileImporting.push(on);
        const shown = page?.getAttribute('data-dataset') === 'crash-150k';
        if (!shown) return;
        for (const id of ids) {
          if (id in w.drawnWhileRunning) continue;
          const panel = document.querySelector(`.panel[data-analysis="${id}"][data-status="ok"]`);
          if (!panel?.querySelector('.echart svg path, .echart svg rect, .echart svg text, .kpis, .result-table')) continue;
          // Running: the run's progress is on screen and its facts (shown once it has ended) are not.
          w.drawnWhileRunning[id] = document.querySelector('[data-testid="run-facts"]') === null;
        }
      }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] });
      const input = document.createElement('input');
      input.type = 'file';
      input.id = 'large-drop';
      input.hidden = true;
      document.body.append(input);
    }, ORIGINAL);
    // The file is read from disk by Chromium, as for a real drop (not passed through the test's memory).
    await page.setInputFiles('#large-drop', file);
    await page.evaluate(() => {
      const input = document.getElementById('large-drop') as HTMLInputElement;
      const transfer = new DataTransfer();
      transfer.items.add(input.files![0]!);
      input.remove();
      const zone = document.querySelector('[data-testid="drop-zone"]')!;
      for (const type of ['dragenter', 'dragover', 'drop'])
        zone.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: transfer }));
    });
    await goTo(page, 'Analyses');
    const drawn = () => page.evaluate(() => (window as unknown as { drawnWhileRunning: Record<string, boolean> }).drawnWhileRunning);
    await expect.poll(async () => Object.keys(await drawn()).length, { timeout: 170_000 }).toBe(ORIGINAL.length);
    expect(Object.entries(await drawn()).filter(([, running]) => !running)).toEqual([]);
    await page.getByTestId('run-facts').waitFor({ timeout: 170_000 });
    await expect(page.locator('.panel[data-analysis="explore-counts"]').textContent()).resolves.toContain('150,000');
    // Until the dropped file's charts, the page showed its import, never the dataset shown before the drop.
    const shown = await page.evaluate(() => (window as unknown as { shownWhileImporting: string[] }).shownWhileImporting);
    expect(shown).toEqual(['Importing crash-150k.csv', 'crash-150k']);
    expect(b.consoleErrors).toEqual([]);
  });
});
