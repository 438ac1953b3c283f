/**
 * The renderer's initial JavaScript: what the browser loads before the first paint. That is the
 * entry script of the built index.html, the modules it preloads, and every module those import
 * statically (followed here in the files themselves, so a static import the HTML does not preload
 * still counts). Dynamic `import()` chunks (pages, ECharts) load later and are left out.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface InitialScripts {
  /** Paths relative to the renderer folder, in the order found. */
  files: Array<{ file: string; bytes: number }>;
  bytes: number;
}

const ENTRY = /<script[^>]*\stype="module"[^>]*\ssrc="([^"]+)"/g;
const PRELOAD = /<link[^>]*\srel="modulepreload"[^>]*\shref="([^"]+)"/g;
/** `import … from "./x.js"`, `import "./x.js"` and `export … from "./x.js"`; never `import("./x.js")`. */
const STATIC_IMPORT = /\b(?:import|export)\s*(?:[\w$*{}\s,]*?\s*from\s*)?["'](\.{1,2}\/[^"']+\.m?js)["']/g;

export function initialScripts(rendererDir: string): InitialScripts {
  const html = fs.readFileSync(path.join(rendererDir, 'index.html'), 'utf8');
  const queue = [...html.matchAll(ENTRY), ...html.matchAll(PRELOAD)].map((m) => path.posix.normalize(m[1]!.replace(/^\//, '')));
  if (!queue.length) throw new Error(`${path.join(rendererDir, 'index.html')} loads no module script`);
  const seen = new Set<string>();
  const files: InitialScripts['files'] = [];
  while (queue.length) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const full = path.join(rendererDir, file);
    const source = fs.readFileSync(full, 'utf8');
    files.push({ file, bytes: fs.statSync(full).size });
    for (const m of source.matchAll(STATIC_IMPORT)) queue.push(path.posix.join(path.posix.dirname(file), m[1]!));
  }
  return { files, bytes: files.reduce((sum, f) => sum + f.bytes, 0) };
}
