/**
 * The row loop: draws each row's values from the model and writes its CSV bytes straight into a
 * large buffer (values pre-encoded, integers written digit by digit, no per-field strings).
 * Deterministic: the same seed and row count give the same bytes whatever the chunk size.
 */
import {
  DUPLICATE_ROW_RATE,
  EXTREME_OCCUPANTS_RANGE,
  EXTREME_OCCUPANTS_RATE,
  FAR_FUTURE_MODEL_YEAR_RATE,
  MAKE_MISSPELLING_RATE,
  NEXT_MODEL_YEAR_RATE,
  PRE_STANDARD_VIN_LENGTH,
  VIN_STANDARD_YEAR,
  CASE_ID_FIRST,
  CASE_IDS_PER_YEAR,
} from './assumptions';
import type { CrashModel } from './model';
import { Random } from './random';

const COMMA = 0x2c;
const CR = 0x0d;
const LF = 0x0a;
/** Upper bound of one encoded row; the longest calibrated values add up to well under this. */
export const MAX_ROW_BYTES = 640;

const VIN_CHARS = Buffer.from('ABCDEFGHJKLMNPRSTUVWXYZ0123456789', 'latin1');
const VIN_DIGITS = Buffer.from('0123456789', 'latin1');
const VIN_YEAR_CODES = Buffer.from('ABCDEFGHJKLMNPRSTVWXY123456789', 'latin1');
const VIN_WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
const VIN_VALUES = new Int32Array(128);
{
  const letters = 'ABCDEFGHJKLMNPRSTUVWXYZ';
  const values = [1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 7, 9, 2, 3, 4, 5, 6, 7, 8, 9];
  for (let i = 0; i < letters.length; i++) VIN_VALUES[letters.charCodeAt(i)] = values[i]!;
  for (let d = 0; d <= 9; d++) VIN_VALUES[0x30 + d] = d;
}
const SMALL_INTS: Uint8Array[] = Array.from({ length: 4096 }, (_, i) => Buffer.from(String(i), 'latin1'));
const RING = 256;

export interface RowStats {
  rows: number;
  duplicateRows: number;
}

/** Row-by-row state carried across chunks. */
export class CrashRowWriter {
  private readonly rng: Random;
  private buf: Uint8Array = new Uint8Array(0);
  private pos = 0;
  private yearIndex = 0;
  private rowsLeftInYear: number;
  private readonly rowsPerYear: number[];
  private caseId = 0;
  private idStep = 1;
  private readonly vin = new Uint8Array(17);
  private vinLength = 0;
  // The previous row, for exact duplicates: in the current buffer, or saved when a chunk ends.
  private lastStart = -1;
  private lastEnd = -1;
  private readonly saved = new Uint8Array(MAX_ROW_BYTES);
  private savedLength = 0;
  // Recent vehicles, for the same vehicle appearing in another crash.
  private ringCount = 0;
  private readonly ringFields = new Int32Array(RING * 6);
  private readonly ringVin = new Uint8Array(RING * 17);
  private readonly ringVinLength = new Int32Array(RING);
  readonly stats: RowStats = { rows: 0, duplicateRows: 0 };

  constructor(
    private readonly m: CrashModel,
    seed: number,
    totalRows: number,
  ) {
    this.rng = new Random(seed);
    const shares = m.yearShares;
    const sum = shares.reduce((a, b) => a + b, 0);
    // Whole rows per year: floor each share, then hand the remainder to the last years.
    this.rowsPerYear = shares.map((s) => Math.floor((totalRows * s) / sum));
    let rest = totalRows - this.rowsPerYear.reduce((a, b) => a + b, 0);
    for (let i = this.rowsPerYear.length - 1; rest > 0; i = (i - 1 + this.rowsPerYear.length) % this.rowsPerYear.length, rest--)
      this.rowsPerYear[i]!++;
    this.rowsLeftInYear = 0;
    this.yearIndex = -1;
  }

  private startNextYear(): void {
    this.yearIndex++;
    this.rowsLeftInYear = this.rowsPerYear[this.yearIndex]!;
    this.caseId = CASE_ID_FIRST + this.yearIndex * CASE_IDS_PER_YEAR + this.rng.int(1000);
    // Increments are uniform in 1..idStep (mean (idStep + 1) / 2), so a year's ids stay inside its range.
    this.idStep = Math.max(1, Math.min(6, Math.floor(((CASE_IDS_PER_YEAR - 2000) * 2) / Math.max(1, this.rowsLeftInYear)) - 1));
  }

  /** Writes `count` rows into `out` from offset 0; returns the bytes written. */
  fill(out: Uint8Array, count: number): number {
    if (out.length < count * MAX_ROW_BYTES) throw new Error('chunk buffer too small');
    this.buf = out;
    this.pos = 0;
    this.lastStart = -1;
    for (let r = 0; r < count; r++) {
      while (this.rowsLeftInYear === 0) this.startNextYear();
      this.rowsLeftInYear--;
      const start = this.pos;
      if ((this.lastStart >= 0 || this.savedLength > 0) && this.rng.next() < DUPLICATE_ROW_RATE) {
        this.repeatPreviousRow();
        this.stats.duplicateRows++;
      } else {
        this.writeRow();
      }
      this.lastStart = start;
      this.lastEnd = this.pos;
    }
    this.stats.rows += count;
    if (this.lastStart >= 0) {
      this.savedLength = this.lastEnd - this.lastStart;
      this.saved.set(out.subarray(this.lastStart, this.lastEnd));
    }
    return this.pos;
  }

