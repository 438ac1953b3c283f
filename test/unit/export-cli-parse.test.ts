/** The `sparkpolar export` view options: column names resolved, each --filter form parsed. */
import { describe, expect, it } from 'vitest';
import { parseFilter, parseSort, resolveColumn } from '../../electron/cli/commands/export';
import { StudioError } from '../../shared/errors';
import type { DatasetColumn } from '../../shared/types';

const columns: DatasetColumn[] = [
  { name: 'Vehicle Year', identifier: 'vehicle_year', type: 'integer' },
  { name: 'Type / Axles of Truck or Bus', identifier: 'type_axles', type: 'text' },
  { name: 'State of Registration', identifier: 'State of Registration', type: 'text' },
];

describe('export CLI view options', () => {
  it('resolves display names, identifiers and case-insensitive names', () => {
    expect(resolveColumn(columns, 'Vehicle Year')).toBe('vehicle_year');
    expect(resolveColumn(columns, 'type_axles')).toBe('type_axles');
    expect(resolveColumn(columns, 'state of registration')).toBe('State of Registration');
    expect(() => resolveColumn(columns, 'nope')).toThrow(StudioError);
  });

  it('parses sorts with an optional direction', () => {
    expect(parseSort(columns, 'Vehicle Year:desc')).toEqual({ column: 'vehicle_year', direction: 'desc' });
    expect(parseSort(columns, 'Type / Axles of Truck or Bus')).toEqual({ column: 'type_axles', direction: 'asc' });
  });

  it.each([
    ['State of Registration=NY', { column: 'State of Registration', op: 'equals', value: 'NY' }],
    ['Type / Axles of Truck or Bus~axle', { column: 'type_axles', op: 'contains', value: 'axle' }],
    ['State of Registration in NY|NJ|PA', { column: 'State of Registration', op: 'oneOf', values: ['NY', 'NJ', 'PA'] }],
    ['Vehicle Year>=1990', { column: 'vehicle_year', op: 'range', min: 1990, max: null }],
    ['Vehicle Year <= 2001', { column: 'vehicle_year', op: 'range', min: null, max: 2001 }],
    ['Vehicle Year is null', { column: 'vehicle_year', op: 'isNull' }],
    ['Vehicle Year not null', { column: 'vehicle_year', op: 'notNull' }],
  ])('%s', (spec, want) => {
    expect(parseFilter(columns, spec)).toEqual(want);
  });

  it('refuses a filter it cannot read', () => {
    expect(() => parseFilter(columns, 'Vehicle Year')).toThrow(/--filter/);
  });
});
