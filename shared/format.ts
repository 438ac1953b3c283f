/** Formatting shared by the UI and the HTML report, so both say the same size the same way. */
import type { Lang } from './i18n/types';

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** A byte count in binary units (1 KB = 1024 B, as the OS file managers most users see count). */
export function formatByteSize(bytes: number, lang: Lang): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 ? 0 : 1;
  return `${new Intl.NumberFormat(lang === 'fr' ? 'fr-FR' : 'en-US', { maximumFractionDigits: digits }).format(value)} ${BYTE_UNITS[unit]}`;
}
