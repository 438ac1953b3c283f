/**
 * Test data for the analysis tests: a seeded crash-like CSV generator (shaped like the real rows:
 * nulls, sentinels, quoted commas, 4/5-letter make codes, duplicates, outliers, ties) and a loader
 * that puts any CSV into PostgreSQL with a catalog entry, for when the importer is not the subject.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { from as copyFrom } from 'pg-copy-streams';
import type { Database } from '../../electron/engine/db/database';
import { quoteIdent } from '../../electron/engine/db/sql';
import { PG_TYPES, type ColumnType, type DatasetColumn } from '../../shared/types';
import { mulberry32 as rng } from '../../electron/engine/generate/random';

export const repoRoot = path.resolve(import.meta.dirname, '../..');
export { REAL_4401, REAL_31 } from './real-data';

export const CRASH_HEADER = [
  'Year',
  'Case Vehicle ID',
  'Vehicle Body Type',
  'Registration Class',
  'Action Prior to Accident',
  'Type / Axles of Truck or Bus',
  'Direction of Travel',
  'Fuel Type',
  'Vehicle Year',
  'State of Registration',
  'Number of Occupants',
  'Engine Cylinders',
  'Vehicle Make',
  'Contributing Factor 1',
  'Contributing Factor 1 Description',
  'Contributing Factor 2',
  'Contributing Factor 2 Description',
  'Event Type',
  'Partial VIN',
];

type Weighted = Array<[string, number]>;
function picker(r: () => number, table: Weighted): () => string {
  const total = table.reduce((s, [, w]) => s + w, 0);
  const cum: number[] = [];
  let acc = 0;
  for (const [, w] of table) cum.push((acc += w / total));
  return () => {
    const x = r();
    for (let i = 0; i < cum.length; i++) if (x < cum[i]!) return table[i]![0];
    return table[table.length - 1]![0];
  };
}

const BODY: Weighted = [
  ['4 DOOR SEDAN', 40],
  ['SUBURBAN', 39],
  ['PICKUP TRUCK', 11],
  ['2 DOOR SEDAN', 3],
  ['VAN TRUCK', 2],
  ['DUMP', 1.3],
  ['BUS', 0.6],
  ['TRACTOR', 0.4],
  ['MOTORCYCLE', 0.5],
  ['CONVERTIBLE', 0.3],
  ['Unknown', 0.2],
  ['Not Entered', 0.3],
  ['LIMOUSINE', 0.05],
  ['FIRE TRUCK', 0.05],
];
const REG: Weighted = [
  ['PASSENGER OR SUBURBAN', 86],
  ['COMMERCIAL', 4],
  ['Not Entered', 5],
  ['AGRICULTURAL TRUCK', 1],
  ['MOTORCYCLE', 1],
  ['OMNIBUS', 0.5],
];
const ACTION: Weighted = [
  ['Going Straight Ahead', 56],
  ['Slowing or Stopping', 10.6],
  ['Stopped in Traffic', 8.4],
  ['Making Left Turn', 7.5],
  ['Parked', 5],
  ['Making Right Turn', 4],
  ['Backing', 3],
  ['Changing Lanes', 2],
  ['Making U Turn', 1],
  ['Not Entered', 1.5],
  ['Unknown', 1],
];
const DIRECTION: Weighted = [
  ['North', 22],
  ['East', 21],
  ['South', 22],
  ['West', 21],
  ['Northeast', 3],
  ['Northwest', 3],
  ['Southeast', 3],
  ['Southwest', 3],
  ['Unknown', 1],
];
const FUEL: Weighted = [
  ['Gas', 95],
  ['Diesel', 4.4],
  ['Electric', 0.3],
  ['None', 0.2],
  ['Not Entered', 0.5],
];
const STATES: Weighted = [
  ['NY', 88],
  ['NJ', 4],
  ['PA', 3],
  ['CT', 1.5],
  ['MA', 1],
  ['FL', 0.7],
  ['RI', 0.3],
  ['VT', 0.3],
  ['QC', 0.2],
  ['ON', 0.2],
  ['CA', 0.4],
  ['TX', 0.4],
];
const MAKES_NY: Weighted = [
  ['FORD', 12],
  ['CHEVR', 12],
  ['TOYOT', 11],
  ['HONDA', 9.6],
  ['NISSA', 7.4],
  ['DODGE', 5.5],
  ['HYUND', 4],
  ['JEEP', 4],
  ['SUBAR', 3],
  ['GMC', 2],
  ['TOYOY', 0.1],
  ['HYNDA', 0.1],
  ['BMW', 2],
  ['MAZDA', 1.5],
  ['KIA', 1.5],
  ['ZZTOP', 0.02],
];
const MAKES_OOS: Weighted = [
  ['FORD', 12],
  ['CHEV', 12],
  ['TOYT', 11],
  ['HOND', 9],
  ['NISS', 7],
  ['DODG', 5],
  ['PTRB', 1],
  ['HYUN', 3],
  ['SUBA', 2],
];
const FACTOR_DESC: Weighted = [
  ['Not Applicable', 70],
  ['Unsafe Speed', 9.5],
  ['Driver Inattention/Distraction*', 6],
  ['Following Too Closely', 4],
  ['Not Entered', 3],
  ['Failure to Yield Right-of-Way', 3],
  ['Unknown', 2],
  ['Other*', 1],
  ['Passenger Distraction', 0.5],
  ['Pavement Slippery', 1],
];
const FACTOR_CAT: Weighted = [
  ['HUMAN', 98.7],
  ['VEHICLE', 0.8],
  ['ENVMT', 0.5],
];
const FACTOR2_CAT: Weighted = [
  ['HUMAN', 70.4],
  ['ENVMT', 27.9],
  ['VEHICLE', 1.7],
];
const EVENT: Weighted = [
  ['Not Applicable', 83.7],
  ['Not Entered', 6.2],
  ['Other Motor Vehicle, Collision With', 3.6],
  ['Pedestrian, Collision With', 1.2],
  ['Deer, Collision With', 1.5],
  ['Guide Rail - Not At End, Collision With', 0.8],
  ['Unknown', 0.5],
  ['Overturned', 0.3],
];
const TRUCK: Weighted = [
  ['Not Entered', 99.5],
  ['2 AXLE', 0.3],
  ['3 AXLE', 0.2],
];

/** Writes a crash-like CSV (UTF-8 with BOM, CRLF) with `rows` data rows. */
export async function generateCrashLikeCsv(out: string, rows: number, seed = 42): Promise<void> {
  const r = rng(seed);
  const body = picker(r, BODY),
    reg = picker(r, REG),
    action = picker(r, ACTION),
    dir = picker(r, DIRECTION),
    fuel = picker(r, FUEL);
  const state = picker(r, STATES),
    makeNy = picker(r, MAKES_NY),
    makeOos = picker(r, MAKES_OOS),
    fdesc = picker(r, FACTOR_DESC);
  const f1 = picker(r, FACTOR_CAT),
    f2 = picker(r, FACTOR2_CAT),
    event = picker(r, EVENT),
    truck = picker(r, TRUCK);
  const maybe = (p: number, v: string) => (r() < p ? '' : v);
  const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const vinChars = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789';
  const vin = () => {
    const len = r() < 0.85 ? 17 : [6, 10, 11][Math.floor(r() * 3)]!;
    let s = '';
    for (let i = 0; i < len; i++) s += vinChars[Math.floor(r() * vinChars.length)];
    return s;
  };
  const recent: string[] = [];
  const recentVins: string[] = [];
  const fd = fs.openSync(out, 'w');
  let chunk: string[] = ['\ufeff' + CRASH_HEADER.join(',')];
  let caseId = 15_232_120;
  try {
    for (let i = 0; i < rows; i++) {
      let line: string;
      if (recent.length > 10 && r() < 0.004) {
        line = recent[Math.floor(r() * recent.length)]!; // an exact duplicate row
      } else {
        const year = r() < 0.5 ? 2018 : r() < 0.6 ? 2019 : r() < 0.7 ? 2017 : 2016;
        caseId += 1 + Math.floor(r() * 3);
        const st = r() < 0.01 ? '' : state();
        const oos = st !== 'NY';
        let vy = String(year - Math.floor(Math.pow(r(), 1.6) * 30));
        const x = r();
        if (x < 0.001) vy = String(1800 + Math.floor(r() * 90));
        else if (x < 0.003) vy = String(year + 2 + Math.floor(r() * 3));
        else if (x < 0.03) vy = '';
        let occ = String(r() < 0.75 ? 1 : r() < 0.6 ? 2 : r() < 0.5 ? 0 : 3 + Math.floor(r() * 3));
        if (r() < 0.001) occ = String(21 + Math.floor(r() * 50));
        if (r() < 0.02) occ = '';
        let cyl = oos
          ? r() < 0.7
            ? ''
            : '4'
          : String(r() < 0.49 ? 4 : r() < 0.7 ? 6 : r() < 0.93 ? 8 : [3, 5, 10, 12][Math.floor(r() * 4)]);
        if (r() < 0.0005) cyl = '24';
        const mk = r() < 0.02 ? '' : oos ? makeOos() : makeNy();
        let v = r() < 0.03 ? '' : vin();
        if (v && recentVins.length > 5 && r() < 0.01) v = recentVins[Math.floor(r() * recentVins.length)]!;
        else if (v) {
          recentVins.push(v);
          if (recentVins.length > 200) recentVins.shift();
        }
        const cells = [
          String(year),
          String(caseId),
          maybe(0.005, body()),
          oos ? 'Not Entered' : reg(),
          action(),
          truck(),
          dir(),
          oos ? 'Not Entered' : fuel(),
          vy,
          st,
          occ,
          cyl,
          mk,
          f1(),
          fdesc(),
          f2(),
          fdesc(),
          maybe(0.01, event()),
          v,
        ];
        line = cells.map(quote).join(',');
        recent.push(line);
        if (recent.length > 500) recent.shift();
      }
      chunk.push(line);
      if (chunk.length >= 20_000) {
        fs.writeSync(fd, chunk.join('\r\n') + '\r\n');
        chunk = [];
      }
    }
    if (chunk.length) fs.writeSync(fd, chunk.join('\r\n') + '\r\n');
  } finally {
    fs.closeSync(fd);
  }
}

