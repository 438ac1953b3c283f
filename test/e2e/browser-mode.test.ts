/**
 * The app end to end in browser mode: the real engine and PostgreSQL behind the real server, the
 * built renderer in Chromium. Expected values come from an independent parse of the real file.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import pg from 'pg';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserServer } from '../../electron/serve/server';
import { REAL_4401 } from '../support/real-data';
import { dropFile, rendererDir, repoRoot, screenshot, startBrowserMode, type BrowserMode } from './support/browser';
import { neutraliseText } from '../../shared/csv';
import { gridColumnValues } from './support/grid';

const CRASH_FILE = REAL_4401;
const DATASET = path.basename(CRASH_FILE, '.csv');

/** The file as an independent reader sees it: header and records (BOM stripped, quotes honoured). */
const records: Record<string, string>[] = parse(fs.readFileSync(CRASH_FILE), { bom: true, columns: true, skip_empty_lines: true });
const header = Object.keys(records[0]!);
const fmt = (n: number) => new Intl.NumberFormat('en-US').format(n);

function get(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
      .on('error', reject);
  });
}

async function goTo(page: Page, name: string) {
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name }).click();
  await page.getByRole('heading', { level: 1, name: new RegExp(`^${name}`) }).waitFor();
}

/** Notices fade by themselves; screenshots are taken without them. */
async function clearNotices(page: Page) {
  // Each click (or a notice fading on its own) shrinks the list: always dismiss the first one left.
  const buttons = page.locator('.notices button[aria-label="Dismiss"]');
  for (let i = 0; i < 20 && (await buttons.count()) > 0; i++)
    await buttons
      .first()
      .click({ timeout: 2_000 })
      .catch(() => undefined);
}

async function runExport(page: Page, action: string): Promise<string[]> {
  await page.getByRole('button', { name: 'Export menu' }).click();
  await page.locator(`[role="menuitem"][data-action="${action}"]`).click();
  const done = page.getByTestId('export-done');
  await done.waitFor({ timeout: 120_000 });
  const files = await done.getByTestId('export-file').allTextContents();
  await done.getByRole('button', { name: 'Dismiss' }).click();
  return files;
}

