/**
 * The real NY crash rows (UTF-8 with BOM, CRLF, quoted commas, empty numerics, no final newline)
 * import exactly: same row count as csv-parse reads, the five numeric columns typed as integers,
 * and every cell equal to csv-parse's value (empty ↔ NULL), compared cell by cell.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NUMERIC_TYPES } from '../../shared/types';
import { startTestEngine, type TestEngine } from '../support/pg';
import { REAL_31, REAL_4401, readCsvIndependently, tableAsText } from '../support/import-helpers';

const NUMERIC_COLUMNS = ['Year', 'Case Vehicle ID', 'Vehicle Year', 'Number of Occupants', 'Engine Cylinders'];

describe('import of the real crash rows', () => {
  let t: TestEngine;
  beforeAll(async () => {
    t = await startTestEngine();
  });
  afterAll(async () => t.close());

  for (const [label, file] of [
    ['4,401 complete rows', REAL_4401],
    ['31 contiguous raw rows', REAL_31],
  ] as const) {
    it(`imports the ${label} cell for cell`, async () => {
      const expected = readCsvIndependently(file);
      const result = await t.client.run('dataset/import', { path: file });
      expect(result.rows).toBe(expected.records.length);
      expect(result.rejected).toBe(0);
      expect(result.rejectsFile).toBeNull();
      expect(result.encoding).toBe('utf-8');
      expect(result.lineEnding).toBe('CRLF');
      expect(result.columns.map((c) => c.name)).toEqual(expected.header);
      expect(result.columns.map((c) => c.identifier)).toEqual(expected.header);
      for (const c of result.columns) {
        if (NUMERIC_COLUMNS.includes(c.name)) expect(NUMERIC_TYPES, c.name).toContain(c.type);
        else expect(c.type, c.name).toBe('text');
      }
      const actual = await tableAsText(
        t.engine.ctx.db,
        result.table,
        result.columns.map((c) => c.identifier),
      );
      expect(actual.length).toBe(expected.records.length);
      actual.forEach((row, r) => {
        row.forEach((cell, c) => {
          // Empty fields are NULL in the table.
          expect(cell ?? '', `row ${r + 2}, column ${expected.header[c]}`).toBe(expected.records[r]![c]);
        });
      });
      const info = await t.client.call('dataset/get', { dataset: result.dataset });
      expect(info).toMatchObject({
        version: 1,
        rows: expected.records.length,
        rejected: 0,
        sourceBytes: result.bytes,
        sha256: result.sha256,
      });
    });
  }

  it('records the file checksum the way sha256sum computes it', async () => {
    const { createHash } = await import('node:crypto');
    const fs = await import('node:fs');
    const info = await t.client.call('dataset/get', { dataset: 'krutikapathak-Semantics_vehicle_information_complete_rows_4401' });
    expect(info.sha256).toBe(createHash('sha256').update(fs.readFileSync(REAL_4401)).digest('hex'));
    expect(info.sourceBytes).toBe(fs.statSync(REAL_4401).size);
  });
});
