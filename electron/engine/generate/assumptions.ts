/**
 * The generator's hand-set parameters: what the real rows cannot tell (they are a filtered sample
 * and a 32-row slice). Each one says where it comes from. Counts measured on the real rows are in
 * calibration.json; rates derived from those counts are computed in model.ts.
 */

/** Crash years of the three-year window and their share of rows (slightly growing, like the real series). */
export const CRASH_YEARS: ReadonlyArray<readonly [year: number, share: number]> = [
  [2016, 0.327],
  [2017, 0.333],
  [2018, 0.34],
];

/**
 * Gentle trends across the window so "by year" analyses show something: SUVs replace sedans and
 * electric vehicles grow. Multipliers apply to the calibrated weights of the crash year.
 */
export const TRENDS = {
  bodyType: {
    SUBURBAN: { 2016: 0.93, 2017: 1, 2018: 1.07 },
    '4 DOOR SEDAN': { 2016: 1.06, 2017: 1, 2018: 0.94 },
  } as Record<string, Record<number, number>>,
  fuel: { Electric: { 2016: 0.55, 2017: 1, 2018: 1.6 } } as Record<string, Record<number, number>>,
};

/**
 * Out-of-state registrations. PA, NJ and RI are the ones seen in the raw slice; the others and
 * all the weights are an assumption (neighbouring states and provinces first, then far states).
 */
export const OUT_OF_STATE_STATES: ReadonlyArray<readonly [string, number]> = [
  ['PA', 20],
  ['NJ', 20],
  ['CT', 9],
  ['MA', 7],
  ['FL', 6],
  ['VT', 4],
  ['RI', 3],
  ['OH', 3],
  ['ON', 3],
  ['QC', 3],
  ['NC', 2],
  ['VA', 2],
  ['MD', 2],
  ['TX', 2],
  ['GA', 2],
  ['MI', 2],
  ['CA', 2],
  ['IL', 1.5],
  ['NH', 1.5],
  ['ME', 1],
  ['DE', 1],
  ['SC', 1],
  ['IN', 1],
  ['TN', 1],
  ['AZ', 1],
  ['DC', 0.5],
  ['WI', 0.5],
  ['MN', 0.5],
  ['CO', 0.5],
  ['WA', 0.5],
  ['KY', 0.5],
  ['AL', 0.3],
  ['LA', 0.3],
  ['MO', 0.3],
  ['NS', 0.2],
];

/**
 * Make codes of vehicles without NY registration details use the NCIC 4-letter codes (HOND, CHEV,
 * PTRB are in the raw slice) where NY-registered ones use the DMV's 5-letter codes (HONDA, CHEVR).
 * Codes of 4 letters or fewer (FORD, JEEP, KIA) are the same in both; any 5-letter code missing
 * here falls back to its first 4 letters.
 */
export const NCIC_MAKE: Readonly<Record<string, string>> = {
  CHEVR: 'CHEV',
  TOYOT: 'TOYT',
  HONDA: 'HOND',
  NISSA: 'NISS',
  DODGE: 'DODG',
  HYUND: 'HYUN',
  SUBAR: 'SUBA',
  CHRYS: 'CHRY',
  VOLKS: 'VOLK',
  MAZDA: 'MAZD',
  'ME/BE': 'MERZ',
  BUICK: 'BUIC',
  PONTI: 'PONT',
  ACURA: 'ACUR',
  LEXUS: 'LEXS',
  MITSU: 'MITS',
  CADIL: 'CADI',
  INFIN: 'INFI',
  SATUR: 'STRN',
  MERCU: 'MERC',
  FREIG: 'FRHT',
  VOLVO: 'VOLV',
  INTER: 'INTL',
  LINCO: 'LINC',
  'LA/RO': 'LNDR',
  SUZUK: 'SUZI',
  PETER: 'PTRB',
  OLDSM: 'OLDS',
  'BL/BI': 'BLBI',
  ISUZU: 'ISU',
  KENWO: 'KW',
  THOMA: 'THOM',
  TESLA: 'TESL',
  'WE/ST': 'WSTR',
  JAGUA: 'JAGU',
  PORSC: 'PORS',
  YAMAH: 'YAMA',
  STERL: 'STLG',
  KOMAT: 'KOMA',
  SMART: 'SMRT',
  BENTL: 'BENT',
};

/**
 * Misspelled make codes (TOYOY, HYNDA in the sample; public analyses counted about 1,900 distinct
 * make values in the full data). Each code gets a fixed set of variants; a small share of rows
 * uses one of them.
 */
export const MAKE_MISSPELLING_RATE = 0.006;
export const MAKE_VARIANTS_PER_CODE = 40;
/** Seed of the make variants: fixed so the vocabulary is the same whatever the data seed. */
export const MAKE_VARIANT_SEED = 0x5eed_0001;

/** Exact duplicate rows (the original analysis counts them); the sample has none, so this is assumed. */
export const DUPLICATE_ROW_RATE = 0.002;

/** Model years after the crash year: next year's models are sold a year early (+1); +2…+5 are data errors. */
export const NEXT_MODEL_YEAR_RATE = 0.006;
export const FAR_FUTURE_MODEL_YEAR_RATE = 0.0001;

/** Occupant counts above 60 (public analyses saw dozens in the full data): buses, data errors. */
export const EXTREME_OCCUPANTS_RATE = 0.00002;
export const EXTREME_OCCUPANTS_RANGE: readonly [number, number] = [61, 99];

/** VINs of vehicles older than the 17-character standard (1981) are shorter, like the 11-character ones in the sample. */
export const VIN_STANDARD_YEAR = 1981;
export const PRE_STANDARD_VIN_LENGTH = 11;

/** Case Vehicle IDs: 8 digits, increasing through the window; a year spans about 3 million ids (2018 sample: 14.4–17.4 M). */
export const CASE_ID_FIRST = 11_300_000;
export const CASE_IDS_PER_YEAR = 3_050_000;
