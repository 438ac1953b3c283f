import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

function packageVersion(name: string): string | null {
  try {
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    return null;
  }
}

/** The app's own package.json, found by walking up (source tree, build output or asar). */
function appPackage(): { version: string; productName: string; devDependencies?: Record<string, string> } {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
      if (pkg.name === 'sparkpolar-studio') return pkg;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return { version: '0.0.0', productName: 'SparkPolar Studio' };
    dir = parent;
  }
}

/** Versions of the app and the engines it drives, read from their installed packages. */
export function versions() {
  const app = appPackage();
  return {
    app: { name: app.productName, version: app.version },
    node: process.versions.node,
    electronDeclared: app.devDependencies?.electron ?? 'unknown',
    electronRunning: process.versions.electron ?? null,
    polars: packageVersion('nodejs-polars') ?? 'not installed',
  };
}
