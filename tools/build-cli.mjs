// Compiles the `sparkpolar` CLI (and the engine it runs in-process) to plain JavaScript in out/cli/,
// so the command starts without transpiling TypeScript. esbuild rather than the electron-vite build:
// it takes about a second, so `npm test` and a fresh checkout can build it every time.
// Dependencies stay in node_modules (packages: 'external'); each command's heavy modules are
// dynamic imports, which become their own chunks and load only when that command runs.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'out', 'cli');

fs.rmSync(outdir, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: { main: 'electron/cli/main.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22.12',
  packages: 'external',
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
});
// The sources this build was made from: bin/sparkpolar.js falls back to them when one is newer.
const inputs = Object.keys(result.metafile.inputs).filter((file) => !file.startsWith('node_modules/'));
fs.writeFileSync(path.join(outdir, 'inputs.json'), JSON.stringify({ builtAt: Date.now(), inputs }) + '\n');
