/**
 * The types of the resource tree, derived from English (en.ts): a language is a `Translation`, so a
 * key missing from it or not in English is a compile error, and a `TKey` is a dotted path to one
 * string that the compiler checks wherever code names a string by its key.
 */
import type { en } from './en';

/** The languages of the app, the report and the charts. */
export const LANGS = ['en', 'fr'] as const;
export type Lang = (typeof LANGS)[number];

/** English's tree: its `errors.fix` holds the standard fix of every `FixCode` (shared/errors.ts). */
export type Resources = typeof en;

/** What every language is: English's tree, key for key (the fix of every `FixCode` included). */
export type Translation = Resources;

type Leaves<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : Leaves<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

/** A dotted path to one string of the tree: `'nav.datasets'`, `'catalog.analyses.explore-counts.title'`. */
export type TKey = Leaves<Resources>;
