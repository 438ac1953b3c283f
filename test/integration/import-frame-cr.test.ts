/**
 * A file whose lines end in CR alone (old Mac exports) gets an import frame like any other: the
 * COPY stream keeps the file's CR line breaks, and the frame built from it is proven equal to the
 * committed table, then kept as the snapshot. Checked by the proof's verdict and, independently,
 * against the table as PostgreSQL sends it back.
 */
import fs from 'node:fs';
import path from 'node:path';
import pl from 'nodejs-polars';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeColumns } from '../../electron/engine/analysis/dictionary';
import { pendingImportFrames } from '../../electron/engine/analysis/import-frame';
import { loadFromPostgres } from '../../electron/engine/analysis/load';
import { readSnapshot, snapshotColumns } from '../../electron/engine/analysis/snapshot';
import { Catalog } from '../../electron/engine/catalog/catalog';
import { FrameSink } from '../../electron/engine/ingest/frame-sink';
import type { DatasetColumn } from '../../shared/types';
import { startTestEngine, tempHome, type TestEngine } from '../support/pg';

let t: TestEngine;
let dir: string;
const db = () => t.engine.ctx.db;

beforeAll(async () => {
  t = await startTestEngine();
  dir = tempHome('import-frame-cr');
}, 120_000);
afterAll(async () => t?.close());

describe('the frame of a CR-only file', () => {
  it('is built, proven equal to the table, and kept as the snapshot', async () => {
    const file = path.join(dir, 'old-mac.csv');
    const lines = [
      'id,amount,day,label',
      '1,10.5,2020-01-02,plain',
      '2,x,2020-01-03,"rejected: amount is not a number"',
      '3,,12/31/2021,"quoted, with a comma"',
      '4,4.25,,"a ""quote"" and a\rline break inside"',
      '5,-3,1999-12-31,""',
      '6,7,2000-02-29,',
    ];
    for (let i = 7; i <= 300; i++) lines.push(`${i},${(i * 37) % 101}.5,2021-0${1 + (i % 9)}-1${i % 10},item ${i % 13}`);
    fs.writeFileSync(file, lines.join('\r') + '\r');

    const result = await t.client.run('dataset/import', {
      path: file,
      name: 'old-mac',
      typeMismatch: 'reject',
      types: { amount: 'numeric' },
    });
    expect(result.lineEnding).toBe('CR');
    expect(result.rejected).toBe(1);
    expect(result.rows).toBe(299);
    const pending = pendingImportFrames(t.home);
    expect(pending).toHaveLength(1); // a frame was offered
    expect(await Promise.all(pending)).toEqual([true]); // and proven

    const info = await new Catalog(db()).get('old-mac');
    const ids = info.columns.map((c) => c.identifier);
    expect(snapshotColumns(t.home, info)).toEqual(ids);
    const snapshot = decodeColumns(readSnapshot(t.home, info, ids)!);
    const table = await loadFromPostgres(db(), info, { encode: false, streams: 1 });
    expect(snapshot.height).toBe(299);
    expect(snapshot.frameEqual(table.frame, true)).toBe(true);
    const records = snapshot.head(5).toRecords();
    expect(records.map((r) => r.label)).toEqual(['plain', 'quoted, with a comma', 'a "quote" and a\rline break inside', '', null]);
    expect(snapshot.getColumn('id').toArray().slice(0, 3)).toEqual([1, 3, 4]);
  });

  it('parses a CR stream in batches that end on a record’s CR', () => {
    const columns = [
      { name: 'id', identifier: 'id', type: 'integer' },
      { name: 'label', identifier: 'label', type: 'text' },
    ] as DatasetColumn[];
    const sink = FrameSink.create(columns, ',', 'CR', 64)!;
    expect(sink).not.toBeNull();
    const expected: Array<{ id: number; label: string }> = [];
    for (let i = 0; i < 200; i++) {
      const label = i % 17 === 0 ? `multi\rline ${i}` : `label ${i}`;
      expected.push({ id: i, label });
      // Pieces as the load pass sends them: runs of whole records, each ending in its CR.
      sink.add(Buffer.from(`${i},"${label}"\r`));
    }
    const built = sink.finish();
    expect(sink.givenUpBecause).toBeNull();
    const frame = decodeColumns(built!);
    expect(frame.height).toBe(200);
    expect(frame.select(pl.col('id'), pl.col('label').cast(pl.Utf8)).toRecords()).toEqual(expected);
  });
});