  private repeatPreviousRow(): void {
    if (this.lastStart >= 0) this.buf.copyWithin(this.pos, this.lastStart, this.lastEnd);
    else this.buf.set(this.saved.subarray(0, this.savedLength), this.pos);
    this.pos += this.lastStart >= 0 ? this.lastEnd - this.lastStart : this.savedLength;
  }

  private writeRow(): void {
    const m = this.m;
    const rng = this.rng;
    const ids = m.ids;
    const rates = m.rates;
    const y = this.yearIndex;
    const crashYear = m.years[y]!;
    this.caseId += 1 + rng.int(this.idStep);

    const kindU = rng.next();
    const unknownVehicle = kindU < rates.unknownVehicle;
    const outOfState = !unknownVehicle && kindU < rates.unknownVehicle + rates.outOfState;
    const unmatched = !unknownVehicle && kindU < rates.unknownVehicle + rates.outOfState + rates.nyUnmatched;

    let body = unknownVehicle ? ids.unknownVehicle : m.bodyByYear[y]!.draw(rng.next());
    const group = m.groups[m.groupOfBody[body]!]!;
    let registration = ids.registrationNotEntered;
    let fuel = ids.fuelNotEntered;
    let cylinders = -1;
    let vehicleYear = -1;
    let state = ids.stateNY;
    let occupants = -1;
    let make = ids.makeEmpty;
    this.vinLength = 0;
    let action: number;
    let direction: number;

    if (unknownVehicle) {
      action = ids.actionUnknown;
      direction = ids.directionUnknown;
      state = ids.stateEmpty;
    } else {
      action = m.action.draw(rng.next());
      direction = m.direction.draw(rng.next());
      occupants = this.drawOccupants(group.occupants);
      if (!unmatched) {
        if (this.ringCount > 0 && rng.next() < rates.repeatedVehicle) {
          const slot = rng.int(Math.min(this.ringCount, RING));
          const f = slot * 6;
          body = this.ringFields[f]!;
          registration = this.ringFields[f + 1]!;
          fuel = this.ringFields[f + 2]!;
          cylinders = this.ringFields[f + 3]!;
          vehicleYear = this.ringFields[f + 4]!;
          make = this.ringFields[f + 5]!;
          this.vinLength = this.ringVinLength[slot]!;
          this.vin.set(this.ringVin.subarray(slot * 17, slot * 17 + this.vinLength));
        } else {
          registration = group.registrationClass.draw(rng.next());
          const fc = group.fuelCylinders[y]!.draw(rng.next());
          fuel = group.fuelOf[fc]!;
          cylinders = group.cylindersOf[fc]!;
          make = this.maybeMisspell(group.make.draw(rng.next()));
          vehicleYear = this.drawVehicleYear(group.vehicleAge.draw(rng.next()), crashYear);
          this.makeVin(make, vehicleYear);
          this.remember(body, registration, fuel, cylinders, vehicleYear, make);
        }
        if (rng.next() < rates.nyMatchedEmptyOccupants) occupants = -1;
      } else {
        if (outOfState) state = m.outOfStateState.draw(rng.next());
        if (m.ids.sedanLike[body] === 1 && rng.next() < rates.unmatchedSedanAsSedan) body = ids.sedan;
        const sub = rng.next();
        if (sub >= rates.unmatchedSparse) {
          make = this.maybeMisspell(m.ncicMake[group.make.draw(rng.next())]!);
          vehicleYear = this.drawVehicleYear(group.vehicleAge.draw(rng.next()), crashYear);
          if (sub >= rates.unmatchedSparse + rates.unmatchedNoVinOnly) this.makeVin(make, vehicleYear);
        }
      }
    }
    const axles = m.axles.draw(rng.next());
    const f1 = m.factor1.draw(rng.next());
    const f2 = m.factor2.draw(rng.next());
    const event = m.event.draw(rng.next());
    const v = m.v;

    this.small(crashYear);
    this.comma();
    this.caseIdDigits(this.caseId);
    this.comma();
    this.bytes(v.body.bytes[body]!);
    this.comma();
    this.bytes(v.registration.bytes[registration]!);
    this.comma();
    this.bytes(v.action.bytes[action]!);
    this.comma();
    this.bytes(v.axles.bytes[axles]!);
    this.comma();
    this.bytes(v.direction.bytes[direction]!);
    this.comma();
    this.bytes(v.fuel.bytes[fuel]!);
    this.comma();
    if (vehicleYear >= 0) this.small(vehicleYear);
    this.comma();
    this.bytes(v.state.bytes[state]!);
    this.comma();
    if (occupants >= 0) this.small(occupants);
    this.comma();
    if (cylinders >= 0) this.small(cylinders);
    this.comma();
    this.bytes(v.make.bytes[make]!);
    this.comma();
    this.bytes(v.factor.bytes[m.factorCategory[f1]!]!);
    this.comma();
    this.bytes(v.description.bytes[m.factorDescription[f1]!]!);
    this.comma();
    this.bytes(v.factor.bytes[m.factorCategory[f2]!]!);
    this.comma();
    this.bytes(v.description.bytes[m.factorDescription[f2]!]!);
    this.comma();
    this.bytes(v.event.bytes[event]!);
    this.comma();
    for (let i = 0; i < this.vinLength; i++) this.buf[this.pos++] = this.vin[i]!;
    this.buf[this.pos++] = CR;
    this.buf[this.pos++] = LF;
  }

