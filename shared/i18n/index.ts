/**
 * The one resource tree of the app, English and French, shared by the renderer (through i18next),
 * the analysis catalog (which names its texts by key), the charts and the HTML report. Placeholders
 * are i18next's `{{name}}`, so one string reads the same on either side.
 */
import { en } from './en';
import { fr } from './fr';
import type { Lang, Resources, TKey } from './types';

export type { Lang, Resources, TKey, Translation } from './types';

const TREES: Record<Lang, Resources> = { en, fr };

/** A language's whole tree, for code that reads a fixed group of strings (`strings(lang).report`). */
export function strings(lang: Lang): Resources {
  return TREES[lang];
}

export type Values = Record<string, string | number>;

/** Fills the `{{name}}` placeholders; a placeholder with no value stays as it is (visible, not blank). */
export function interpolate(template: string, values: Values = {}): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (hole, name: string) => (name in values ? String(values[name]) : hole));
}

/** The raw string at `key` in `lang` itself (no fallback), or undefined when it has none. */
export function stringAt(lang: Lang, key: string): string | undefined {
  const found = key
    .split('.')
    .reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), TREES[lang]);
  return typeof found === 'string' ? found : undefined;
}

/** The string at `key` in `lang` (English when the language lacks it), placeholders filled. */
export function translate(lang: Lang, key: TKey, values?: Values): string {
  return interpolate(stringAt(lang, key) ?? stringAt('en', key) ?? key, values);
}
