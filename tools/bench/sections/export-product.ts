/** The product's full CSV export of a dataset, through its export job (as the Export menu runs it). */
import type { DatasetVersionInfo } from '../../../shared/types';
import { product, type BenchContext } from '../context';

/** Exports every row of the dataset as CSV to `file` (the product's defaults: BOM, formula neutralising); resolves with the rows written. */
export async function exportCsv(ctx: BenchContext, dataset: DatasetVersionInfo, file: string): Promise<number> {
  const result = await product('export/dataset', () =>
    ctx.client.run(
      'export/dataset',
      { dataset: dataset.dataset, version: dataset.version, format: 'csv', path: file },
      { signal: ctx.signal },
    ),
  );
  return result.rows;
}
