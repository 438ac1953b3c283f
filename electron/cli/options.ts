/**
 * Parsers of option values shared by the commands, each with one rule, so `--rows`, `--repeat`,
 * `--seed` or a comma-separated list read the same in every command.
 */
import { InvalidArgumentError } from 'commander';

/**
 * A whole number ≥ `min`. `_` may group its digits anywhere (`3_300_000`), `,` only as a thousands
 * separator (`3,300,000`), so that a list typed by mistake (`1,5`) is refused, not read as 15.
 */
export function wholeNumber(label: string, min = 0) {
  return (value: string): number => {
    const plain = value.replace(/_/g, '');
    const digits = /^\d{1,3}(,\d{3})+$/.test(plain) ? plain.replace(/,/g, '') : plain;
    const n = Number(digits);
    if (digits.trim() === '' || !Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`${label}: a whole number ≥ ${min}`);
    return n;
  };
}

/** The items of a comma-separated value, trimmed, empty ones dropped (`a, b,,c` → a, b, c). */
export function commaList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