describe('browser mode end to end', () => {
  let b: BrowserMode;

  beforeAll(async () => {
    b = await startBrowserMode();
  });
  afterAll(async () => {
    await b?.close();
  });

  it('refuses the page without the token', async () => {
    expect(await get(`http://127.0.0.1:${b.server.port}/`)).toBe(403);
    const response = await b.page.goto(`http://127.0.0.1:${b.server.port}/`);
    expect(response?.status()).toBe(403);
  });

  it('shows the shell and the engine status from the real engine', async () => {
    const { page } = b;
    await page.goto(b.server.url);
    const nav = page.getByRole('navigation', { name: 'Pages' });
    for (const name of ['Datasets', 'Browse', 'Analyses', 'Spark vs Polars', 'Settings'])
      await expect(nav.getByRole('link', { name }).isVisible()).resolves.toBe(true);
    const db = new pg.Client({ connectionString: b.t.databaseUrl });
    await db.connect();
    const { rows } = await db.query<{ server_version: string; version: string }>(
      "SELECT current_setting('server_version') AS server_version, version() AS version",
    );
    await db.end();
    const status = page.getByTestId('engine-status');
    await expect.poll(() => status.textContent(), { timeout: 30_000 }).toContain(`PostgreSQL ${rows[0]!.server_version}`);
    await status.click();
    await expect(page.getByTestId('engine-pg-version').textContent()).resolves.toBe(rows[0]!.version);
    await status.click();
    await expect(page.getByRole('heading', { name: 'No dataset yet' }).isVisible()).resolves.toBe(true);
    await screenshot(page, 'e2e-01-shell');
  });

  it('imports the real 4,401-row file dropped on the window, with progress', async () => {
    const { page } = b;
    // Remember whether a progress bar was ever on screen (the import may be quick).
    await page.evaluate(() => {
      const w = window as unknown as { sawProgress: boolean };
      w.sawProgress = false;
      new MutationObserver(() => {
        if (document.querySelector('[role="progressbar"]')) w.sawProgress = true;
      }).observe(document.body, { childList: true, subtree: true });
    });
    await b.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: `http://127.0.0.1:${b.server.port}` });
    await dropFile(page, '[data-testid="drop-zone"]', CRASH_FILE);
    const summary = page.getByTestId('import-summary');
    await summary.waitFor({ timeout: 120_000 });
    expect(await page.evaluate(() => (window as unknown as { sawProgress: boolean }).sawProgress)).toBe(true);
    await expect(summary.getByTestId('summary-rows').textContent()).resolves.toBe(fmt(records.length));
    const row = page.locator(`tr[data-dataset="${DATASET}"]`);
    await expect(row.getByTestId('dataset-rows').textContent()).resolves.toBe(fmt(records.length));
    expect(records.length).toBe(4401);
    await screenshot(page, 'e2e-02-datasets');
  });

  it('browses every row, sorts by Vehicle Year and filters State of Registration = NY', async () => {
    const { page } = b;
    await goTo(page, 'Browse');
    const count = page.getByTestId('row-count');
    await expect.poll(() => count.textContent(), { timeout: 30_000 }).toBe(`${fmt(records.length)} rows`);

    await page.getByRole('button', { name: 'Sort by Vehicle Year' }).click();
    const years = records.map((r) => r['Vehicle Year']!).filter((v) => v !== '');
    const ascending = [...years].sort((a, b) => Number(a) - Number(b));
    await expect.poll(() => gridColumnValues(page, 'Vehicle Year', 5), { timeout: 30_000 }).toEqual(ascending.slice(0, 5));

    await page.getByRole('button', { name: 'Filter State of Registration' }).click();
    const editor = page.getByRole('dialog', { name: 'Filter State of Registration' });
    await editor.getByLabel('Condition').selectOption('equals');
    await editor.getByLabel('Value').fill('NY');
    await editor.getByRole('button', { name: 'Apply' }).click();
    const ny = records.filter((r) => r['State of Registration'] === 'NY');
    await expect
      .poll(() => count.textContent(), { timeout: 30_000 })
      .toBe(`${fmt(ny.length)} of ${fmt(records.length)} rows match the filters`);
    const nyYears = ny
      .map((r) => r['Vehicle Year']!)
      .filter((v) => v !== '')
      .sort((a, b) => Number(a) - Number(b));
    await expect.poll(() => gridColumnValues(page, 'Vehicle Year', 5)).toEqual(nyYears.slice(0, 5));
    expect(await gridColumnValues(page, 'State of Registration', 5)).toEqual(['NY', 'NY', 'NY', 'NY', 'NY']);

    // The grid reaches the last row when scrolled to the end (pages are fetched as needed).
    await page.getByTestId('grid').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await expect
      .poll(() => page.locator(`[role="grid"] [role="row"][aria-rowindex="${ny.length + 1}"] [role="gridcell"]:not(.loading)`).count(), {
        timeout: 30_000,
      })
      .toBe(header.length);
    await page.getByTestId('grid').evaluate((el) => el.scrollTo(0, 0));

    // Copy a whole row: one CSV record, in column order, as the grid shows it (quoted and
    // neutralised like the CSV export).
    await page.locator('[role="grid"] [role="row"][aria-rowindex="2"] [role="rowheader"]').click();
    await page.getByRole('button', { name: 'Copy row' }).click();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    const cells = await page.locator('[role="grid"] [role="row"][aria-rowindex="2"] [role="gridcell"]').allTextContents();
    expect(parse(copied)).toEqual([cells.map((c) => (c === 'null' ? '' : neutraliseText(c)))]);

    // The profile of a column comes from the engine's generic profile analysis over the raw rows.
    await page.getByRole('button', { name: 'Profile of Vehicle Year' }).click();
    const profile = page.getByTestId('column-profile');
    const distinct = new Set(records.map((r) => r['Vehicle Year']).filter((v) => v !== '')).size;
    await expect.poll(() => profile.locator('dt:text-is("Distinct values") + dd').textContent(), { timeout: 60_000 }).toBe(fmt(distinct));
    await expect(profile.locator('dt:text-is("Minimum") + dd').textContent()).resolves.toBe(ascending[0]);
    await profile.locator('svg').waitFor();
    await clearNotices(page);
    await screenshot(page, 'e2e-03-browse');
    await profile.getByRole('button', { name: 'Close' }).click();
  });

  it('draws non-blank charts for the analyses', async () => {
    const { page } = b;
    await goTo(page, 'Analyses');
    await page.getByTestId('run-all').click();
    await page.getByTestId('run-facts').waitFor({ timeout: 170_000 });
    const panels = page.locator('.panel[data-status="ok"]');
    await expect.poll(() => panels.count(), { timeout: 30_000 }).toBeGreaterThan(20);
    const charts = await page.evaluate(() =>
      Array.from(document.querySelectorAll('.panel .echart')).map((el) => {
        const svg = el.querySelector('svg');
        const box = svg?.getBoundingClientRect();
        const filled = Array.from(svg?.querySelectorAll('path') ?? []).filter((p) => {
          const fill = p.getAttribute('fill');
          return fill && fill !== 'none' && fill !== 'transparent' && !/^#f{3,6}$/i.test(fill);
        });
        return {
          id: el.closest('.panel')?.getAttribute('data-analysis'),
          width: box?.width ?? 0,
          height: box?.height ?? 0,
          filled: filled.length,
        };
      }),
    );
    expect(charts.length).toBeGreaterThan(15);
    for (const c of charts) {
      expect(c.width, c.id ?? '').toBeGreaterThan(200);
      expect(c.height, c.id ?? '').toBeGreaterThan(200);
      expect(c.filled, c.id ?? '').toBeGreaterThan(0);
    }
    // The body-type bars carry the counts an independent count of the file gives.
    await page.locator('.panel[data-analysis="desc-body-type"]').getByRole('button', { name: 'Table' }).click();
    const table = page.locator('.panel[data-analysis="desc-body-type"] table');
    const first = await table.locator('tbody tr').first().locator('td').allTextContents();
    const byType = new Map<string, number>();
    for (const r of records) byType.set(r['Vehicle Body Type']!, (byType.get(r['Vehicle Body Type']!) ?? 0) + 1);
    const top = [...byType.entries()].sort((a, b) => b[1] - a[1])[0]!;
    expect(first[0]).toBe(top[0]);
    await page.locator('.panel[data-analysis="desc-body-type"]').getByRole('button', { name: 'Chart' }).click();
    await page.getByRole('tab', { name: 'Descriptive' }).click();
    await clearNotices(page);
    await screenshot(page, 'e2e-04-analyses');
    await page.getByRole('tab', { name: 'Correlations' }).click();
    await page.locator('.panel[data-analysis="corr-pearson"] svg').waitFor();
    await screenshot(page, 'e2e-04b-correlations');
    await page.getByRole('tab', { name: 'All' }).click();
  });

  it('exports the view as CSV, the dataset as XLSX and the report as HTML', async () => {
    const { page } = b;
    const ny = records.filter((r) => r['State of Registration'] === 'NY');

    const [csvFile] = await runExport(page, 'export-view-csv');
    const csv: Record<string, string>[] = parse(fs.readFileSync(csvFile!), { bom: true, columns: true, skip_empty_lines: true });
    expect(Object.keys(csv[0]!)).toEqual(header);
    expect(csv.length).toBe(ny.length);
    expect(csv.every((r) => r['State of Registration'] === 'NY')).toBe(true);
    const years = csv.map((r) => Number(r['Vehicle Year']));
    expect(years).toEqual([...years].sort((a, b) => a - b));

    const [xlsxFile] = await runExport(page, 'export-dataset-xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(xlsxFile!);
    const sheet = book.worksheets[0]!;
    expect(sheet.actualRowCount).toBe(records.length + 1);
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(header);
    const vins = new Set(records.map((r) => r['Partial VIN']));
    const vinColumn = header.indexOf('Partial VIN') + 1;
    expect(vins.has(String(sheet.getRow(2).getCell(vinColumn).value))).toBe(true);

    const [htmlFile] = await runExport(page, 'export-report-html');
    const html = fs.readFileSync(htmlFile!, 'utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    expect((html.match(/<svg/g) ?? []).length).toBeGreaterThan(10);
    expect(html).toContain(DATASET);
    expect(html).toContain('Vehicle body type');
    expect(html).not.toMatch(/<script[^>]+src=/i);
  });

  it('shows the other pages and stays free of console errors', async () => {
    const { page } = b;
    await clearNotices(page);
    await goTo(page, 'Spark vs Polars');
    await screenshot(page, 'e2e-05-spark');
    await goTo(page, 'Settings');
    await page.getByRole('heading', { name: 'PostgreSQL' }).waitFor();
    await clearNotices(page);
    await screenshot(page, 'e2e-06-settings');
    await page.getByRole('button', { name: 'Switch language to Français' }).click();
    await page.getByRole('heading', { level: 1, name: 'Paramètres' }).waitFor();
    await page.getByRole('button', { name: 'Passer au thème sombre' }).click();
    await goTo(page, 'Analyses');
    await page.getByRole('tab', { name: 'Tendances' }).click();
    await page.locator('.panel[data-analysis="trend-fuel"] svg').waitFor();
    await screenshot(page, 'e2e-07-analyses-fr-dark');
    await page.getByRole('tab', { name: 'Toutes' }).click();
    // Chromium logs the refused load of the first test as a console error (delivered whenever), and
    // sometimes the favicon request it makes for that tokenless page; only the app's own errors count.
    const refused = ['/', '/favicon.ico'].map((p) => `http://127.0.0.1:${b.server.port}${p}`);
    const deliberate = (e: string) =>
      refused.some((url) => (e.includes('status of 403') && e.endsWith(`(${url})`)) || e === `HTTP 403 GET ${url}`);
    expect(b.consoleErrors.filter((e) => !deliberate(e))).toEqual([]);
  });

  it('shows that the engine connection dropped, and reconnects by itself', async () => {
    const { page } = b;
    const { port, token } = b.server;
    await b.server.close();
    await page.getByTestId('connection-lost').waitFor({ timeout: 30_000 });
    await expect(page.getByTestId('engine-status').textContent()).resolves.toMatch(/déconnecté|disconnected/i);
    b.server = await startBrowserServer({ engine: b.t.engine, rendererDir, uploadDir: path.join(b.t.home, 'uploads'), port, token });
    await page.getByTestId('connection-lost').waitFor({ state: 'detached', timeout: 30_000 });
    await expect.poll(() => page.getByTestId('engine-status').textContent(), { timeout: 30_000 }).toMatch(/^PostgreSQL \d/);
    // The page works again without a reload.
    await goTo(page, 'Parcourir');
    await expect.poll(() => page.getByTestId('row-count').textContent(), { timeout: 30_000 }).toMatch(/4\u202f?\s?401/);
  });

  it('reports rejected rows with their lines, and re-imports with a changed column type', async () => {
    const { page } = b;
    await goTo(page, 'Jeux de données');
    await page.getByRole('button', { name: 'Passer en English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Datasets' }).waitFor();
    const file = path.join(repoRoot, 'test/fixtures/csv/ragged-rows.csv');
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split(/\r?\n/);
    const width = lines[0]!.split(',').length;
    const badLines = lines.map((l, i) => ({ line: i + 1, fields: l.split(',').length })).filter((l) => l.line > 1 && l.fields !== width);
    await dropFile(page, '[data-testid="drop-zone"]', file);
    const summary = page.getByTestId('import-summary');
    await expect.poll(() => summary.getByTestId('summary-rejected').textContent(), { timeout: 60_000 }).toBe(String(badLines.length));
    await expect(summary.getByTestId('summary-rows').textContent()).resolves.toBe(String(lines.length - 1 - badLines.length));
    await summary.getByRole('button', { name: `Show the ${badLines.length} rejected rows` }).click();
    const rejects = summary.getByRole('table', { name: 'Rejected rows' });
    await rejects.waitFor();
    const shownLines = (await rejects.locator('tbody tr td:first-child').allTextContents()).map(Number);
    expect(shownLines).toEqual(badLines.map((l) => l.line));
    await clearNotices(page);
    await screenshot(page, 'e2e-08-rejects');

    await summary.getByText('Column types').click();
    await summary.getByLabel('Type of score').selectOption('text');
    await summary.getByRole('button', { name: 'Re-import with 1 changed type' }).click();
    await expect
      .poll(() => page.getByTestId('import-summary').getByRole('heading').textContent(), { timeout: 60_000 })
      .toContain('(version 2)');
    await page.getByTestId('import-summary').getByText('Column types').click();
    await expect(page.getByTestId('import-summary').getByLabel('Type of score').inputValue()).resolves.toBe('text');
  });
});
