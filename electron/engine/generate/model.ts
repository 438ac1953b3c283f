/**
 * The generator's model: every value pre-encoded once as CSV bytes, and every distribution turned
 * into an alias table, built from the calibration counts and the stated assumptions. Building it
 * takes a few milliseconds; the row loop then only draws indexes and copies bytes.
 */
import { csvField } from '../../../shared/csv';
import { CRASH_YEARS, MAKE_VARIANT_SEED, MAKE_VARIANTS_PER_CODE, NCIC_MAKE, OUT_OF_STATE_STATES, TRENDS } from './assumptions';
import { CALIBRATION, type Counts } from './calibration';
import { AliasTable, Random } from './random';

export const CRASH_HEADER: readonly string[] = CALIBRATION.header;

/** The distinct values of one column, each encoded once. */
export class Vocabulary {
  readonly values: string[] = [];
  readonly bytes: Uint8Array[] = [];
  private readonly index = new Map<string, number>();

  id(value: string): number {
    let i = this.index.get(value);
    if (i === undefined) {
      i = this.values.length;
      this.values.push(value);
      this.bytes.push(Buffer.from(csvField(value), 'utf8'));
      this.index.set(value, i);
    }
    return i;
  }

  has(value: string): boolean {
    return this.index.has(value);
  }
}

/** A distribution over ids (vocabulary ids or plain integers). */
export class Categorical {
  constructor(
    private readonly table: AliasTable,
    readonly ids: Int32Array,
  ) {}

  static of(entries: ReadonlyArray<readonly [number, number]>): Categorical {
    return new Categorical(new AliasTable(entries.map((e) => e[1])), Int32Array.from(entries.map((e) => e[0])));
  }

  draw(u: number): number {
    return this.ids[this.table.draw(u)]!;
  }
}

function fromCounts(vocab: Vocabulary, counts: Counts, weight: (value: string) => number = () => 1): Categorical {
  return Categorical.of(counts.map(([v, n]) => [vocab.id(v), n * weight(v)] as const));
}

export interface GroupModel {
  registrationClass: Categorical;
  /** Per crash year: an index into fuelOf / cylindersOf. */
  fuelCylinders: Categorical[];
  fuelOf: Int32Array;
  cylindersOf: Int32Array;
  make: Categorical;
  vehicleAge: Categorical;
  occupants: Categorical;
}

export interface RowKindRates {
  unknownVehicle: number;
  outOfState: number;
  nyUnmatched: number;
  nyMatchedEmptyOccupants: number;
  unmatchedSparse: number;
  unmatchedNoVinOnly: number;
  unmatchedSedanAsSedan: number;
  repeatedVehicle: number;
  vinLength10: number;
  vinLength6: number;
}

export interface CrashModel {
  years: number[];
  yearShares: number[];
  v: {
    body: Vocabulary;
    registration: Vocabulary;
    action: Vocabulary;
    axles: Vocabulary;
    direction: Vocabulary;
    fuel: Vocabulary;
    state: Vocabulary;
    make: Vocabulary;
    factor: Vocabulary;
    description: Vocabulary;
    event: Vocabulary;
  };
  bodyByYear: Categorical[];
  groupOfBody: Int32Array;
  groups: GroupModel[];
  action: Categorical;
  axles: Categorical;
  direction: Categorical;
  event: Categorical;
  /** Draws an index into factorCategory / factorDescription. */
  factor1: Categorical;
  factor2: Categorical;
  factorCategory: Int32Array;
  factorDescription: Int32Array;
  outOfStateState: Categorical;
  /** Make id → its NCIC (4-letter) make id. */
  ncicMake: Int32Array;
  /** Make id → ids of its misspelled variants. */
  makeVariants: Int32Array[];
  /** Make id → distribution over WMI prefixes (index into wmiBytes), or null when unknown. */
  wmi: Array<Categorical | null>;
  wmiBytes: Uint8Array[];
  rates: RowKindRates;
  ids: {
    unknownVehicle: number;
    sedan: number;
    /** Body types that become plain SEDAN on some reports without registration details. */
    sedanLike: Uint8Array;
    registrationNotEntered: number;
    fuelNotEntered: number;
    actionUnknown: number;
    directionUnknown: number;
    stateNY: number;
    stateEmpty: number;
    makeEmpty: number;
  };
}

