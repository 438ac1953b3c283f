/**
 * The size sweep in browser mode: with Databricks pointed at the emulator, the Spark-vs-Polars
 * page shows an emulated Spark run (labelled), then runs a sweep from the page and draws its time
 * and memory charts and its table; the points match what the engine stored, and the CSV export
 * holds the same points. Screenshots for the README come from here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oracleExecutor } from '../support/databricks-emulator/oracle-compute';
import { startDatabricksEmulator, type DatabricksEmulator } from '../support/databricks-emulator';
import { tempHome } from '../support/pg';
import { generateCrashCsv } from '../../electron/engine/generate/generate';
import { resultsDir, startBrowserMode, type BrowserMode } from './support/browser';

const DATASET = 'ny-crash-vehicles-100k';
const ANALYSES = [
  'desc-make',
  'desc-body-type',
  'desc-state',
  'desc-crash-year',
  'desc-factor1',
  'desc-fuel',
  'trend-make',
  'corr-pearson',
];

async function goTo(page: Page, name: string) {
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name }).click();
  await page.getByRole('heading', { level: 1, name: new RegExp(`^${name}`) }).waitFor();
}

describe('the sweep on the Spark-vs-Polars page', () => {
  let emulator: DatabricksEmulator;
  let b: BrowserMode;

  beforeAll(async () => {
    const fast = { queue: 400, setup: 1500, execution: 900, cleanup: 200 };
    emulator = await startDatabricksEmulator({
      clock: { mode: 'scaled', scale: 1 },
      durations: { serverless: fast, 'existing-cluster': fast, 'new-cluster': fast },
      executor: oracleExecutor(),
    });
    b = await startBrowserMode({
      env: {
        HOME: tempHome('sweep-e2e-user'),
        PATH: '/nonexistent',
        DATABRICKS_HOST: emulator.host,
        DATABRICKS_TOKEN: emulator.token,
        SPARKPOLAR_DATABRICKS_POLL_MS: '50',
      },
    });
    // Generated rows of the real columns: enough rows for the sweep to span two decades (1k to 100k).
    const file = path.join(tempHome('sweep-e2e-data'), 'crashes-100k.csv');
    await generateCrashCsv({ rows: 100_000, seed: 20180101, out: file });
    await b.t.client.run('dataset/import', { path: file, name: DATASET });
    // The run the page shows: Spark on the emulator, compared with Polars analysis by analysis.
    const run = await b.t.client.run('spark/run', { dataset: DATASET, repeat: 3, analyses: ANALYSES });
    expect(run.verdict).toMatchObject({ mismatched: 0 });
  });

  afterAll(async () => {
    await b?.close();
    await emulator?.close();
  });

  it('labels the emulated run, then sweeps from the page and draws the charts', async () => {
    const { page } = b;
    await page.goto(b.server.url);
    await goTo(page, 'Spark vs Polars');
    await expect.poll(() => page.getByTestId('spark-emulated').textContent(), { timeout: 30_000 }).toContain('Emulated');
    await page.getByTestId('spark-verdict').waitFor();

    const panel = page.getByTestId('sweep');
    await panel.getByTestId('sweep-sizes').fill('1%,10%,100%');
    await panel.getByRole('spinbutton').fill('2');
    await panel.getByTestId('sweep-run').click();
    await panel.getByRole('group', { name: 'Sweeping' }).waitFor({ timeout: 30_000 });
    await panel.getByRole('group', { name: 'Sweeping' }).waitFor({ state: 'detached', timeout: 600_000 });
    await panel.getByTestId('sweep-answer').waitFor();
    const chart = panel.getByTestId('sweep-time-chart');
    await chart.locator('svg').waitFor();

    const [summary] = await b.t.client.call('sweep/list', { dataset: DATASET, limit: 1 });
    const sweep = await b.t.client.call('sweep/get', { sweepId: summary!.id });
    expect(sweep.status).toBe('succeeded');
    expect(sweep.engines).toEqual(['polars', 'spark']);
    expect(sweep.points).toHaveLength(6);

    // The chart: one legend entry per engine, the emulated one labelled, and a drawn line per series.
    const svg = (await chart.innerHTML()).replace(/\s+/g, ' ');
    expect(svg).toContain('Polars');
    expect(svg).toContain('Spark (emulated)');
    expect(svg).toContain('Polars fit');
    expect(svg).not.toContain('Spark fit');
    expect(await chart.locator('svg path').count()).toBeGreaterThan(10);
    await panel.getByTestId('sweep-memory-chart').locator('svg').waitFor();
    expect(await panel.getByTestId('sweep-memory-chart').innerHTML()).toContain('This machine');

    // The table shows what the engine stored, row for row.
    const table = panel.getByTestId('sweep-points');
    const rows = await table
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-engine'), tr.children[1]!.textContent, tr.children[2]!.textContent]));
    const fmt = (n: number) => new Intl.NumberFormat('en-US').format(n);
    expect(rows).toEqual(sweep.points.map((p) => [p.engine, p.size, fmt(p.rows)]));
    expect(await table.locator('tr[data-engine="spark"] .badge').count()).toBe(3);
    await expect(panel.getByTestId('sweep-answer').textContent()).resolves.toMatch(/Polars: time ∝ rows\^/);
    expect(await panel.getByTestId('sweep-limit').textContent()).toContain('Beyond this, use Spark');

    // The points as CSV: the same numbers as the stored sweep.
    const [download] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: 'Points (CSV)' }).click()]);
    const csv: Record<string, string>[] = parse(fs.readFileSync((await download.path())!), { columns: true });
    expect(csv.map((r) => [r.engine, r.size, Number(r.rows), r.emulated])).toEqual(
      sweep.points.map((p) => [p.engine, p.size, p.rows, String(Boolean(p.emulated))]),
    );
    const [svgDownload] = await Promise.all([
      page.waitForEvent('download'),
      panel.getByRole('button', { name: 'Time chart (SVG)' }).click(),
    ]);
    expect(fs.readFileSync((await svgDownload.path())!, 'utf8')).toMatch(/^<svg[\s\S]*Time against rows/);

    // Screenshots for the README: the page after an emulated run down to the sweep's time chart, and the sweep card.
    // The page scrolls inside <main>, so the viewport grows to show what is wanted in one image.
    const fitViewport = async (bottomOf: string) => {
      await page.evaluate(() => document.getElementById('main')!.scrollTo(0, 0));
      const bottom = await page.evaluate((id) => document.querySelector(`[data-testid="${id}"]`)!.getBoundingClientRect().bottom, bottomOf);
      await page.setViewportSize({ width: 1440, height: Math.ceil(bottom) + 24 });
    };
    await fitViewport('sweep-time-chart');
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(resultsDir, 'e2e-05-spark-emulated.png') });
    await fitViewport('sweep');
    await page.waitForTimeout(500);
    await panel.screenshot({ path: path.join(resultsDir, 'e2e-09-sweep.png') });
    await page.setViewportSize({ width: 1440, height: 900 });
    expect(b.consoleErrors).toEqual([]);
  }, 900_000);
});
