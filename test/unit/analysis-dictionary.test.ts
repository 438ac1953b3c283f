/**
 * Coded text (electron/engine/analysis/dictionary.ts): dictionaries sorted by UTF-8 bytes, the
 * same codes from strings and from categoricals, lossless decoding, and filters on codes that
 * select exactly the rows the same filter selects on the text.
 */
import pl from 'nodejs-polars';
import { describe, expect, it } from 'vitest';
import type { GroupByFilter } from '../../shared/analyses';
import type { DatasetColumn } from '../../shared/types';
import { codeOf, codeType, decodeColumns, encodeColumns, lowerBound, recode } from '../../electron/engine/analysis/dictionary';
import { filterExpr } from '../../electron/engine/analysis/ops/groups';

const VALUES = ['b', 'a', null, 'é', 'Z', '', 'a', '東京', 'ab', 'b', null, 'é', 'z'];
const byBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

describe('encodeColumns', () => {
  it('codes strings and categoricals alike, in UTF-8 byte order, and decodes back to the same values', () => {
    const plain = pl.DataFrame({ t: pl.Series('t', VALUES, pl.Utf8) });
    const cat = pl.DataFrame({ t: pl.Series('t', VALUES, pl.Utf8).cast(pl.Categorical) });
    const a = encodeColumns(plain, ['t']);
    const b = encodeColumns(cat, ['t']);
    const distinct = [...new Set(VALUES.filter((v): v is string => v !== null))];
    expect(a.dictionaries.t).toEqual([...distinct].sort(byBytes));
    expect(b.dictionaries.t).toEqual(a.dictionaries.t);
    expect(a.frame.getColumn('t').dtype.equals(pl.UInt8)).toBe(true);
    expect(b.frame.getColumn('t').toArray()).toEqual(a.frame.getColumn('t').toArray());
    expect(decodeColumns(a).getColumn('t').toArray()).toEqual(VALUES);
    expect(decodeColumns(b).getColumn('t').toArray()).toEqual(VALUES);
  });

  it('picks the narrowest code type and handles a column of nulls only', () => {
    expect(codeType(256).equals(pl.UInt8)).toBe(true);
    expect(codeType(257).equals(pl.UInt16)).toBe(true);
    expect(codeType(65_537).equals(pl.UInt32)).toBe(true);
    const many = pl.DataFrame({
      t: pl.Series(
        't',
        Array.from({ length: 300 }, (_, i) => `v${i}`),
        pl.Utf8,
      ),
    });
    expect(encodeColumns(many, ['t']).frame.getColumn('t').dtype.equals(pl.UInt16)).toBe(true);
    const empty = encodeColumns(pl.DataFrame({ t: pl.Series('t', [null, null], pl.Utf8) }), ['t']);
    expect(empty.dictionaries.t).toEqual([]);
    expect(decodeColumns(empty).getColumn('t').toArray()).toEqual([null, null]);
  });

  it('finds codes and bounds by binary search', () => {
    const labels = ['', 'a', 'ab', 'b', 'é'];
    expect(codeOf(labels, 'ab')).toBe(2);
    expect(codeOf(labels, 'aa')).toBe(-1);
    expect(lowerBound(labels, 'aa')).toBe(2);
    expect(lowerBound(labels, 'zz')).toBe(4);
    expect(lowerBound(labels, 'à')).toBe(4);
    expect(lowerBound(labels, 'ü')).toBe(5);
    expect(lowerBound(labels, '東')).toBe(5);
  });

  it('re-codes rewritten values into a merged, sorted dictionary', () => {
    const coded = encodeColumns(pl.DataFrame({ m: pl.Series('m', ['CHEVR', 'FORD', 'CHEV', null, 'AUDI'], pl.Utf8) }), ['m']);
    const merged = recode(pl.col('m'), coded.dictionaries.m!, (v) => (v.startsWith('CHEV') ? 'CHEVROLET' : v));
    expect(merged.labels).toEqual(['AUDI', 'CHEVROLET', 'FORD']);
    const frame = coded.frame.select(merged.expr.alias('m'));
    expect(
      decodeColumns({ frame, dictionaries: { m: merged.labels } })
        .getColumn('m')
        .toArray(),
    ).toEqual(['CHEVROLET', 'FORD', 'CHEVROLET', null, 'AUDI']);
  });
});

describe('filters on coded text', () => {
  it('select exactly the rows the same filter selects on the text, for every operator and present, absent and edge values', () => {
    const column: DatasetColumn = { name: 'T', identifier: 't', type: 'text' };
    const plain = pl.DataFrame({
      t: pl.Series('t', VALUES, pl.Utf8),
      i: pl.Series(
        'i',
        VALUES.map((_, k) => k),
        pl.Int32,
      ),
    });
    const coded = encodeColumns(plain, ['t']);
    const probes = ['a', 'aa', 'b', '', 'é', 'zz', '東京', 'Z', '0'];
    const filters: GroupByFilter[] = [
      { column: 'T', op: 'isNull' },
      { column: 'T', op: 'notNull' },
    ];
    for (const op of ['eq', 'ne', 'gt', 'ge', 'lt', 'le'] as const) for (const value of probes) filters.push({ column: 'T', op, value });
    filters.push({ column: 'T', op: 'in', values: ['a', 'missing', 'é'] }, { column: 'T', op: 'in', values: ['missing'] });
    for (const f of filters) {
      const want = plain.filter(filterExpr(f, column)).getColumn('i').toArray();
      const got = coded.frame
        .filter(filterExpr(f, column, coded.dictionaries.t))
        .getColumn('i')
        .toArray();
      expect({ f, rows: got }).toEqual({ f, rows: want });
    }
  });
});
