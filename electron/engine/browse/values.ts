/**
 * Query-local type parsers so every cell crosses the wire as JSON-safe data: numbers as numbers
 * (int8 and numeric included; non-finite floats as their names), dates and timestamps as ISO
 * text exactly as stored (no time-zone shift through a JS Date), booleans as booleans.
 */
import pg from 'pg';

const OID = {
  bool: 16,
  int8: 20,
  int2: 21,
  int4: 23,
  float4: 700,
  float8: 701,
  numeric: 1700,
  date: 1082,
  timestamp: 1114,
  timestamptz: 1184,
} as const;

function toNumber(text: string): number | string {
  const n = Number(text);
  return Number.isFinite(n) ? n : text; // 'NaN', 'Infinity', '-Infinity' stay readable text
}

const parsers: Record<number, (text: string) => unknown> = {
  [OID.bool]: (t) => t === 't',
  [OID.int2]: (t) => Number(t),
  [OID.int4]: (t) => Number(t),
  [OID.int8]: toNumber,
  [OID.float4]: toNumber,
  [OID.float8]: toNumber,
  [OID.numeric]: toNumber,
  [OID.date]: (t) => t,
  [OID.timestamp]: (t) => t.replace(' ', 'T'),
  [OID.timestamptz]: (t) => t.replace(' ', 'T'),
};

/** Pass as `types` in a query config. */
export const jsonSafeTypes = {
  getTypeParser(oid: number, format?: string) {
    return parsers[oid] ?? pg.types.getTypeParser(oid, format as 'text');
  },
} as unknown as pg.CustomTypesConfig;

export type Cell = string | number | boolean | null;
