/**
 * export: the product's full CSV export of the dataset to a file vs `psql \copy (SELECT …) to`
 * a file with a header, both writing to the same scratch folder; each file is deleted after its run.
 */
import fs from 'node:fs';
import path from 'node:path';
import { qualifiedTable } from '../../../electron/engine/catalog/catalog';
import { quoteIdent } from '../../../electron/engine/db/sql';
import { connection, ensureDataset, type BenchContext } from '../context';
import { copyOutCommand, Psql } from '../peers/psql';
import { measureAll, unavailable, type Contender } from '../protocol';
import type { SectionResult } from '../types';
import { sectionStatus } from './import';
import { exportCsv } from './export-product';

export async function exportSection(ctx: BenchContext): Promise<SectionResult> {
  let dataset;
  try {
    dataset = await ensureDataset(ctx);
  } catch (err) {
    const ids = ['export.product', 'export.psql_copy_to'];
    return {
      name: 'export',
      status: 'not available',
      reason: err instanceof Error ? err.message : String(err),
      measurements: ids.map((id) => unavailable(id, id, err)),
    };
  }
  const psql = new Psql(ctx.options.psql, await connection(ctx));
  const productFile = path.join(ctx.scratch, 'export-product.csv');
  const peerFile = path.join(ctx.scratch, 'export-psql.csv');
  const sizes: Record<string, number[]> = { product: [], psql: [] };
  const removeAfter = (file: string, key: string) => async () => {
    sizes[key]!.push(fs.existsSync(file) ? fs.statSync(file).size : 0);
    fs.rmSync(file, { force: true });
  };
  const select = `(SELECT ${dataset.columns.map((c) => quoteIdent(c.identifier)).join(', ')} FROM ${qualifiedTable(dataset.table)})`;
  const contenders: Contender[] = [
    {
      id: 'export.product',
      label: 'SparkPolar CSV export of the whole dataset',
      rows: dataset.rows,
      run: async () => {
        const rows = await exportCsv(ctx, dataset, productFile);
        if (rows !== undefined && rows !== dataset.rows) throw new Error(`exported ${rows} rows, expected ${dataset.rows}`);
      },
      after: removeAfter(productFile, 'product'),
      notes: () => ({ fileBytes: sizes.product }),
    },
    {
      id: 'export.psql_copy_to',
      label: 'psql \\copy (SELECT every column) to a file (format csv, header)',
      rows: dataset.rows,
      before: async () => void (await psql.version()),
      run: async () => void (await psql.run([copyOutCommand(select, peerFile, true)], { signal: ctx.signal })),
      after: removeAfter(peerFile, 'psql'),
      notes: () => ({ fileBytes: sizes.psql }),
    },
  ];
  const measurements = await measureAll(ctx.options.protocol, contenders, {
    signal: ctx.signal,
    onSample: (c, s, round, warm) =>
      ctx.log(`  ${c.id}${warm ? ' (warm-up)' : ` #${round - ctx.options.protocol.warmup + 1}`}: ${s.toFixed(2)} s`),
  });
  return {
    name: 'export',
    status: sectionStatus(measurements),
    measurements,
    facts: { dataset: dataset.dataset, version: dataset.version },
  };
}
