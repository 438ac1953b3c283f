import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { commaList, wholeNumber } from '../../electron/cli/options';

describe('CLI option values', () => {
  it('reads whole numbers with their digits grouped by _ or by thousands with ,', () => {
    const rows = wholeNumber('--rows', 1);
    expect(rows('42')).toBe(42);
    expect(rows('3_300_000')).toBe(3_300_000);
    expect(rows('3,300,000')).toBe(3_300_000);
    expect(wholeNumber('--seed')('0')).toBe(0);
  });

  it('refuses what is not a whole number at least the minimum, naming the option', () => {
    const repeat = wholeNumber('--repeat', 1);
    for (const bad of ['0', '-1', '2.5', 'ten', '', ' ', '1,5', '12,34,567', String(2 ** 53)]) {
      expect(() => repeat(bad), JSON.stringify(bad)).toThrow(InvalidArgumentError);
    }
    expect(() => repeat('0')).toThrow('--repeat: a whole number ≥ 1');
  });

  it('splits a comma-separated list, trimmed, without empty items', () => {
    expect(commaList('a, b,,c ,')).toEqual(['a', 'b', 'c']);
    expect(commaList(' ')).toEqual([]);
  });
});
