/**
 * browse: latency of a sorted and filtered page of 200 rows (`dataset/page`, what the grid asks
 * for while scrolling) at random offsets of the filtered view, p50 and p95 over every page; and
 * the first page of each view on its first request, as the grid asks for it (`total: 'later'`:
 * what a click on a column header costs before rows show), then the view's count as the grid asks
 * for it next (context: the scrollbar's length arrives then); and, after a view's pages, the first
 * page of the same view with one more filter (context: the user refining what they sorted).
 */
import { StudioError } from '../../../shared/errors';
import type { ColumnFilter, DatasetView } from '../../../shared/contract/dataset';
import { NUMERIC_TYPES, type DatasetColumn, type DatasetVersionInfo } from '../../../shared/types';
import { qualifiedTable } from '../../../electron/engine/catalog/catalog';
import { quoteIdent } from '../../../electron/engine/db/sql';
import { ensureDataset, product, type BenchContext } from '../context';
import { fromSamples, unavailable } from '../protocol';
import type { Measurement, SectionResult } from '../types';
import { mulberry32 } from '../../../electron/engine/generate/random';

const PAGE_ROWS = 200;

/** Two views like a user's: sorted by a number with an equality filter, sorted by text with a range filter. */
export async function browseViews(ctx: BenchContext, dataset: DatasetVersionInfo): Promise<Array<{ name: string; view: DatasetView }>> {
  const byName = (name: string) => dataset.columns.find((c) => c.name === name);
  const numeric = dataset.columns.filter((c) => NUMERIC_TYPES.includes(c.type));
  const text = dataset.columns.filter((c) => c.type === 'text');
  const sortNumber: DatasetColumn | undefined = byName('Vehicle Year') ?? numeric[0];
  const filterText: DatasetColumn | undefined = byName('State of Registration') ?? text[0];
  const sortText: DatasetColumn | undefined = byName('Vehicle Make') ?? text[0];
  const rangeNumber: DatasetColumn | undefined = byName('Number of Occupants') ?? numeric[0];
  const views: Array<{ name: string; view: DatasetView }> = [];
  const base = { dataset: dataset.dataset, version: dataset.version };
  if (sortNumber && filterText) {
    const top = await ctx.engine.ctx.db.query<{ v: string }>(
      `SELECT ${quoteIdent(filterText.identifier)}::text AS v FROM ${qualifiedTable(dataset.table)} WHERE ${quoteIdent(filterText.identifier)} IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`,
    );
    const value = top.rows[0]?.v;
    if (value !== undefined) {
      views.push({
        name: `sort ${sortNumber.name} desc, ${filterText.name} = ${value}`,
        view: {
          ...base,
          sort: [{ column: sortNumber.identifier, direction: 'desc' }],
          filters: [{ column: filterText.identifier, op: 'equals', value }],
        },
      });
    }
  }
  if (sortText && rangeNumber) {
    views.push({
      name: `sort ${sortText.name} asc, ${rangeNumber.name} in [1, 4]`,
      view: {
        ...base,
        sort: [{ column: sortText.identifier, direction: 'asc' }],
        filters: [{ column: rangeNumber.identifier, op: 'range', min: 1, max: 4 }],
      },
    });
  }
  return views;
}

/** One more filter for a view, on a column it does not filter yet: occupants 1–2, else a text column not null. */
function refinement(dataset: DatasetVersionInfo, view: DatasetView): ColumnFilter | null {
  const filtered = new Set((view.filters ?? []).map((f) => f.column));
  const occupants = dataset.columns.find((c) => c.name === 'Number of Occupants');
  if (occupants && !filtered.has(occupants.identifier)) return { column: occupants.identifier, op: 'range', min: 1, max: 2 };
  const text = dataset.columns.find((c) => c.type === 'text' && !filtered.has(c.identifier));
  return text ? { column: text.identifier, op: 'notNull' } : null;
}

