/**
 * Where the built pieces are, relative to the built main entry (`out/main/index.js`, also inside
 * the packaged app.asar), and where the app keeps its files in the user-data folder.
 */
import path from 'node:path';
import { logsDir } from '../engine/logging/file-logger';

export interface BuiltPaths {
  engine: string;
  preload: string;
  rendererDir: string;
  /** The window icon (Linux and Windows; macOS uses the bundle's icns). */
  icon: string;
}

export function builtPaths(mainDir: string, options: { isPackaged: boolean; resourcesPath: string }): BuiltPaths {
  return {
    engine: path.join(mainDir, 'engine.js'),
    preload: path.join(mainDir, '..', 'preload', 'index.cjs'),
    rendererDir: path.join(mainDir, '..', 'renderer'),
    icon: options.isPackaged
      ? path.join(options.resourcesPath, 'icons', '512x512.png')
      : path.join(mainDir, '..', '..', 'resources', 'icons', 'png', '512x512.png'),
  };
}

export interface UserPaths {
  /** Data folder shared with the CLI: embedded PostgreSQL, settings, snapshots. */
  home: string;
  logs: string;
  windowState: string;
  recentFiles: string;
  secrets: string;
}

export function userPaths(userData: string, env: NodeJS.ProcessEnv): UserPaths {
  return {
    home: env.SPARKPOLAR_HOME ? path.resolve(env.SPARKPOLAR_HOME) : userData,
    logs: logsDir(userData),
    windowState: path.join(userData, 'window-state.json'),
    recentFiles: path.join(userData, 'recent-files.json'),
    secrets: path.join(userData, 'secrets.json'),
  };
}
