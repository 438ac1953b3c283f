/**
 * The generator's calibration tables: counts derived from the real rows by
 * `tools/derive-calibration.ts` and kept as data in `calibration.json` (never edited by hand).
 * This module gives them their type.
 */
import data from './calibration.json' with { type: 'json' };

/** [value, count] pairs, most frequent first. */
export type Counts = ReadonlyArray<readonly [string, number]>;

export interface GroupCounts {
  registrationClass: Counts;
  /** `fuel|cylinders` pairs. */
  fuelCylinders: Counts;
  make: Counts;
  vehicleAge: Counts;
  occupants: Counts;
}

export interface CalibrationTables {
  header: readonly string[];
  source: { completeRows: number; rawRows: number };
  bodyType: Counts;
  /** Body type → its group: itself when common enough, else `heavy` or `light`. */
  bodyGroup: Readonly<Record<string, string>>;
  groups: Readonly<Record<string, GroupCounts>>;
  action: Counts;
  truckAxles: Counts;
  direction: Counts;
  /** `category|description` pairs. */
  factor1: Counts;
  factor2: Counts;
  eventType: Counts;
  vinLength: Counts;
  /** Rows whose VIN already appeared on an earlier row (the same vehicle in another crash). */
  repeatedVins: number;
  /** World Manufacturer Identifiers (first 3 VIN characters) per make. */
  wmi: Readonly<Record<string, Counts>>;
  /** What the contiguous raw rows say about row kinds and the fields they leave empty. */
  raw: {
    rows: number;
    unknownVehicle: number;
    outOfState: number;
    ny: number;
    nyUnmatched: number;
    nyMatchedEmptyOccupants: number;
    unmatched: number;
    unmatchedSparse: number;
    unmatchedNoVinOnly: number;
    unmatchedSedan: number;
    unmatchedSedanLike: number;
    outOfStateStates: Counts;
  };
}

export const CALIBRATION = data as unknown as CalibrationTables;
