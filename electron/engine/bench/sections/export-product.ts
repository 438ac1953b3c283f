/** The product's full CSV export of a dataset, through its export job. */
import type { DatasetVersionInfo } from '../../../../shared/types';
import type { BenchContext } from '../context';
import { NotAvailable } from '../protocol';

/** Exports every row of the dataset as CSV to `file`; resolves with the rows written when the product says. */
export async function exportCsv(_ctx: BenchContext, _dataset: DatasetVersionInfo, _file: string): Promise<number | undefined> {
  throw new NotAvailable('the dataset CSV export job is not in the product yet');
}
