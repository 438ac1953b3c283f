/**
 * The generator against the real rows: same header bytes, same file conventions, and value
 * distributions within tolerance of what an independent parse of the real files measures.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCrashCsv } from '../../electron/engine/generate';
import { StudioError } from '../../shared/errors';
import { REAL_31, REAL_4401 } from '../support/real-data';

const COMPLETE = REAL_4401;
const RAW = REAL_31;
const ROWS = 200_000;

type Row = Record<string, string>;
const readRows = (file: string): Row[] => parse(fs.readFileSync(file), { columns: true, bom: true }) as Row[];
const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

function shares(rows: Row[], column: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of rows) m.set(r[column]!, (m.get(r[column]!) ?? 0) + 1);
  for (const [k, v] of m) m.set(k, v / rows.length);
  return m;
}

let dir: string;
let file: string;
let generated: Row[];
let lines: string[];
let real: Row[];
let raw: Row[];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gen-test-'));
  file = path.join(dir, 'crash.csv');
  await generateCrashCsv({ rows: ROWS, seed: 42, out: file });
  const text = fs.readFileSync(file, 'utf8');
  lines = text.slice(1).split('\r\n');
  generated = parse(text, { columns: true, bom: true }) as Row[];
  real = readRows(COMPLETE);
  raw = readRows(RAW);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('generateCrashCsv file format', () => {
  it('writes the real header byte for byte (BOM, names, order) and CRLF line ends', () => {
    const realBytes = fs.readFileSync(COMPLETE);
    const realHeader = realBytes.subarray(0, realBytes.indexOf('\r\n') + 2);
    const ours = fs.readFileSync(file).subarray(0, realHeader.length);
    expect(ours.equals(realHeader)).toBe(true);
    const bytes = fs.readFileSync(file);
    let bareLf = 0;
    for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x0a && bytes[i - 1] !== 0x0d) bareLf++;
    expect(bareLf).toBe(0);
  });

  it('has the requested rows, 19 fields each, and quotes the fields with commas', () => {
    // csv-parse with `columns` rejects any row whose field count differs from the header's.
    expect(generated.length).toBe(ROWS);
    expect(Object.keys(generated[0]!)).toHaveLength(19);
    const withComma = generated.filter((r) => r['Event Type']!.includes(','));
    expect(withComma.length).toBeGreaterThan(0);
    expect(lines.some((l) => l.includes('"Other Motor Vehicle, Collision With"'))).toBe(true);
  });

  it('is deterministic for a seed and differs between seeds', async () => {
    const again = path.join(dir, 'again.csv');
    const other = path.join(dir, 'other.csv');
    await generateCrashCsv({ rows: ROWS, seed: 42, out: again });
    await generateCrashCsv({ rows: ROWS, seed: 43, out: other });
    expect(sha256(again)).toBe(sha256(file));
    expect(sha256(other)).not.toBe(sha256(file));
  });

  it('leaves no file, partial or final, when cancelled', async () => {
    const target = path.join(dir, 'cancelled', 'big.csv');
    const controller = new AbortController();
    const promise = generateCrashCsv(
      { rows: 2_000_000, seed: 1, out: target },
      (p) => {
        if (p.rows > 50_000) controller.abort();
      },
      controller.signal,
    );
    await expect(promise).rejects.toSatisfy((e: unknown) => e instanceof StudioError && e.code === 'CANCELLED');
    expect(fs.readdirSync(path.dirname(target))).toEqual([]);
  });
});

describe('generated values against the real rows', () => {
  // The complete real rows are NY vehicles with registration details: compare like with like.
  const matched = () => generated.filter((r) => r['State of Registration'] === 'NY' && r['Registration Class'] !== 'Not Entered');

  it.each([
    ['Vehicle Body Type', 0.015],
    ['Vehicle Make', 0.01],
    ['Registration Class', 0.015],
    ['Fuel Type', 0.01],
    ['Engine Cylinders', 0.015],
    ['Number of Occupants', 0.015],
    ['Action Prior to Accident', 0.015],
    ['Direction of Travel', 0.015],
    ['Contributing Factor 1 Description', 0.015],
    ['Contributing Factor 2', 0.015],
    ['Event Type', 0.01],
  ])('%s shares are within %f of the complete real rows', (column, tolerance) => {
    const want = shares(real, column);
    // The real file holds complete rows only: compare with our non-empty values.
    const got = shares(
      matched().filter((r) => r[column] !== ''),
      column,
    );
    const top = [...want.entries()].sort((a, b) => b[1] - a[1]).slice(0, 6);
    for (const [value, share] of top) expect(Math.abs((got.get(value) ?? 0) - share), `${column} = ${value}`).toBeLessThan(tolerance);
  });

  it('has the out-of-state share of the raw slice, and out-of-state rows carry its null pattern', () => {
    const isOut = (r: Row) => r['State of Registration'] !== 'NY' && r['State of Registration'] !== '';
    const realShare = raw.filter(isOut).length / raw.length;
    const out = generated.filter(isOut);
    expect(Math.abs(out.length / generated.length - realShare)).toBeLessThan(0.01);
    // In the raw slice every out-of-state row has these; check that first, then ours.
    for (const rows of [raw.filter(isOut), out]) {
      expect(
        rows.every((r) => r['Registration Class'] === 'Not Entered' && r['Fuel Type'] === 'Not Entered' && r['Engine Cylinders'] === ''),
      ).toBe(true);
    }
    expect(new Set(out.map((r) => r['State of Registration'])).size).toBeGreaterThan(10);
  });

  it('uses 5-letter make codes for registered NY vehicles and 4-letter ones for the others', () => {
    const realNyMakes = new Set(real.map((r) => r['Vehicle Make']));
    const outMakes = shares(
      generated.filter((r) => r['Registration Class'] === 'Not Entered' && r['Vehicle Make'] !== ''),
      'Vehicle Make',
    );
    // The raw slice shows HOND and CHEV for the unregistered ones.
    for (const code of ['HOND', 'CHEV']) expect(raw.some((r) => r['Vehicle Make'] === code)).toBe(true);
    for (const code of ['CHEV', 'TOYT', 'HOND', 'NISS', 'FORD']) expect(outMakes.get(code) ?? 0).toBeGreaterThan(0.02);
    for (const code of ['CHEVR', 'TOYOT', 'HONDA', 'NISSA']) {
      expect(realNyMakes.has(code)).toBe(true);
      expect(outMakes.get(code) ?? 0).toBe(0);
    }
    // Misspellings widen the vocabulary well past the sample's 75 codes.
    expect(new Set(generated.map((r) => r['Vehicle Make'])).size).toBeGreaterThan(300);
  });

  it('keeps the empty-field and sentinel patterns of the raw slice', () => {
    // Unidentified vehicles (hit and run): no state, and nothing known about the vehicle.
    const noState = (r: Row) => r['State of Registration'] === '';
    const unknown = generated.filter(noState);
    expect(Math.abs(unknown.length / generated.length - raw.filter(noState).length / raw.length)).toBeLessThan(0.01);
    for (const rows of [raw.filter(noState), unknown]) {
      for (const r of rows) {
        const fields = [
          r['Vehicle Body Type'],
          r['Vehicle Year'],
          r['Number of Occupants'],
          r['Engine Cylinders'],
          r['Vehicle Make'],
          r['Partial VIN'],
        ];
        expect(fields).toEqual(['UNKNOWN VEHICLE', '', '', '', '', '']);
      }
    }
    for (const column of [
      'Vehicle Year',
      'Number of Occupants',
      'Engine Cylinders',
      'Vehicle Make',
      'Partial VIN',
      'State of Registration',
    ]) {
      expect(
        generated.some((r) => r[column] === ''),
        column,
      ).toBe(true);
    }
    expect(generated.some((r) => r['Fuel Type'] === 'None')).toBe(true);
    expect(generated.some((r) => r['Contributing Factor 2 Description'] === 'Other*')).toBe(true);
  });

  it('spreads rows over three crash years with increasing 8-digit case ids', () => {
    const years = shares(generated, 'Year');
    expect([...years.keys()].sort()).toEqual(['2016', '2017', '2018']);
    for (const share of years.values()) expect(share).toBeGreaterThan(0.3);
    const ids = generated.map((r) => r['Case Vehicle ID']!);
    expect(ids.filter((id) => !/^\d{8}$/.test(id))).toEqual([]);
    expect(ids.filter((id, i) => i > 0 && Number(id) < Number(ids[i - 1]))).toEqual([]);
  });

  it('contains exact duplicate rows, a small share of them', () => {
    const counts = new Map<string, number>();
    for (const line of lines.slice(1)) if (line) counts.set(line, (counts.get(line) ?? 0) + 1);
    const duplicates = ROWS - counts.size;
    expect(duplicates).toBeGreaterThan(0);
    expect(duplicates / ROWS).toBeLessThan(0.01);
  });

  it('contains the outliers: crowded vehicles, old and future model years, short VINs', () => {
    const occupants = generated.map((r) => Number(r['Number of Occupants'] || -1));
    expect(occupants.some((n) => n >= 10 && n <= 17)).toBe(true);
    expect(occupants.some((n) => n > 60)).toBe(true);
    expect(generated.some((r) => r['Vehicle Year'] !== '' && Number(r['Vehicle Year']) < 1993)).toBe(true);
    expect(generated.some((r) => r['Vehicle Year'] !== '' && Number(r['Vehicle Year']) > Number(r['Year']))).toBe(true);
    const lengths = new Set(generated.map((r) => r['Partial VIN']!.length));
    for (const len of [17, 11, 10, 6]) expect(lengths.has(len), `VIN length ${len}`).toBe(true);
  });

  it('shows the same vehicle (VIN) in several crashes, beyond the exact duplicate rows', () => {
    const distinctLines = [...new Set(lines.slice(1).filter(Boolean))];
    const vins = distinctLines.map((l) => l.slice(l.lastIndexOf(',') + 1)).filter(Boolean);
    expect(new Set(vins).size).toBeLessThan(vins.length);
  });

  it('writes 17-character VINs with a valid check digit and the model-year code', () => {
    const values: Record<string, number> = {};
    'ABCDEFGH'.split('').forEach((c, i) => (values[c] = i + 1));
    'JKLMN'.split('').forEach((c, i) => (values[c] = i + 1));
    Object.assign(values, { P: 7, R: 9 });
    'STUVWXYZ'.split('').forEach((c, i) => (values[c] = i + 2));
    for (let d = 0; d <= 9; d++) values[String(d)] = d;
    const weights = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
    const yearCodes = 'ABCDEFGHJKLMNPRSTVWXY123456789';
    const sample = generated.filter((r) => r['Partial VIN']!.length === 17).slice(0, 2000);
    for (const r of sample) {
      const vin = r['Partial VIN']!;
      const sum = [...vin].reduce((s, c, i) => s + values[c]! * weights[i]!, 0);
      expect(vin[8]).toBe(sum % 11 === 10 ? 'X' : String(sum % 11));
      const year = Number(r['Vehicle Year']);
      if (year) expect(vin[9]).toBe(yearCodes[(year - 1980) % 30]);
    }
  });
});
