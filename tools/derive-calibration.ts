/**
 * Derives the generator's calibration tables from the real rows in test/fixtures/ny-crash-vehicles/
 * and writes them as data, `electron/engine/generate/calibration.json`. Only counts leave the real
 * files, never rows. A test derives them again and compares with the committed file.
 *
 *   node --import tsx tools/derive-calibration.ts
 *
 * How the tables are built:
 * - The 4,401 complete NY rows give the value distributions. Vehicle properties (registration
 *   class, fuel × cylinders, make, vehicle age, occupants) are counted per body-type group so the
 *   generator keeps their dependence on the body type (buses carry many occupants, dump trucks run
 *   on diesel). A body type with at least 50 rows is its own group; rarer ones are pooled into
 *   `heavy` or `light` (see HEAVY_BODY_TYPES).
 * - Contributing factors are counted as (category, description) pairs, so a description always
 *   comes with its real category.
 * - The World Manufacturer Identifier (first 3 VIN characters) is counted per make.
 * - The contiguous raw rows (32 data rows in the file named `_raw_31`) give the row kinds: unknown vehicles, out-of-state vehicles, NY
 *   vehicles without registration details, and which fields those leave empty.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import type { CalibrationTables, GroupCounts } from '../electron/engine/generate/calibration';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..');
const dataDir = path.resolve(repoRoot, 'test/fixtures/ny-crash-vehicles');
/** The generated file, committed; the generator imports it. */
export const CALIBRATION_FILE = path.join(repoRoot, 'electron/engine/generate/calibration.json');
const COMPLETE = 'krutikapathak-Semantics_vehicle_information_complete_rows_4401.csv';
const RAW = 'krutikapathak-Semantics_vehicle_contiguous_raw_31.csv';
const MIN_GROUP_ROWS = 50;
const HEAVY_BODY_TYPES = new Set([
  'BUS (OMNIBUS)',
  'TRACTOR',
  'UTILITY',
  'TOW TRUCK',
  'FLAT BED TRUCK',
  'TANK TRUCK',
  'REFRIGERATOR TRUCK',
  'DELIVERY TRUCK',
  'POWER SHOVEL',
  'STAKE TRUCK',
  'SAND OR AGRICULTURAL',
  'DUMP',
]);

type Row = Record<string, string>;

function read(file: string): Row[] {
  return parse(fs.readFileSync(path.join(dataDir, file)), { columns: true, bom: true, skip_empty_lines: true }) as Row[];
}

