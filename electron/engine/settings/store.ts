/**
 * The settings file (`<data folder>/settings.json`): read, upgraded to the current version,
 * validated, written atomically. A file the app cannot read is set aside (never silently lost);
 * a file written by a newer app is left untouched and treated as read-only.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { SecretName } from '../../../shared/contract/settings';
import { StudioError } from '../../../shared/errors';
import type { Logger } from '../log';
import { CURRENT_VERSION, defaultSettings, settingsV2, upgrade, type Settings } from './schema';

export const SETTINGS_FILE = 'settings.json';

export interface LoadedSettings {
  settings: Settings;
  /** Set when the file was written by a newer version of the app: saving is refused. */
  readOnlyReason?: string;
  /** Secrets a migration found in an old file; the caller moves them to the secret store. */
  migratedSecrets: Partial<Record<SecretName, string>>;
}

export class SettingsStore {
  readonly file: string;

  constructor(
    home: string,
    private readonly log: Logger,
  ) {
    this.file = path.join(home, SETTINGS_FILE);
  }

  async load(): Promise<LoadedSettings> {
    let text: string;
    try {
      text = await fs.promises.readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { settings: defaultSettings(), migratedSecrets: {} };
      throw err;
    }
    let result: ReturnType<typeof upgrade>;
    try {
      result = upgrade(JSON.parse(text));
    } catch (err) {
      const aside = `${this.file}.unreadable-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      await fs.promises.rename(this.file, aside).catch(() => undefined);
      this.log.warn('settings file unreadable; set aside, defaults used', {
        file: aside,
        error: err instanceof Error ? err.message : String(err),
      });
      return { settings: defaultSettings(), migratedSecrets: {} };
    }
    if (result.kind === 'newer') {
      const reason = `The settings file was written by a newer version of SparkPolar Studio (schema ${result.version}, this app knows ${CURRENT_VERSION}).`;
      this.log.warn('settings file from a newer app; read-only', { version: result.version });
      return { settings: defaultSettings(), readOnlyReason: reason, migratedSecrets: {} };
    }
    if (result.migratedFrom !== null) {
      await this.save(result.settings);
      this.log.info('settings migrated', { from: result.migratedFrom, to: CURRENT_VERSION });
    }
    return { settings: result.settings, migratedSecrets: result.secrets };
  }

  /** Validates and writes the whole document through a temporary file and a rename. */
  async save(settings: Settings): Promise<void> {
    const parsed = settingsV2.safeParse(settings);
    if (!parsed.success) throw new StudioError('SETTINGS_INVALID', `Settings not saved: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    await fs.promises.mkdir(path.dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    await fs.promises.writeFile(temp, JSON.stringify(parsed.data, null, 2) + '\n', { mode: 0o600 });
    await fs.promises.rename(temp, this.file);
  }
}