export async function browseSection(ctx: BenchContext): Promise<SectionResult> {
  const id = 'browse.page';
  const label = `dataset/page: ${PAGE_ROWS} sorted + filtered rows at a random offset`;
  try {
    const dataset = await ensureDataset(ctx);
    const views = await browseViews(ctx, dataset);
    if (!views.length) throw new Error('the dataset has no column to sort and filter on');
    // The grid opens a dataset unsorted before any header is clicked (untimed), as in the app; the
    // first view below is then clicked at once, without a user's pause.
    await product('dataset/page', () =>
      ctx.client.call('dataset/page', { dataset: dataset.dataset, version: dataset.version, offset: 0, limit: PAGE_ROWS, total: 'later' }),
    );
    const random = mulberry32(20180101);
    const samples: number[] = [];
    const firstPage: number[] = [];
    const firstTotal: number[] = [];
    const firstRefined: number[] = [];
    const facts: Array<{ view: string; totalRows: number; pages: number }> = [];
    for (const { name, view } of views) {
      const page = (offset: number, total: 'wait' | 'later' = 'wait', limit = PAGE_ROWS) =>
        product('dataset/page', () => ctx.client.call('dataset/page', { ...view, offset, limit, total }));
      const timed = async (offset: number, total: 'wait' | 'later' = 'wait', limit = PAGE_ROWS) => {
        const started = process.hrtime.bigint();
        const result = await page(offset, total, limit);
        return { seconds: Number(process.hrtime.bigint() - started) / 1e9, result };
      };
      const first = await timed(0, 'later');
      firstPage.push(first.seconds);
      if (first.result.rows.length !== Math.min(PAGE_ROWS, first.result.totalRows))
        throw new Error(`the first page has ${first.result.rows.length} rows`);
      // What the grid does next when the count was not known: the same view's count, one row.
      const counted = first.result.totalPending ? await timed(0, 'wait', 1) : { seconds: first.seconds, result: first.result };
      firstTotal.push(first.seconds + counted.seconds);
      const total = counted.result.totalRows;
      const offsets = () => Math.floor(random() * Math.max(1, total - PAGE_ROWS + 1));
      for (let i = 0; i < ctx.options.protocol.warmup; i++) await page(offsets());
      for (let i = 0; i < ctx.options.browsePages; i++) {
        if (ctx.signal?.aborted) throw new StudioError('CANCELLED', 'Benchmark cancelled.');
        const offset = offsets();
        const { seconds, result } = await timed(offset);
        if (result.rows.length !== Math.min(PAGE_ROWS, Math.max(0, total - offset)))
          throw new Error(`page at ${offset} has ${result.rows.length} rows`);
        samples.push(seconds);
      }
      // The user's next step: one more filter on the view just scrolled (its map is built by now).
      const extra = refinement(dataset, view);
      if (extra) {
        const refined = { ...view, filters: [...(view.filters ?? []), extra] };
        const started = process.hrtime.bigint();
        await product('dataset/page', () => ctx.client.call('dataset/page', { ...refined, offset: 0, limit: PAGE_ROWS, total: 'later' }));
        firstRefined.push(Number(process.hrtime.bigint() - started) / 1e9);
      }
      facts.push({ view: name, totalRows: total, pages: ctx.options.browsePages });
      ctx.log(`  ${name}: ${total} rows in view, ${ctx.options.browsePages} pages`);
    }
    const measurements: Measurement[] = [
      fromSamples(id, label, samples, { warmup: ctx.options.protocol.warmup, rows: PAGE_ROWS, notes: { views: facts } }),
      fromSamples('browse.first_page', "dataset/page: first page of each new view (its first request, total: 'later')", firstPage, {
        rows: PAGE_ROWS,
      }),
      fromSamples(
        'browse.first_page_refined',
        'dataset/page: first page of each view with one more filter (after its pages)',
        firstRefined,
        {
          rows: PAGE_ROWS,
        },
      ),
      fromSamples('browse.first_total', 'dataset/page: first page of each new view, then its row count (the next request)', firstTotal, {
        rows: PAGE_ROWS,
      }),
    ];
    return { name: 'browse', status: 'ok', measurements, facts: { views: facts } };
  } catch (err) {
    if (ctx.signal?.aborted) throw err;
    return {
      name: 'browse',
      status: 'not available',
      reason: err instanceof Error ? err.message : String(err),
      measurements: [unavailable(id, label, err)],
    };
  }
}
