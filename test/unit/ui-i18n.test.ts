import fs from 'node:fs';
import path from 'node:path';
import i18next from 'i18next';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import { ErrorBox } from '../../renderer/src/components/ErrorBox';
import { ANALYSES } from '../../shared/analyses';
import { ERROR_CODES, StudioError } from '../../shared/errors';
import { stringAt, translate, type Lang, type TKey } from '../../shared/i18n';
import { en } from '../../shared/i18n/en';
import { fr } from '../../shared/i18n/fr';
import { sourceFiles } from '../support/source-files';

type Tree = { [key: string]: string | Tree };

function keys(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : keys(v, `${prefix}${k}.`)));
}

const root = path.resolve(__dirname, '../..');

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
    expect(frKeys.sort()).toEqual(enKeys.sort());
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

  it('gives every error code its standard fix in both languages, or knowingly none in either', () => {
    const codes = Object.entries(ERROR_CODES);
    // Both kinds exist, so neither branch below passes vacuously.
    expect(codes.filter(([, fix]) => fix).length).toBeGreaterThan(20);
    expect(codes.filter(([, fix]) => !fix).length).toBeGreaterThan(0);
    for (const [code, standard] of codes) {
      const key = `errors.fix.${code}`;
      if (standard) {
        expect(stringAt('en', key), key).toBe(standard);
        expect(stringAt('fr', key)?.trim(), key).toBeTruthy();
        expect(stringAt('fr', key), `${key} is still English in French`).not.toBe(standard);
      } else {
        // No standard fix (NOT_FOUND, PG_ERROR, …): the message says it, or the thrower writes one.
        expect([stringAt('en', key), stringAt('fr', key)], key).toEqual([undefined, undefined]);
      }
    }
  });

  it("shows a code's standard fix in the window's language, and an engine's own fix as written", async () => {
    const i18n = i18next.createInstance();
    await i18n.init({ resources: { en: { translation: en }, fr: { translation: fr } }, lng: 'fr', interpolation: { escapeValue: false } });
    const shown = (error: unknown) => {
      const html = renderToStaticMarkup(createElement(I18nextProvider, { i18n }, createElement(ErrorBox, { error })));
      return /class="error-fix">.*?<\/span> (.*?)<\/div>/.exec(html)?.[1] ?? null;
    };
    const escaped = (s: string) =>
      s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#x27;');
    // The engine sends the English standard fix (StudioError fills it in): the window shows French.
    expect(shown(new StudioError('DISK_FULL', 'No space left').toData())).toBe(escaped(fr.errors.fix.DISK_FULL));
    expect(shown({ code: 'DISK_FULL', message: 'No space left' })).toBe(escaped(fr.errors.fix.DISK_FULL));
    // A fix written for this very error is shown as the engine wrote it.
    expect(shown(new StudioError('DISK_FULL', 'No space left', undefined, 'Empty /tmp first.').toData())).toBe('Empty /tmp first.');
    // A code without a standard fix: the engine's fix if it wrote one, else none.
    expect(shown({ code: 'PG_ERROR', message: 'syntax error', fix: 'Check the filter.' })).toBe('Check the filter.');
    expect(shown({ code: 'PG_ERROR', message: 'syntax error' })).toBeNull();
    expect(shown({ code: 'toString', message: 'odd code' })).toBeNull();
  });

  it('defines every literal key the renderer, the charts and the report ask for', () => {
    const known = new Set(enKeys.map((k) => k.replace(/_(one|other)$/, '')));
    const files = [
      ...sourceFiles(path.join(root, 'renderer/src')),
      ...sourceFiles(path.join(root, 'shared')),
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