function count<T extends string>(values: T[]): Array<[T, number]> {
  const m = new Map<T, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return [...m.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

function groupOf(bodyType: string, bodyCounts: Map<string, number>): string {
  if ((bodyCounts.get(bodyType) ?? 0) >= MIN_GROUP_ROWS) return bodyType;
  return HEAVY_BODY_TYPES.has(bodyType) ? 'heavy' : 'light';
}

/** The calibration tables, counted from the real rows. */
export function deriveCalibration(): CalibrationTables {
  const complete = read(COMPLETE);
  const raw = read(RAW);
  const header = Object.keys(complete[0]!);

  const bodyType = count(complete.map((r) => r['Vehicle Body Type']!));
  const bodyCounts = new Map(bodyType);
  const groups: Record<string, GroupCounts> = {};
  const byGroup = new Map<string, Row[]>();
  for (const r of complete) {
    const g = groupOf(r['Vehicle Body Type']!, bodyCounts);
    if (!byGroup.has(g)) byGroup.set(g, []);
    byGroup.get(g)!.push(r);
  }
  for (const [g, rows] of [...byGroup.entries()].sort()) {
    groups[g] = {
      registrationClass: count(rows.map((r) => r['Registration Class']!)),
      fuelCylinders: count(rows.map((r) => `${r['Fuel Type']}|${r['Engine Cylinders']}`)),
      make: count(rows.map((r) => r['Vehicle Make']!)),
      vehicleAge: count(rows.map((r) => String(Number(r['Year']) - Number(r['Vehicle Year'])))),
      occupants: count(rows.map((r) => r['Number of Occupants']!)),
    };
  }

  const wmi: Record<string, Array<[string, number]>> = {};
  for (const make of new Set(complete.map((r) => r['Vehicle Make']!))) {
    const rows = complete.filter((r) => r['Vehicle Make'] === make);
    const prefixes = rows
      .map((r) => r['Partial VIN']!)
      .filter((v) => v.length === 17)
      .map((v) => v.slice(0, 3));
    if (prefixes.length) wmi[make] = count(prefixes);
  }

  const rawNy = raw.filter((r) => r['State of Registration'] === 'NY');
  const unmatched = raw.filter((r) => r['Registration Class'] === 'Not Entered' && r['Vehicle Body Type'] !== 'UNKNOWN VEHICLE');
  const tables: CalibrationTables = {
    header,
    source: { completeRows: complete.length, rawRows: raw.length },
    bodyType,
    bodyGroup: Object.fromEntries(bodyType.map(([b]) => [b, groupOf(b, bodyCounts)])),
    groups,
    action: count(complete.map((r) => r['Action Prior to Accident']!)),
    truckAxles: count(complete.map((r) => r['Type / Axles of Truck or Bus']!)),
    direction: count(complete.map((r) => r['Direction of Travel']!)),
    factor1: count(complete.map((r) => `${r['Contributing Factor 1']}|${r['Contributing Factor 1 Description']}`)),
    factor2: count(complete.map((r) => `${r['Contributing Factor 2']}|${r['Contributing Factor 2 Description']}`)),
    eventType: count(complete.map((r) => r['Event Type']!)),
    vinLength: count(complete.map((r) => String(r['Partial VIN']!.length))),
    /** Rows whose VIN already appeared on an earlier row (the same vehicle in another crash). */
    repeatedVins: complete.length - new Set(complete.map((r) => r['Partial VIN'])).size,
    wmi,
    raw: {
      rows: raw.length,
      unknownVehicle: raw.filter((r) => r['Vehicle Body Type'] === 'UNKNOWN VEHICLE').length,
      outOfState: raw.filter((r) => r['State of Registration'] !== 'NY' && r['State of Registration'] !== '').length,
      ny: rawNy.length,
      nyUnmatched: rawNy.filter((r) => r['Registration Class'] === 'Not Entered').length,
      nyMatchedEmptyOccupants: rawNy.filter((r) => r['Registration Class'] !== 'Not Entered' && r['Number of Occupants'] === '').length,
      unmatched: unmatched.length,
      unmatchedSparse: unmatched.filter((r) => r['Vehicle Make'] === '' && r['Vehicle Year'] === '').length,
      unmatchedNoVinOnly: unmatched.filter((r) => r['Partial VIN'] === '' && r['Vehicle Make'] !== '').length,
      unmatchedSedan: unmatched.filter((r) => r['Vehicle Body Type'] === 'SEDAN').length,
      unmatchedSedanLike: unmatched.filter((r) => /SEDAN/.test(r['Vehicle Body Type']!)).length,
      outOfStateStates: count(raw.map((r) => r['State of Registration']!).filter((s) => s !== 'NY' && s !== '')),
    },
  };
  return tables;
}

/** The file's text: JSON with one [value, count] pair per line, which keeps its diffs small. */
export function calibrationJson(tables: CalibrationTables): string {
  return JSON.stringify(tables, null, 1).replace(/\[\s+("(?:[^"\\]|\\.)*"),\s+(\d+)\s+\]/g, '[$1, $2]') + '\n';
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const tables = deriveCalibration();
  fs.writeFileSync(CALIBRATION_FILE, calibrationJson(tables));
  process.stdout.write(
    `wrote ${path.relative(repoRoot, CALIBRATION_FILE)} (${tables.source.completeRows} complete rows, ${tables.source.rawRows} raw rows)\n`,
  );
}
