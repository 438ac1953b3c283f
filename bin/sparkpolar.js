#!/usr/bin/env node
// The `sparkpolar` command: runs the TypeScript CLI through tsx, so a checkout needs no build step.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(`sparkpolar: Node.js >= 22.12 is required (this is ${process.versions.node}); see README "Requirements".\n`);
  process.exit(1);
}
const { register } = await import('tsx/esm/api');
register();
await import('../electron/cli/main.ts');
