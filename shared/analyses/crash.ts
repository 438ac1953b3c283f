/**
 * The crash dataset's vocabulary: its column names, the original notebook's cleaning rules
 * (null-drop columns, sentinels, make brands, defaults) and the dimensions analyses group by.
 */
import type { Dimension } from './types';

export const CRASH = {
  year: 'Year',
  caseVehicleId: 'Case Vehicle ID',
  bodyType: 'Vehicle Body Type',
  registrationClass: 'Registration Class',
  action: 'Action Prior to Accident',
  truckAxles: 'Type / Axles of Truck or Bus',
  direction: 'Direction of Travel',
  fuel: 'Fuel Type',
  vehicleYear: 'Vehicle Year',
  state: 'State of Registration',
  occupants: 'Number of Occupants',
  cylinders: 'Engine Cylinders',
  make: 'Vehicle Make',
  factor1: 'Contributing Factor 1',
  factor1Description: 'Contributing Factor 1 Description',
  factor2: 'Contributing Factor 2',
  factor2Description: 'Contributing Factor 2 Description',
  eventType: 'Event Type',
  vin: 'Partial VIN',
} as const;

/** The seven columns of the original notebook's `dropna(subset=…)`. */
export const ORIGINAL_NULL_DROP_COLUMNS: string[] = [
  CRASH.vehicleYear,
  CRASH.state,
  CRASH.occupants,
  CRASH.cylinders,
  CRASH.make,
  CRASH.eventType,
  CRASH.vin,
];

/**
 * Text values that mean "no value". Matched exactly (case as listed) on text columns only; with
 * `sentinelsAsNull` they become nulls. Values ending in `*` are reported but never nulled: they
 * are real categories with a publisher's footnote mark.
 */
export const SENTINELS: readonly string[] = [
  'Not Entered',
  'NOT ENTERED',
  'Not Applicable',
  'NOT APPLICABLE',
  'Unknown',
  'UNKNOWN',
  'UNKNOWN VEHICLE',
  'Unknown Vehicle',
  'None',
  'NONE',
  'N/A',
];

/** Make codes as the DMV writes them (4 letters out of state, 5 in NY, misspellings) → one brand. */
export const MAKE_BRANDS: Readonly<Record<string, string>> = {
  ACUR: 'ACURA',
  ACURA: 'ACURA',
  AUDI: 'AUDI',
  BMW: 'BMW',
  BUIC: 'BUICK',
  BUICK: 'BUICK',
  CADI: 'CADILLAC',
  CADIL: 'CADILLAC',
  CHEV: 'CHEVROLET',
  CHEVR: 'CHEVROLET',
  CHEVY: 'CHEVROLET',
  CHRY: 'CHRYSLER',
  CHRYS: 'CHRYSLER',
  DODG: 'DODGE',
  DODGE: 'DODGE',
  FIAT: 'FIAT',
  FORD: 'FORD',
  FRHT: 'FREIGHTLINER',
  FRGHT: 'FREIGHTLINER',
  FREIG: 'FREIGHTLINER',
  GMC: 'GMC',
  HOND: 'HONDA',
  HONDA: 'HONDA',
  HYUN: 'HYUNDAI',
  HYUND: 'HYUNDAI',
  HYNDA: 'HYUNDAI',
  INFI: 'INFINITI',
  INFIN: 'INFINITI',
  INTL: 'INTERNATIONAL',
  INTER: 'INTERNATIONAL',
  ISU: 'ISUZU',
  ISUZ: 'ISUZU',
  ISUZU: 'ISUZU',
  JAGU: 'JAGUAR',
  JAGUA: 'JAGUAR',
  JEEP: 'JEEP',
  KIA: 'KIA',
  LAND: 'LAND ROVER',
  LNDRV: 'LAND ROVER',
  LEXS: 'LEXUS',
  LEXU: 'LEXUS',
  LEXUS: 'LEXUS',
  LINC: 'LINCOLN',
  LINCO: 'LINCOLN',
  MACK: 'MACK',
  MAZD: 'MAZDA',
  MAZDA: 'MAZDA',
  MERZ: 'MERCEDES-BENZ',
  MERCE: 'MERCEDES-BENZ',
  MERC: 'MERCURY',
  MERCU: 'MERCURY',
  MINI: 'MINI',
  MITS: 'MITSUBISHI',
  MITSU: 'MITSUBISHI',
  NISS: 'NISSAN',
  NISSA: 'NISSAN',
  PETE: 'PETERBILT',
  PTRB: 'PETERBILT',
  PETER: 'PETERBILT',
  PONT: 'PONTIAC',
  PONTI: 'PONTIAC',
  PORS: 'PORSCHE',
  PORSC: 'PORSCHE',
  RAM: 'RAM',
  SATU: 'SATURN',
  SATUR: 'SATURN',
  SUBA: 'SUBARU',
  SUBAR: 'SUBARU',
  TESL: 'TESLA',
  TESLA: 'TESLA',
  TOYT: 'TOYOTA',
  TOYOT: 'TOYOTA',
  TOYOY: 'TOYOTA',
  TOYO: 'TOYOTA',
  VOLK: 'VOLKSWAGEN',
  VOLKS: 'VOLKSWAGEN',
  VW: 'VOLKSWAGEN',
  VOLV: 'VOLVO',
  VOLVO: 'VOLVO',
};

/** The label of the top-N "other" bucket in text dimensions (the `other` column says it, too). */
export const OTHER_LABEL = '(other)';

/** The display name of a dimension's result column. */
export function dimensionName(d: Dimension): string {
  if ('column' in d) return d.column;
  return d.derived === 'vehicle-age' ? 'Vehicle Age' : 'Vehicle Age (2025 − Vehicle Year)';
}

/** The dataset columns a dimension reads. */
export function dimensionColumns(d: Dimension): string[] {
  return 'column' in d ? [d.column] : d.derived === 'vehicle-age' ? [CRASH.year, CRASH.vehicleYear] : [CRASH.vehicleYear];
}

export { ORIGINAL_CLEANING } from './original-cleaning';
