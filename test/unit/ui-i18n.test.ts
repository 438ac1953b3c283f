import fs from 'node:fs';
import path from 'node:path';
import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { ANALYSES } from '../../shared/analyses';
import { ERROR_CODES } from '../../shared/errors';
import { stringAt, translate, type Lang, type TKey } from '../../shared/i18n';
import { en } from '../../shared/i18n/en';
import { fr } from '../../shared/i18n/fr';

type Tree = { [key: string]: string | Tree };

function keys(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : keys(v, `${prefix}${k}.`)));
}

const root = path.resolve(__dirname, '../..');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sources(full);
    return /\.tsx?$/.test(e.name) ? [full] : [];
  });
}

/** Every literal key a file asks for: `t('…')` (under the file's `keyPrefix`), `i18n.t('…')`, `translate(lang, '…')`. */
function keysAskedIn(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const prefixes = [...new Set([...text.matchAll(/keyPrefix:\s*'([\w.-]+)'/g)].map((m) => m[1]!))];
  // One prefix per file keeps this scan exact; a file that needs two should be split.
  expect(prefixes.length, `${file}: several keyPrefix values`).toBeLessThanOrEqual(1);
  const prefix = prefixes[0] ? `${prefixes[0]}.` : '';
  return [
    ...[...text.matchAll(/(?<![\w.])t\(\s*'([\w.-]+)'/g)].map((m) => `${prefix}${m[1]!}`),
    ...[...text.matchAll(/\bi18n(?:ext)?\.t\(\s*'([\w.-]+)'/g)].map((m) => m[1]!),
    ...[...text.matchAll(/\btranslate\(\s*[\w.']+,\s*'([\w.-]+)'/g)].map((m) => m[1]!),
  ];
}

describe('UI strings', () => {
  const enKeys = keys(en);
  const frKeys = keys(fr);
  const isFix = (k: string) => /^errors\.fix\.[A-Z0-9_]+$/.test(k);

  it('has every English string in French and nothing else', () => {
    expect(frKeys.filter((k) => !isFix(k)).sort()).toEqual(enKeys.sort());
    for (const k of frKeys) expect(String(k.split('.').reduce<unknown>((t, p) => (t as Tree)[p], fr)).trim(), k).not.toBe('');
  });

  it('has no empty English string', () => {
    for (const k of enKeys) expect(stringAt('en', k)?.trim(), k).toBeTruthy();
  });

  it('keeps the {{placeholders}} of each string in its translation', () => {
    const get = (tree: Tree, k: string) => k.split('.').reduce<unknown>((t, p) => (t as Tree)[p], tree) as string;
    const holes = (s: string) => (s.match(/\{\{\w+\}\}/g) ?? []).sort();
    for (const k of enKeys) expect(holes(get(fr, k)), k).toEqual(holes(get(en, k)));
  });

  it('translates the standard fix of every error code that has one', () => {
    const withFix = Object.entries(ERROR_CODES)
      .filter(([, fix]) => fix)
      .map(([code]) => `errors.fix.${code}`);
    // A new error code needs its French fix in shared/i18n/fr.ts (errors.fix.<CODE>).
    expect(frKeys.filter(isFix).sort()).toEqual(withFix.sort());
  });

  it('defines every literal key the renderer, the charts and the report ask for', () => {
    const known = new Set(enKeys.map((k) => k.replace(/_(one|other)$/, '')));
    const files = [
      ...sources(path.join(root, 'renderer/src')),
      ...sources(path.join(root, 'shared')),
      path.join(root, 'electron/engine/export/report.ts'),
    ];
    const asked = files.flatMap((file) => keysAskedIn(file).map((key) => ({ file: path.relative(root, file), key })));
    expect(asked.length).toBeGreaterThan(300);
    expect(asked.filter((a) => a.key.startsWith('spark.')).length).toBeGreaterThan(50);
    expect(asked.filter((a) => a.key.startsWith('runs.')).length).toBeGreaterThan(30);
    expect(asked.filter((a) => !known.has(a.key)).map((a) => `${a.file}: ${a.key}`)).toEqual([]);
  });

  it('has the catalog texts (titles, descriptions, parameter and rule labels) in both languages', () => {
    const catalogKeys = ANALYSES.flatMap((a) => [
      a.title,
      a.description,
      ...a.params.map((p) => p.label),
      ...('rules' in a.op ? a.op.rules.map((r) => r.label) : []),
    ]);
    expect(catalogKeys.length).toBeGreaterThan(2 * ANALYSES.length);
    const missing = catalogKeys.flatMap((key) =>
      (['en', 'fr'] as const).filter((lang) => !stringAt(lang, key)?.trim()).map((lang) => `${lang}: ${key}`),
    );
    expect(missing).toEqual([]);
  });

  it('reads a string the same through i18next (renderer) and translate (report, charts)', async () => {
    const i18n = i18next.createInstance();
    await i18n.init({ resources: { en: { translation: en }, fr: { translation: fr } }, lng: 'en', interpolation: { escapeValue: false } });
    for (const lang of ['en', 'fr'] as Lang[]) {
      // Keys here are every key of the tree, as plain strings.
      const t = i18n.getFixedT(lang) as unknown as (key: string, values: object) => string;
      for (const key of enKeys) {
        const values = Object.fromEntries([...(stringAt('en', key)!.matchAll(/\{\{(\w+)\}\}/g) ?? [])].map((m, i) => [m[1]!, `<${i}>`]));
        expect(translate(lang, key as TKey, values), `${lang}: ${key}`).toBe(t(key, values));
      }
    }
  });
});
