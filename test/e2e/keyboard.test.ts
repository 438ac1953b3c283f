/**
 * The whole loop with the keyboard only, in browser mode (issue #19): open a CSV with Ctrl+O, move
 * between pages, sort and filter the grid, run the analyses, reach a chart and open its table,
 * export, change a setting. Every Tab lands on an element with a visible focus indicator, and
 * focus never gets stuck or falls back to the page body. Expected values come from an
 * independent parse of the real file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REAL_31 } from '../support/real-data';
import { startBrowserMode, type BrowserMode } from './support/browser';

const records: Record<string, string>[] = parse(fs.readFileSync(REAL_31), { bom: true, columns: true, skip_empty_lines: true });
const DATASET = path.basename(REAL_31, '.csv');
const fmt = (n: number) => new Intl.NumberFormat('en-US').format(n);

interface Focused {
  tag: string;
  name: string;
  visible: boolean;
  matches: boolean;
}

/**
 * Presses Tab (or Shift+Tab) until the focused element matches `selector`, checking on every stop
 * that focus is on an element (not the body) and that its focus indicator is drawn.
 */
async function tabTo(page: Page, selector: string, options: { back?: boolean; max?: number; wrap?: boolean } = {}): Promise<void> {
  const seen: string[] = [];
  let wrapped = false;
  for (let i = 0; i < (options.max ?? 400); i++) {
    await page.keyboard.press(options.back ? 'Shift+Tab' : 'Tab');
    const focused = await page.evaluate((selector): Focused => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return { tag: 'body', name: '', visible: false, matches: false };
      const style = getComputedStyle(el);
      const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 1;
      const ring = style.boxShadow !== 'none';
      return {
        tag: el.tagName.toLowerCase(),
        name: (el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 60),
        visible: el.matches(':focus-visible') && (outline || ring),
        matches: el.matches(selector),
      };
    }, selector);
    seen.push(`${focused.tag} ${focused.name}`);
    // Past the last control focus leaves the document once (to the browser), then comes back to the first.
    if (focused.tag === 'body' && options.wrap && !wrapped) {
      wrapped = true;
      continue;
    }
    expect(focused.tag, `focus fell to the page body after ${seen.slice(-5).join(' → ')}`).not.toBe('body');
    expect(focused.visible, `no visible focus on ${focused.tag} "${focused.name}"`).toBe(true);
    if (focused.matches) return;
  }
  throw new Error(`Tab never reached ${selector}; last stops: ${seen.slice(-10).join(' → ')}`);
}

const active = (page: Page) => page.evaluate(() => document.activeElement?.outerHTML.slice(0, 200) ?? '');

/** Arrow keys on a focused <select> until it has `value` (as a keyboard user changes a list box). */
async function chooseWithArrows(page: Page, value: string): Promise<void> {
  for (let i = 0; i < 12; i++) {
    if ((await page.evaluate(() => (document.activeElement as HTMLSelectElement).value)) === value) return;
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`the list never reached ${value}`);
}

