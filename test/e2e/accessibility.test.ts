/**
 * Accessibility of every page, checked by an outside engine (axe-core) in browser mode: in light and
 * dark, in English and French, empty and with the 4,401 real rows imported and analysed, and with
 * the export menu, the shortcuts dialog, the import summary and the rejects viewer open. Any
 * serious or critical violation fails (issue #19).
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REAL_4401 } from '../support/real-data';
import { audit, type Finding } from './support/axe';
import { dropFile, repoRoot, startBrowserMode, type BrowserMode } from './support/browser';

const PAGES = ['datasets', 'browse', 'analyses', 'spark', 'settings'] as const;
const LOOKS = [
  { colorScheme: 'light', locale: 'en-US' },
  { colorScheme: 'dark', locale: 'en-US' },
  { colorScheme: 'light', locale: 'fr-FR' },
  { colorScheme: 'dark', locale: 'fr-FR' },
] as const;
const RAGGED = path.join(repoRoot, 'test/fixtures/csv/ragged-rows.csv');

/** A fresh window in one theme and language (nothing remembered from another look). */
async function openWindow(b: BrowserMode, look: (typeof LOOKS)[number]): Promise<Page> {
  const context = await b.browser.newContext({ ...look, viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.goto(b.server.url);
  await page.locator('main[data-page="datasets"] h1').waitFor();
  return page;
}

/** Alt+1…5 opens a page whatever the language; settled once its heading shows and nothing is loading. */
async function openPage(page: Page, index: number): Promise<void> {
  await page.keyboard.press(`Alt+${index + 1}`);
  await page.locator(`main[data-page="${PAGES[index]}"] h1`).waitFor();
  await page.waitForLoadState('networkidle').catch(() => undefined);
}

async function auditEveryPage(page: Page, label: string, withData: boolean): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (let i = 0; i < PAGES.length; i++) {
    await openPage(page, i);
    if (withData && PAGES[i] === 'browse') await page.locator('[role="grid"] [role="gridcell"]:not(.loading)').first().waitFor();
    if (withData && PAGES[i] === 'analyses') {
      await page.getByTestId('run-facts').waitFor();
      await page.locator('.panel .echart svg').first().waitFor();
    }
    findings.push(...(await audit(page, `${label} ${PAGES[i]}`)));
  }
  return findings;
}

async function auditOverlays(page: Page, label: string): Promise<Finding[]> {
  const findings: Finding[] = [];
  await page.keyboard.press('Control+Shift+E');
  await page.locator('[role="menu"]').first().waitFor();
  findings.push(...(await audit(page, `${label} export menu`)));
  await page.keyboard.press('Escape');
  await page.locator('main h1').click();
  await page.keyboard.press('?');
  await page.locator('dialog[open]').waitFor();
  findings.push(...(await audit(page, `${label} shortcuts dialog`)));
  await page.keyboard.press('Escape');
  await page
    .locator('dialog[open]')
    .waitFor({ state: 'detached' })
    .catch(() => undefined);
  return findings;
}

describe('accessibility (axe-core, serious and critical)', () => {
  let b: BrowserMode;
  beforeAll(async () => {
    b = await startBrowserMode();
  });
  afterAll(async () => {
    await b?.close();
  });

  for (const look of LOOKS) {
    it(`has no violation with no data: ${look.colorScheme}, ${look.locale}`, async () => {
      const page = await openWindow(b, look);
      const label = `empty ${look.colorScheme} ${look.locale}`;
      const findings = [...(await auditEveryPage(page, label, false)), ...(await auditOverlays(page, label))];
      await page.context().close();
      expect(findings).toEqual([]);
    });
  }

  it('imports and analyses the real rows', async () => {
    const page = await openWindow(b, LOOKS[0]);
    await dropFile(page, '[data-testid="drop-zone"]', REAL_4401);
    await page.getByTestId('import-summary').waitFor({ timeout: 120_000 });
    await openPage(page, 2);
    await page.getByTestId('run-all').click();
    await page.getByTestId('run-facts').waitFor({ timeout: 170_000 });
    await page.context().close();
  });

  for (const look of LOOKS) {
    it(`has no violation with data: ${look.colorScheme}, ${look.locale}`, async () => {
      const page = await openWindow(b, look);
      const label = `data ${look.colorScheme} ${look.locale}`;
      const findings = [...(await auditEveryPage(page, label, true)), ...(await auditOverlays(page, label))];

      // Every analysis shown as its table.
      await openPage(page, 2);
      await page.locator('.panel .echart svg').first().waitFor();
      for (const group of await page.locator('.panel .segmented').all()) await group.locator('button').nth(1).click();
      findings.push(...(await audit(page, `${label} analyses as tables`)));

      // The import summary and its rejects viewer, after a file with ragged rows.
      await openPage(page, 0);
      await dropFile(page, '[data-testid="drop-zone"]', RAGGED);
      const summary = page.getByTestId('import-summary');
      await summary.waitFor({ timeout: 60_000 });
      findings.push(...(await audit(page, `${label} import summary`)));
      await summary.locator('.rejects > button').click();
      await summary.locator('.rejects-viewer table').waitFor();
      findings.push(...(await audit(page, `${label} rejects viewer`)));
      await page.context().close();
      expect(findings).toEqual([]);
    });
  }
});
