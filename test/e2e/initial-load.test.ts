/**
 * The window's initial JavaScript (issue #14 item 7): what index.html loads before the first paint
 * (its entry script and the modules it preloads), measured on the built renderer. Pages and
 * ECharts come later, when they are opened.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rendererDir } from './support/browser';

const LIMIT_BYTES = 800 * 1000;

function initialScripts(): string[] {
  const html = fs.readFileSync(path.join(rendererDir, 'index.html'), 'utf8');
  const entries = [...html.matchAll(/<script[^>]+type="module"[^>]+src="([^"]+)"/g)].map((m) => m[1]!);
  const preloads = [...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g)].map((m) => m[1]!);
  return [...entries, ...preloads];
}

describe('initial load of the built renderer', () => {
  it('loads at most 800 kB of JavaScript before the first page, and no chart library', () => {
    const scripts = initialScripts();
    expect(scripts.length).toBeGreaterThan(0);
    const files = scripts.map((s) => path.join(rendererDir, s));
    const bytes = files.reduce((sum, f) => sum + fs.statSync(f).size, 0);
    expect(bytes).toBeLessThanOrEqual(LIMIT_BYTES);
    // ECharts is drawn only on pages with charts: its core must not be in the initial scripts.
    for (const f of files) expect(fs.readFileSync(f, 'utf8')).not.toContain('renderToSVGString');
  });
});
