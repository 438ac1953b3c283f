/**
 * load: PostgreSQL → Polars (the analyses' loader, every column, typed from the catalog, snapshot
 * off) vs `psql \copy (SELECT …) to /dev/null` as CSV; then the reload of the same, unchanged
 * dataset version from its columnar snapshot (written by an untimed first load).
 */
import { qualifiedTable } from '../../../electron/engine/catalog/catalog';
import { quoteIdent } from '../../../electron/engine/db/sql';
import { loadDataset } from '../../../electron/engine/analysis/source';
import { connection, ensureDataset, type BenchContext } from '../context';
import { copyOutCommand, Psql } from '../peers/psql';
import { measureAll, unavailable, type Contender } from '../protocol';
import type { Measurement, SectionResult } from '../types';
import { sectionStatus } from './import';

export async function loadSection(ctx: BenchContext): Promise<SectionResult> {
  let dataset;
  try {
    dataset = await ensureDataset(ctx);
  } catch (err) {
    const ids = ['load.product', 'load.psql_copy_out', 'load.snapshot_reload'];
    return {
      name: 'load',
      status: 'not available',
      reason: err instanceof Error ? err.message : String(err),
      measurements: ids.map((id) => unavailable(id, id, err)),
    };
  }
  const db = ctx.engine.ctx.db;
  const psql = new Psql(ctx.options.psql, await connection(ctx));
  const deps = { db, home: ctx.engine.ctx.home };
  const identifiers = dataset.columns.map((c) => c.identifier);
  const snapshotSources: string[] = [];
  let snapshotPrimed = false;
  const select = `(SELECT ${dataset.columns.map((c) => quoteIdent(c.identifier)).join(', ')} FROM ${qualifiedTable(dataset.table)})`;

  const contenders: Contender[] = [
    {
      id: 'load.product',
      label: 'PostgreSQL → Polars DataFrame (every column, snapshot off)',
      rows: dataset.rows,
      run: async () => {
        const result = await loadDataset(deps, dataset, identifiers, { snapshot: false, signal: ctx.signal });
        if (result.frame.height !== dataset.rows) throw new Error(`loaded ${result.frame.height} rows, expected ${dataset.rows}`);
      },
    },
    {
      id: 'load.psql_copy_out',
      label: 'psql \\copy (SELECT every column) to /dev/null (format csv)',
      rows: dataset.rows,
      before: async () => void (await psql.version()),
      run: async () => void (await psql.run([copyOutCommand(select, '/dev/null', false)], { signal: ctx.signal })),
    },
  ];
  const snapshot: Contender = {
    id: 'load.snapshot_reload',
    label: 'reload of the unchanged dataset version from its columnar snapshot (every column)',
    rows: dataset.rows,
    before: async () => {
      if (snapshotPrimed) return;
      await loadDataset(deps, dataset, identifiers, { signal: ctx.signal });
      snapshotPrimed = true;
    },
    run: async () => {
      const result = await loadDataset(deps, dataset, identifiers, { signal: ctx.signal });
      snapshotSources.push(result.source);
      if (result.source !== 'snapshot') throw new Error('the dataset was loaded from PostgreSQL again: no snapshot was kept');
      if (result.frame.height !== dataset.rows) throw new Error(`reloaded ${result.frame.height} rows, expected ${dataset.rows}`);
    },
    notes: () => ({ sources: snapshotSources }),
  };
  const measurements: Measurement[] = await measureAll(ctx.options.protocol, [...contenders, snapshot], {
    signal: ctx.signal,
    onSample: (c, s, round, warm) =>
      ctx.log(`  ${c.id}${warm ? ' (warm-up)' : ` #${round - ctx.options.protocol.warmup + 1}`}: ${s.toFixed(3)} s`),
  });
  return {
    name: 'load',
    status: sectionStatus(measurements),
    measurements,
    facts: { dataset: dataset.dataset, version: dataset.version, table: dataset.table },
  };
}