  private drawOccupants(table: CrashModel['groups'][number]['occupants']): number {
    if (this.rng.next() < EXTREME_OCCUPANTS_RATE) {
      const [lo, hi] = EXTREME_OCCUPANTS_RANGE;
      return lo + this.rng.int(hi - lo + 1);
    }
    return table.draw(this.rng.next());
  }

  private drawVehicleYear(age: number, crashYear: number): number {
    const u = this.rng.next();
    if (u < NEXT_MODEL_YEAR_RATE) return crashYear + 1;
    if (u < NEXT_MODEL_YEAR_RATE + FAR_FUTURE_MODEL_YEAR_RATE) return crashYear + 2 + this.rng.int(4);
    return crashYear - age;
  }

  private maybeMisspell(make: number): number {
    if (this.rng.next() >= MAKE_MISSPELLING_RATE) return make;
    const variants = this.m.makeVariants[make];
    return variants && variants.length ? variants[this.rng.int(variants.length)]! : make;
  }

  private remember(body: number, registration: number, fuel: number, cylinders: number, vehicleYear: number, make: number): void {
    const slot = this.ringCount % RING;
    this.ringCount++;
    const f = slot * 6;
    this.ringFields[f] = body;
    this.ringFields[f + 1] = registration;
    this.ringFields[f + 2] = fuel;
    this.ringFields[f + 3] = cylinders;
    this.ringFields[f + 4] = vehicleYear;
    this.ringFields[f + 5] = make;
    this.ringVinLength[slot] = this.vinLength;
    this.ringVin.set(this.vin.subarray(0, this.vinLength), slot * 17);
  }

  /** A VIN of the make's real WMI prefix with a valid check digit and the model-year code. */
  private makeVin(make: number, vehicleYear: number): void {
    const rng = this.rng;
    const vin = this.vin;
    const n = VIN_CHARS.length;
    if (vehicleYear >= 0 && vehicleYear < VIN_STANDARD_YEAR) {
      this.vinLength = PRE_STANDARD_VIN_LENGTH;
      for (let i = 0; i < this.vinLength; i++) vin[i] = VIN_CHARS[rng.int(n)]!;
      return;
    }
    const u = rng.next();
    if (u < this.m.rates.vinLength10 + this.m.rates.vinLength6) {
      this.vinLength = u < this.m.rates.vinLength10 ? 10 : 6;
      for (let i = 0; i < this.vinLength; i++) vin[i] = VIN_CHARS[rng.int(n)]!;
      return;
    }
    this.vinLength = 17;
    const wmi = this.m.wmi[make];
    if (wmi) {
      const w = this.m.wmiBytes[wmi.draw(rng.next())]!;
      vin[0] = w[0]!;
      vin[1] = w[1]!;
      vin[2] = w[2]!;
    } else {
      for (let i = 0; i < 3; i++) vin[i] = VIN_CHARS[rng.int(n)]!;
    }
    for (let i = 3; i < 8; i++) vin[i] = VIN_CHARS[rng.int(n)]!;
    const modelYear = vehicleYear >= 0 ? vehicleYear : 2010;
    vin[9] = VIN_YEAR_CODES[(((modelYear - 1980) % 30) + 30) % 30]!;
    vin[10] = VIN_CHARS[rng.int(n)]!;
    for (let i = 11; i < 17; i++) vin[i] = VIN_DIGITS[rng.int(10)]!;
    let sum = 0;
    for (let i = 0; i < 17; i++) if (i !== 8) sum += VIN_VALUES[vin[i]!]! * VIN_WEIGHTS[i]!;
    const check = sum % 11;
    vin[8] = check === 10 ? 0x58 : 0x30 + check;
  }

  private comma(): void {
    this.buf[this.pos++] = COMMA;
  }

  private bytes(b: Uint8Array): void {
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < b.length; i++) buf[p++] = b[i]!;
    this.pos = p;
  }

  private small(n: number): void {
    this.bytes(SMALL_INTS[n]!);
  }

  private caseIdDigits(n: number): void {
    const buf = this.buf;
    let digits = 1;
    for (let x = n; x >= 10; x = Math.floor(x / 10)) digits++;
    let p = this.pos + digits;
    this.pos = p;
    for (let x = n; digits > 0; digits--) {
      buf[--p] = 0x30 + (x % 10);
      x = Math.floor(x / 10);
    }
  }
}