const VARIANT_NEIGHBOURS: Record<string, string> = {
  A: 'SQZ',
  B: 'VNG',
  C: 'XVD',
  D: 'SFE',
  E: 'WRD',
  F: 'DGR',
  G: 'FHT',
  H: 'GJY',
  I: 'UOK',
  J: 'HKU',
  K: 'JLI',
  L: 'KO',
  M: 'NJ',
  N: 'BMH',
  O: 'IPL',
  P: 'OL',
  Q: 'WA',
  R: 'ETF',
  S: 'ADW',
  T: 'RYG',
  U: 'YIJ',
  V: 'CBF',
  W: 'QES',
  X: 'ZCS',
  Y: 'TUH',
  Z: 'XA',
};

/** Typo variants of a make code: a neighbouring key, a dropped, doubled or swapped letter. */
function makeVariants(code: string, rng: Random, taken: (v: string) => boolean, count: number): string[] {
  const letters = code.replace(/[^A-Z]/g, '');
  if (letters.length < 3) return [];
  const out = new Set<string>();
  for (let attempt = 0; attempt < count * 8 && out.size < count; attempt++) {
    const i = rng.int(code.length);
    const ch = code[i]!;
    let variant: string;
    switch (rng.int(4)) {
      case 0: {
        const near = VARIANT_NEIGHBOURS[ch];
        if (!near) continue;
        variant = code.slice(0, i) + near[rng.int(near.length)] + code.slice(i + 1);
        break;
      }
      case 1:
        variant = code.slice(0, i) + code.slice(i + 1);
        break;
      case 2:
        variant = (code.slice(0, i + 1) + ch + code.slice(i + 1)).slice(0, Math.max(5, code.length));
        break;
      default:
        if (i + 1 >= code.length) continue;
        variant = code.slice(0, i) + code[i + 1] + ch + code.slice(i + 2);
    }
    if (variant.length >= 2 && variant !== code && !taken(variant)) out.add(variant);
  }
  return [...out];
}

function ncicCode(make: string): string {
  if (NCIC_MAKE[make]) return NCIC_MAKE[make];
  return make.length <= 4 ? make : make.replace('/', '').slice(0, 4);
}

