/**
 * Every value check the loader uses, against PostgreSQL itself: a value we accept must be read
 * by the server's input function without error (otherwise one bad value would abort a whole
 * COPY), and be read as the value we mean (checked by an independent expectation).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PG_TYPES } from '../../shared/types';
import { FORMATS, type FormatName } from '../../electron/engine/ingest/values';
import { startTestEngine, type TestEngine } from '../support/pg';

const INTS = [
  '0',
  '-0',
  '7',
  '007',
  '+5',
  '42',
  '-42',
  '2147483647',
  '2147483648',
  '-2147483648',
  '-2147483649',
  '9223372036854775807',
  '9223372036854775808',
  '-9223372036854775808',
  '-9223372036854775809',
  '99999999999999999999',
  '1e3',
  '1.0',
  ' 1',
  '1 ',
  '١٢',
];
const DECIMALS = [
  '1.50',
  '-0.25',
  '.5',
  '1.',
  '0.0',
  '00.5',
  '123456789012345678901234567890.123',
  '1,5',
  '-0,25',
  '1,',
  '1.5.5',
  '12,345,678',
];
const DOUBLES = [
  '1e308',
  '1e309',
  '-1e308',
  '1e-320',
  '1e-400',
  '0e0',
  '1.5e3',
  '2E-2',
  '-2e+5',
  'NaN',
  'Infinity',
  '-Infinity',
  'inf',
  '1234567890123456e1',
  '123456789012345e1',
  '1e1000',
];
const BOOLS = ['true', 'FALSE', 't', 'F', 'yes', 'No', 'y', 'n', '1', '0', 'on', 'off', 'truee', ''];
const DATES = [
  '2024-02-29',
  '2023-02-29',
  '0000-01-01',
  '0001-01-01',
  '2024-13-01',
  '2024-1-5',
  '9999-12-31',
  '2024-04-31',
  '12/31/1999',
  '31/12/1999',
  '31.12.1999',
  '1/2/2024',
  '2/30/2024',
  '12.31.1999',
  '2024/01/05',
];
const TIMES = [
  '2024-03-01 10:20:30',
  '2024-03-01T23:59:59.123456',
  '2024-03-01T23:59:59.1234567',
  '2024-03-01 24:00:00',
  '2024-03-01T10:00:00Z',
  '2024-03-01T10:00:00+02:00',
  '2024-03-01 7:05',
  '3/1/2024 1:05 PM',
  '3/1/2024 12:00 AM',
  '3/1/2024 12:30 PM',
  '3/1/2024 13:00 PM',
  '13/01/2024 10:00',
  '13/01/2024 10:00:61',
  '2024-03-01',
];

const CANDIDATES: Record<FormatName, string[]> = {
  boolean: BOOLS,
  integer: INTS,
  bigint: INTS,
  numeric: [...INTS, ...DECIMALS],
  numericComma: [...INTS, ...DECIMALS],
  double: [...INTS, ...DECIMALS, ...DOUBLES],
  dateIso: DATES,
  dateMdy: DATES,
  dateDmy: DATES,
  timestampIso: [...DATES, ...TIMES],
  timestampMdy: [...DATES, ...TIMES],
  timestampDmy: [...DATES, ...TIMES],
  text: [],
};

/** An independent reading of a date/time in a known order, as PostgreSQL prints it. */
function expectedDateTime(value: string, order: 'iso' | 'mdy' | 'dmy', withTime: boolean): string {
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?Z?)?$/.exec(value);
  const other = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?: (\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?(?: ([AP]M))?)?$/.exec(value);
  let y: string,
    m: string,
    d: string,
    h: string | undefined,
    mi: string | undefined,
    s: string | undefined,
    frac: string | undefined,
    ampm: string | undefined;
  if (order === 'iso')
    [, y, m, d, h, mi, s, frac] = iso as unknown as string[] as [string, string, string, string, string?, string?, string?, string?];
  else {
    const [, a, b, yy, hh, mm, ss, ff, ap] = other as unknown as string[];
    [y, m, d, h, mi, s, frac, ampm] = [yy!, order === 'mdy' ? a! : b!, order === 'mdy' ? b! : a!, hh, mm, ss, ff, ap];
  }
  const date = `${y!.padStart(4, '0')}-${m!.padStart(2, '0')}-${d!.padStart(2, '0')}`;
  if (!withTime) return date;
  let hour = Number(h ?? 0);
  if (ampm) hour = (hour % 12) + (ampm === 'PM' ? 12 : 0);
  return `${date} ${String(hour).padStart(2, '0')}:${mi ?? '00'}:${s ?? '00'}${frac ?? ''}`;
}

describe('value checks agree with PostgreSQL', () => {
  let t: TestEngine;
  beforeAll(async () => {
    t = await startTestEngine();
  });
  afterAll(async () => t.close());

  for (const [name, values] of Object.entries(CANDIDATES) as Array<[FormatName, string[]]>) {
    if (name === 'text') continue;
    it(`${name}: accepted values are read by PostgreSQL as meant`, async () => {
      const format = FORMATS[name];
      const pgType = PG_TYPES[format.type];
      let accepted = 0;
      let refused = 0;
      for (const value of values) {
        const bytes = Buffer.from(value);
        if (!format.check(bytes, 0, bytes.length)) {
          refused++;
          continue;
        }
        accepted++;
        const sent = 'rewrite' in format && format.rewrite ? format.rewrite(bytes, 0, bytes.length) : value;
        const { rows } = await t.engine.ctx.db.query<{ v: string }>(`SELECT $1::${pgType}::text AS v`, [sent]).catch((err: Error) => {
          throw new Error(`${name} accepted "${value}" but PostgreSQL refused "${sent}": ${err.message}`);
        });
        const read = rows[0]!.v;
        if (format.type === 'integer' || format.type === 'bigint') expect(read, value).toBe(value);
        else if (format.type === 'numeric') expect(read, value).toBe(value.replace(',', '.'));
        else if (format.type === 'double') expect(Number(read), value).toBe(Number(value));
        else if (format.type === 'boolean') expect(read, value).toBe(/^(t|true|yes)$/i.test(value) ? 'true' : 'false');
        else {
          const order = format.format as 'iso' | 'mdy' | 'dmy';
          expect(read, value).toBe(expectedDateTime(value, order, format.type === 'timestamp'));
        }
      }
      expect(accepted, `${name} accepts some candidates`).toBeGreaterThan(0);
      expect(refused, `${name} refuses some candidates`).toBeGreaterThan(0);
    });
  }
});
