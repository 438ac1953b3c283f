/**
 * The types of the resource tree, derived from English (en.ts): a language is a `Translation`, so a
 * key missing from it or not in English is a compile error, and a `TKey` is a dotted path to one
 * string that the compiler checks wherever code names a string by its key.
 */
import type { ERROR_CODES } from '../errors';
import type { en } from './en';

/** The languages of the app, the report and the charts. */
export const LANGS = ['en', 'fr'] as const;
export type Lang = (typeof LANGS)[number];

export type Resources = typeof en;

/** The error codes that carry a standard fix (English in shared/errors.ts, next to the code). */
export type FixCode = { [C in keyof typeof ERROR_CODES]: (typeof ERROR_CODES)[C] extends string ? C : never }[keyof typeof ERROR_CODES];

/**
 * English's tree, plus the standard fix of every error code: English keeps those with the codes
 * (shared/errors.ts, one place for the code and its fix) and the app falls back to them.
 */
export type Translation = Omit<Resources, 'errors'> & { errors: Resources['errors'] & { fix: Record<FixCode, string> } };

type Leaves<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : Leaves<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

/** A dotted path to one string of the tree: `'nav.datasets'`, `'catalog.analyses.explore-counts.title'`. */
export type TKey = Leaves<Resources>;
