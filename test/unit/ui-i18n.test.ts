import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { en } from '../../renderer/src/i18n/en';
import { fr } from '../../renderer/src/i18n/fr';
import { ERROR_CODES } from '../../shared/errors';

type Tree = { [key: string]: string | Tree };

function keys(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : keys(v, `${prefix}${k}.`)));
}

const rendererSrc = path.resolve(__dirname, '../../renderer/src');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return ['spark', 'runs', 'i18n'].includes(e.name) ? [] : sources(full);
    return /\.tsx?$/.test(e.name) ? [full] : [];
  });
}

describe('UI strings', () => {
  const enKeys = keys(en);
  const frKeys = keys(fr);
  const isFix = (k: string) => /^errors\.fix\.[A-Z0-9_]+$/.test(k);

  it('has every English string in French and nothing else', () => {
    expect(frKeys.filter((k) => !isFix(k)).sort()).toEqual(enKeys.sort());
    for (const k of frKeys) expect(String(k.split('.').reduce<unknown>((t, p) => (t as Tree)[p], fr)).trim(), k).not.toBe('');
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
    // A new error code needs its French fix in renderer/src/i18n/fr.ts (errors.fix.<CODE>).
    expect(frKeys.filter(isFix).sort()).toEqual(withFix.sort());
  });

  it('defines every literal key the renderer asks for', () => {
    const known = new Set(enKeys.map((k) => k.replace(/_(one|other)$/, '')));
    const missing: string[] = [];
    for (const file of sources(rendererSrc)) {
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\(\s*'([\w.]+)'/g))
        if (!known.has(m[1]!)) missing.push(`${path.relative(rendererSrc, file)}: ${m[1]}`);
    }
    expect(missing).toEqual([]);
  });
});
