/** Numbers, sizes and durations in the UI language. */
import i18next from 'i18next';
import { formatByteSize } from '../../shared/format';

const locale = () => (i18next.language === 'fr' ? 'fr-FR' : 'en-US');

export function formatNumber(n: number | null | undefined, digits = 0): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '–';
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: digits }).format(n);
}

export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return '–';
  return formatByteSize(n, i18next.language === 'fr' ? 'fr' : 'en');
}

export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '–';
  if (ms < 1000) return `${formatNumber(ms, ms < 10 ? 1 : 0)} ms`;
  return formatSeconds(ms / 1000);
}

export function formatSeconds(s: number | null | undefined): string {
  if (s === null || s === undefined || !Number.isFinite(s)) return '–';
  if (s < 60) return `${formatNumber(s, s < 10 ? 1 : 0)} s`;
  const m = Math.floor(s / 60);
  const rest = Math.round(s % 60);
  if (m < 60) return `${m} min ${rest.toString().padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${(m % 60).toString().padStart(2, '0')} min`;
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '–';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(locale(), { dateStyle: 'medium', timeStyle: 'short' });
}
