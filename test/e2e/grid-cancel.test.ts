/**
 * The grid cancels the page requests it no longer needs: a sorted view's first page that is still
 * running when the user changes the sort is cancelled over the WebSocket, its PostgreSQL query
 * stops, and the new view's rows show. Browser mode, the built renderer in Chromium, the real
 * engine and PostgreSQL. The first view's query is held running by a lock the test takes on the
 * table (see test/integration/browse-cancel.test.ts for why a lock rather than a big table, and
 * for the PostgreSQL side of the cancel, checked there statement by statement).
 */
import fs from 'node:fs';
import pg from 'pg';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WireMessage } from '../../shared/rpc';
import { REAL_4401 } from '../support/real-data';
import { startBrowserMode, type BrowserMode } from './support/browser';
import { gridColumnValues } from './support/grid';

const records: Record<string, string>[] = parse(fs.readFileSync(REAL_4401), { bom: true, columns: true, skip_empty_lines: true });

let b: BrowserMode;
let admin: pg.Client;
let monitor: pg.Client;
let table: string;

beforeAll(async () => {
  b = await startBrowserMode();
  await b.t.client.run('dataset/import', { path: REAL_4401, name: 'crashes' });
  table = (await b.t.client.call('dataset/get', { dataset: 'crashes' })).table;
  admin = new pg.Client({ connectionString: b.t.databaseUrl });
  monitor = new pg.Client({ connectionString: b.t.databaseUrl });
  await admin.connect();
  await monitor.connect();
});
afterAll(async () => {
  await admin?.end();
  await monitor?.end();
  await b?.close();
});

/** The engine's statements that wait for the test's lock (the sorted page's, once it reaches the table). */
async function waiting(): Promise<string[]> {
  const { rows } = await monitor.query<{ query: string }>(
    `SELECT query FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND state = 'active'`,
  );
  return rows.map((r) => r.query);
}

describe('the grid', () => {
  it('cancels the first page of a sort the user left, and shows the new sort', async () => {
    const { page } = b;
    const sent: WireMessage[] = [];
    page.on('websocket', (ws) => ws.on('framesent', (f) => sent.push(JSON.parse(String(f.payload)) as WireMessage)));
    await page.goto(b.server.url);
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Browse' }).click();
    const count = page.getByTestId('row-count');
    await expect.poll(() => count.textContent(), { timeout: 30_000 }).toBe(`${new Intl.NumberFormat('en-US').format(records.length)} rows`);

    const sortedPage = () =>
      sent.find(
        (m): m is Extract<WireMessage, { kind: 'request' }> =>
          m.kind === 'request' && m.method === 'dataset/page' && JSON.stringify(m.params).includes('"direction":"asc"'),
      );
    await admin.query('BEGIN');
    try {
      await admin.query(`LOCK TABLE data.${pg.escapeIdentifier(table)} IN ACCESS EXCLUSIVE MODE`);
      const sortButton = page.getByRole('button', { name: 'Sort by Vehicle Year' });
      await sortButton.click(); // ascending: its first page waits for the lock, in PostgreSQL
      await expect.poll(() => sortedPage()?.id ?? null, { timeout: 30_000 }).not.toBeNull();
      await expect.poll(async () => (await waiting()).length, { timeout: 30_000 }).toBeGreaterThan(0);
      await sortButton.click(); // descending: the ascending view is left
      const id = sortedPage()!.id;
      await expect.poll(() => sent.some((m) => m.kind === 'cancel' && m.id === id), { timeout: 30_000 }).toBe(true);
    } finally {
      await admin.query('ROLLBACK');
    }
    const descending = records
      .map((r) => r['Vehicle Year']!)
      .filter((v) => v !== '')
      .sort((x, y) => Number(y) - Number(x));
    // Descending puts the empty years first (PostgreSQL's NULLS FIRST): compare the first known years.
    await expect
      .poll(async () => (await gridColumnValues(b.page, 'Vehicle Year', 400)).filter((v) => v !== '' && v !== 'null').slice(0, 5), {
        timeout: 30_000,
      })
      .toEqual(descending.slice(0, 5));
    expect(b.consoleErrors).toEqual([]);
  });
});