/** Parses the header line of a CSV (BOM stripped). */
export function readHeader(file: string): string[] {
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.alloc(64 * 1024);
  const n = fs.readSync(fd, buf, 0, buf.length, 0);
  fs.closeSync(fd);
  let text = buf.subarray(0, n).toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const line = text.split(/\r?\n/)[0]!;
  const out: string[] = [];
  let cur = '';
  let q = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (q) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') q = false;
      else cur += ch;
    } else if (ch === '"') q = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

export function identifierFor(name: string): string {
  return (
    name
      .trim()
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '') || 'column'
  );
}

const CRASH_NUMERIC = new Set(['Year', 'Case Vehicle ID', 'Vehicle Year', 'Number of Occupants', 'Engine Cylinders']);

/**
 * Loads a CSV into `data.<table>` with COPY and registers it in the catalog as version 1 (or the
 * next version). Types: the crash numeric columns are integers, `types` overrides, the rest text.
 */
export async function loadCsvAsDataset(
  db: Database,
  file: string,
  name: string,
  types: Record<string, ColumnType> = {},
): Promise<{ version: number; columns: DatasetColumn[]; table: string; rows: number }> {
  const header = readHeader(file);
  const columns: DatasetColumn[] = header.map((h) => ({
    name: h,
    identifier: identifierFor(h),
    type: types[h] ?? (CRASH_NUMERIC.has(h) ? 'integer' : 'text'),
  }));
  const { rows: ds } = await db.query<{ id: number; v: number }>(
    `INSERT INTO studio.datasets(name) VALUES ($1) ON CONFLICT (name) DO UPDATE SET name = excluded.name
     RETURNING id, coalesce((SELECT max(version) FROM studio.dataset_versions WHERE dataset_id = studio.datasets.id), 0) + 1 AS v`,
    [name],
  );
  const { id, v } = ds[0]!;
  const table = `${identifierFor(name)}_v${v}_${Date.now().toString(36)}`;
  const qt = `data.${quoteIdent(table)}`;
  await db.query('CREATE SCHEMA IF NOT EXISTS data');
  await db.query(`CREATE TABLE ${qt} (${columns.map((c) => `${quoteIdent(c.identifier)} ${PG_TYPES[c.type]}`).join(', ')})`);
  let body = fs.readFileSync(file);
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) body = body.subarray(3);
  await db.withClient(async (client) => {
    const stream = client.query(copyFrom(`COPY ${qt} FROM STDIN WITH (FORMAT csv, HEADER true)`));
    await pipeline(Readable.from([body]), stream);
  });
  const { rows: cnt } = await db.query<{ n: number }>(`SELECT count(*)::int8 AS n FROM ${qt}`);
  const rows = cnt[0]!.n;
  await db.query(
    `INSERT INTO studio.dataset_versions(dataset_id, version, table_name, source_path, rows, columns) VALUES ($1, $2, $3, $4, $5, $6)`,
    [id, v, table, file, rows, JSON.stringify(columns)],
  );
  await db.query('UPDATE studio.datasets SET current_version = $2 WHERE id = $1', [id, v]);
  return { version: v, columns, table, rows };
}