describe('keyboard only', () => {
  let b: BrowserMode;
  beforeAll(async () => {
    b = await startBrowserMode();
  });
  afterAll(async () => {
    await b?.close();
  });

  it('walks the whole loop without a mouse', async () => {
    const { page } = b;
    await page.goto(b.server.url);
    await page.getByRole('heading', { level: 1, name: 'Datasets' }).waitFor();

    // The window opens with focus on the page's content; the skip link is just before the top bar.
    await tabTo(page, 'a.skip-link', { back: true });

    // Open a CSV: Ctrl+O opens the file chooser.
    const chooser = page.waitForEvent('filechooser');
    await page.keyboard.press('Control+O');
    await (await chooser).setFiles(REAL_31);
    const summary = page.getByTestId('import-summary');
    await summary.waitFor({ timeout: 120_000 });
    await expect(summary.getByTestId('summary-rows').textContent()).resolves.toBe(fmt(records.length));

    // Move between pages: Tab to the Browse link in the navigation and press Enter.
    await page.locator('main').focus();
    await tabTo(page, 'nav a[href="#/browse"]', { back: true });
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: /^Browse/ }).waitFor();
    const count = page.getByTestId('row-count');
    await expect.poll(() => count.textContent(), { timeout: 30_000 }).toBe(`${fmt(records.length)} rows`);

    // Sort by Vehicle Year.
    await tabTo(page, 'button[aria-label="Sort by Vehicle Year"]');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('[role="columnheader"][data-column="Vehicle Year"]').getAttribute('aria-sort')).toBe('ascending');

    // Filter State of Registration = NY: the editor takes focus, Tab reaches the value, Enter applies.
    await tabTo(page, 'button[aria-label="Filter State of Registration"]');
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'Filter State of Registration' }).waitFor();
    expect(await active(page)).toMatch(/^<select/);
    await chooseWithArrows(page, 'equals');
    await tabTo(page, '.filter-editor input');
    await page.keyboard.type('NY');
    await page.keyboard.press('Enter');
    const ny = records.filter((r) => r['State of Registration'] === 'NY');
    await expect
      .poll(() => count.textContent(), { timeout: 30_000 })
      .toBe(`${fmt(ny.length)} of ${fmt(records.length)} rows match the filters`);

    // Run the analyses (Alt+3, then Ctrl+Enter) and hear the outcome in the live region.
    await page.keyboard.press('Alt+3');
    await page.getByRole('heading', { level: 1, name: /^Analyses/ }).waitFor();
    await page.getByTestId('run-all').and(page.locator(':enabled')).waitFor();
    await page.keyboard.press('Control+Enter');
    await page.getByTestId('run-facts').waitFor({ timeout: 170_000 });
    await expect.poll(() => page.getByTestId('live-region').textContent()).toMatch(/Analyses: done/);

    // Move through the panels to the body-type chart: its summary is its description; Enter opens its table.
    await page.locator('main').focus();
    const chart = '.panel[data-analysis="desc-body-type"] .echart';
    await page.locator(`${chart} svg`).waitFor();
    await tabTo(page, chart);
    const described = await page.evaluate((chart) => {
      const el = document.querySelector(chart)!;
      return document.getElementById(el.getAttribute('aria-describedby') ?? '')?.textContent ?? '';
    }, chart);
    expect(described).toMatch(/^Vehicle body type, \d+ bars: /);
    await page.keyboard.press('Enter');
    const table = page.locator('.panel[data-analysis="desc-body-type"] .result-table');
    await table.waitFor();
    expect(await page.evaluate(() => document.activeElement?.classList.contains('result-table'))).toBe(true);
    // Read it: the table holds the numbers behind the summary (each named bar's share of the total).
    const headers = await table.locator('thead th').allTextContents();
    const countAt = headers.findIndex((h) => /^count$/i.test(h.trim()));
    expect(countAt).toBeGreaterThan(0);
    const rows = await table
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => Array.from(tr.children, (td) => td.textContent ?? '')));
    const counts = new Map(rows.map((cells) => [cells[0]!, Number(cells[countAt]!.replace(/[^\d.]/g, ''))]));
    const total = [...counts.values()].reduce((a, v) => a + v, 0);
    const spoken = described
      .slice(described.indexOf(': ') + 2)
      .split(', ')
      .map((item) => /^(.+) (\d+)%\.?$/.exec(item))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ label: m[1]!, share: Number(m[2]) }));
    expect(spoken.length).toBeGreaterThan(0);
    for (const { label, share } of spoken) expect(Math.round((counts.get(label)! / total) * 100), label).toBe(share);
    expect(records.length).toBeGreaterThanOrEqual(total);

    // Export the view as CSV from the menu: Ctrl+Shift+E, arrows, Enter.
    await page.keyboard.press('Control+Shift+E');
    await page.locator('[role="menu"]').first().waitFor();
    for (let i = 0; i < 20 && !(await active(page)).includes('data-action="export-view-csv"'); i++) await page.keyboard.press('ArrowDown');
    expect(await active(page)).toContain('data-action="export-view-csv"');
    await page.keyboard.press('Enter');
    const done = page.getByTestId('export-done');
    await done.waitFor({ timeout: 120_000 });
    const [file] = await done.getByTestId('export-file').allTextContents();
    const exported: Record<string, string>[] = parse(fs.readFileSync(file!), { bom: true, columns: true, skip_empty_lines: true });
    expect(exported.length).toBe(ny.length);
    expect(path.basename(file!)).toContain(DATASET.slice(0, 10));

    // Change a setting: Alt+5, Tab to the theme list, arrows to Dark.
    await page.keyboard.press('Alt+5');
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    await tabTo(page, 'select:has(option[value="dark"])');
    await chooseWithArrows(page, 'dark');
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');

    // No trap: from here Tab goes on around the whole window and back to the skip link.
    await tabTo(page, 'a.skip-link', { wrap: true });
  });
});
