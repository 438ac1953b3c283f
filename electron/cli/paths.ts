/**
 * Where the CLI's neighbours are, from the source (`electron/cli/…`) or the compiled build
 * (`out/cli/…`) alike: found from the package root, not from this file's own depth.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | null = null;

/** The folder of the app's package.json (the checkout, or the installed package). */
export function packageRoot(): string {
  if (root) return root;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file) && (JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string }).name === 'sparkpolar-studio')
      return (root = dir);
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('sparkpolar: cannot find the package root (package.json of sparkpolar-studio)');
    dir = parent;
  }
}