export function buildCrashModel(): CrashModel {
  const C = CALIBRATION;
  const v = {
    body: new Vocabulary(),
    registration: new Vocabulary(),
    action: new Vocabulary(),
    axles: new Vocabulary(),
    direction: new Vocabulary(),
    fuel: new Vocabulary(),
    state: new Vocabulary(),
    make: new Vocabulary(),
    factor: new Vocabulary(),
    description: new Vocabulary(),
    event: new Vocabulary(),
  };
  const years = CRASH_YEARS.map(([y]) => y);
  const bodyByYear = years.map((year) => fromCounts(v.body, C.bodyType, (b) => TRENDS.bodyType[b]?.[year] ?? 1));

  const groupNames = Object.keys(C.groups);
  const groupOfBody = new Int32Array(64).fill(-1);
  const sedanLike = new Uint8Array(64);
  for (const [body, group] of Object.entries(C.bodyGroup)) {
    const id = v.body.id(body);
    groupOfBody[id] = groupNames.indexOf(group);
    if (/\d DOOR SEDAN/.test(body)) sedanLike[id] = 1;
  }
  const unknownVehicle = v.body.id('UNKNOWN VEHICLE');
  groupOfBody[unknownVehicle] = groupNames.indexOf(C.bodyGroup['UNKNOWN VEHICLE']!);
  const sedan = v.body.id('SEDAN');
  groupOfBody[sedan] = groupNames.indexOf(C.bodyGroup.SEDAN!);

  const groups: GroupModel[] = groupNames.map((name) => {
    const g = C.groups[name]!;
    const pairs = g.fuelCylinders.map(([pair]) => pair.split('|') as [string, string]);
    const fuelOf = Int32Array.from(pairs.map(([fuel]) => v.fuel.id(fuel)));
    const cylindersOf = Int32Array.from(pairs.map(([, cyl]) => Number(cyl)));
    return {
      registrationClass: fromCounts(v.registration, g.registrationClass),
      fuelCylinders: years.map((year) =>
        Categorical.of(g.fuelCylinders.map(([pair, n], i) => [i, n * (TRENDS.fuel[pair.split('|')[0]!]?.[year] ?? 1)] as const)),
      ),
      fuelOf,
      cylindersOf,
      make: fromCounts(v.make, g.make),
      vehicleAge: Categorical.of(g.vehicleAge.map(([age, n]) => [Number(age), n] as const)),
      occupants: Categorical.of(g.occupants.map(([occ, n]) => [Number(occ), n] as const)),
    };
  });

  const factorPairs: string[] = [...new Set([...C.factor1, ...C.factor2].map(([pair]) => pair as string))];
  const factorCategory = Int32Array.from(factorPairs.map((p) => v.factor.id(p.split('|')[0]!)));
  const factorDescription = Int32Array.from(factorPairs.map((p) => v.description.id(p.split('|')[1]!)));
  const factorTable = (counts: Counts) => Categorical.of(counts.map(([pair, n]) => [factorPairs.indexOf(pair), n] as const));

  // Make codes: the calibrated ones, their NCIC forms, then the fixed typo variants of both.
  const calibratedMakes = [...v.make.values];
  const ncicMake = new Int32Array(4096).fill(-1);
  for (const make of calibratedMakes) ncicMake[v.make.id(make)] = v.make.id(ncicCode(make));
  const baseMakes = [...v.make.values];
  const variantRng = new Random(MAKE_VARIANT_SEED);
  const makeVariantsById: Int32Array[] = [];
  for (const make of baseMakes) {
    const variants = makeVariants(make, variantRng, (x) => v.make.has(x), MAKE_VARIANTS_PER_CODE);
    makeVariantsById[v.make.id(make)] = Int32Array.from(variants.map((x) => v.make.id(x)));
  }

  const wmiVocab = new Vocabulary();
  const wmiOf = (make: string): Categorical | null => {
    const counts = C.wmi[make];
    return counts ? fromCounts(wmiVocab, counts) : null;
  };
  const wmi: Array<Categorical | null> = new Array<Categorical | null>(v.make.values.length + 1).fill(null);
  for (const make of calibratedMakes) {
    const id = v.make.id(make);
    const table = wmiOf(make);
    for (const related of [id, ncicMake[id]!, ...makeVariantsById[id]!, ...makeVariantsById[ncicMake[id]!]!]) wmi[related] ??= table;
  }
  if (v.make.values.length > ncicMake.length) throw new Error('make vocabulary larger than expected');

  const raw = C.raw;
  const vinLengths = new Map(C.vinLength.map(([len, n]) => [Number(len), n]));
  const rates: RowKindRates = {
    unknownVehicle: raw.unknownVehicle / raw.rows,
    outOfState: raw.outOfState / raw.rows,
    nyUnmatched: raw.nyUnmatched / raw.rows,
    nyMatchedEmptyOccupants: raw.nyMatchedEmptyOccupants / (raw.ny - raw.nyUnmatched),
    unmatchedSparse: raw.unmatchedSparse / raw.unmatched,
    unmatchedNoVinOnly: raw.unmatchedNoVinOnly / raw.unmatched,
    unmatchedSedanAsSedan: raw.unmatchedSedan / raw.unmatchedSedanLike,
    repeatedVehicle: C.repeatedVins / C.source.completeRows,
    vinLength10: (vinLengths.get(10) ?? 0) / C.source.completeRows,
    vinLength6: (vinLengths.get(6) ?? 0) / C.source.completeRows,
  };

  return {
    years,
    yearShares: CRASH_YEARS.map(([, s]) => s),
    v,
    bodyByYear,
    groupOfBody,
    groups,
    action: fromCounts(v.action, C.action),
    axles: fromCounts(v.axles, C.truckAxles),
    direction: fromCounts(v.direction, C.direction),
    event: fromCounts(v.event, C.eventType),
    factor1: factorTable(C.factor1),
    factor2: factorTable(C.factor2),
    factorCategory,
    factorDescription,
    outOfStateState: fromCounts(v.state, OUT_OF_STATE_STATES),
    ncicMake,
    makeVariants: makeVariantsById,
    wmi,
    wmiBytes: wmiVocab.bytes,
    rates,
    ids: {
      unknownVehicle,
      sedan,
      sedanLike,
      registrationNotEntered: v.registration.id('Not Entered'),
      fuelNotEntered: v.fuel.id('Not Entered'),
      actionUnknown: v.action.id('Unknown'),
      directionUnknown: v.direction.id('Unknown'),
      stateNY: v.state.id('NY'),
      stateEmpty: v.state.id(''),
      makeEmpty: v.make.id(''),
    },
  };
}
