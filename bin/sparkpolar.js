#!/usr/bin/env node
// The `sparkpolar` command. It runs the compiled CLI in out/cli/ (`npm run build:cli`, done by
// `npm run build` and `npm test`). A development checkout without that build, or whose sources
// changed since, runs the TypeScript through tsx instead, so it never runs stale code.
import fs from 'node:fs';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(`sparkpolar: Node.js >= 22.12 is required (this is ${process.versions.node}); see README "Requirements".\n`);
  process.exit(1);
}

const root = new URL('../', import.meta.url);
const compiled = new URL('out/cli/main.js', root);

/** True when out/cli was built from the sources as they are now (checked by modification time). */
function compiledIsCurrent() {
  let manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(new URL('out/cli/inputs.json', root), 'utf8'));
  } catch {
    return false;
  }
  for (const input of manifest.inputs) {
    const stat = fs.statSync(new URL(input, root), { throwIfNoEntry: false });
    if (!stat || stat.mtimeMs > manifest.builtAt) return false;
  }
  return true;
}

if (fs.existsSync(compiled) && compiledIsCurrent()) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('electron/cli/main.ts', root).href);
}
