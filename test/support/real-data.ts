/**
 * The real rows of the NY crash dataset, kept in the repository as fixtures (provenance in
 * test/fixtures/ny-crash-vehicles/SOURCE.md). Every test and tool that reads them takes the paths from here.
 */
import path from 'node:path';

export const REAL_DATA_DIR = path.resolve(import.meta.dirname, '../fixtures/ny-crash-vehicles');
/** 4,401 complete rows (filtered: no empty field, all NY). */
export const REAL_4401 = path.join(REAL_DATA_DIR, 'krutikapathak-Semantics_vehicle_information_complete_rows_4401.csv');
/** 32 contiguous, unfiltered rows (the file name says 31) with the real nulls and sentinels. */
export const REAL_31 = path.join(REAL_DATA_DIR, 'krutikapathak-Semantics_vehicle_contiguous_raw_31.csv');
