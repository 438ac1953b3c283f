import pl from 'nodejs-polars';
import { describe, expect, it } from 'vitest';
import { csvTable } from '../../shared/csv';

const header = ['Vehicle Make', 'count', 'note'];
const rows = [
  ['FORD, INC', 3, 'said "hi"'],
  ['=1+1', 2, null],
  ['multi\nline', 1.5, true],
];

describe('csvTable', () => {
  it('writes RFC 4180 that a CSV reader reads back to the same cells', () => {
    const text = csvTable(header, rows, { raw: true, lineEnd: '\n' });
    const back = pl.readCSV(text, { hasHeader: true, inferSchemaLength: 0 });
    expect(back.columns).toEqual(header);
    expect(back.getColumn('Vehicle Make').toArray()).toEqual(['FORD, INC', '=1+1', 'multi\nline']);
    expect(back.getColumn('note').toArray()).toEqual(['said "hi"', null, 'true']);
    expect(back.getColumn('count').toArray()).toEqual(['3', '2', '1.5']);
  });

  it('neutralises formula-like text unless raw, and ends every record with the line end asked for', () => {
    const text = csvTable(header, rows);
    expect(text.split('\r\n')[2]).toBe("'=1+1,2,");
    expect(text.endsWith('\r\n')).toBe(true);
    expect(csvTable(header, [], { lineEnd: '\n' })).toBe('Vehicle Make,count,note\n');
  });
});
