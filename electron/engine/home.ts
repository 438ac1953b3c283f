import os from 'node:os';
import path from 'node:path';

export const PRODUCT_NAME = 'SparkPolar Studio';

/**
 * The data folder shared by the desktop app and the CLI. It mirrors Electron's
 * `app.getPath('userData')` (appData + product name) so both find the same PostgreSQL.
 */
export function defaultHome(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.SPARKPOLAR_HOME) return path.resolve(env.SPARKPOLAR_HOME);
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', PRODUCT_NAME);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), PRODUCT_NAME);
}
