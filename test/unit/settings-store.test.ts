import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../electron/engine/log';
import { CURRENT_VERSION, defaultSettings, settingsV2, upgrade } from '../../electron/engine/settings/schema';
import { EnvBackedSecretStore, MemorySecretStore } from '../../electron/engine/settings/secrets';
import { SettingsService } from '../../electron/engine/settings/service';
import { SETTINGS_FILE, SettingsStore } from '../../electron/engine/settings/store';
import { applyPatch, updateSettings } from '../../electron/engine/settings/update';
import { settingsPatchSchema } from '../../shared/contract/settings';

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'settings-'));
const patch = (p: unknown) => settingsPatchSchema.parse(p);

const v1Document = {
  version: 1,
  databaseUrl: 'postgres://analyst:p%40ss%3Aword@db.example:5433/crashes',
  minio: { endPoint: 'minio.example', port: 9000, useSSL: true, accessKey: 'AK1', bucket: 'results' },
  databricks: { host: 'https://adb-1.azuredatabricks.net', clusterId: '0101-abc', dbfsPath: '/FileStore/sparkpolar' },
};

describe('settings schema and migrations', () => {
  it('upgrades version 1 to the current version and moves the URL password out of the document', () => {
    const result = upgrade(v1Document);
    expect(result.kind).toBe('current');
    if (result.kind !== 'current') return;
    expect(result.migratedFrom).toBe(1);
    expect(result.settings.version).toBe(CURRENT_VERSION);
    expect(result.settings.database).toEqual({ mode: 'url', url: 'postgres://analyst@db.example:5433/crashes' });
    expect(result.secrets).toEqual({ 'database.password': 'p@ss:word' });
    expect(result.settings.storage).toEqual({
      endpoint: 'https://minio.example:9000',
      useTLS: true,
      region: 'us-east-1',
      accessKey: 'AK1',
      bucket: 'results',
      allowInsecureHttp: false,
    });
    expect(result.settings.databricks.compute).toEqual({ kind: 'cluster', clusterId: '0101-abc' });
    expect(result.settings.databricks.upload).toEqual({ kind: 'dbfs', path: '/FileStore/sparkpolar' });
    expect(JSON.stringify(result.settings)).not.toContain('p@ss');
  });

  it('fills a sparse current document with defaults and recognises a newer one', () => {
    const sparse = upgrade({ version: 2, storage: { endpoint: 'localhost:9000' } });
    expect(sparse.kind === 'current' && sparse.settings.storage.bucket).toBe('sparkpolar');
    expect(sparse.kind === 'current' && sparse.settings.database).toEqual({ mode: 'embedded' });
    expect(upgrade({ version: CURRENT_VERSION + 1 })).toEqual({ kind: 'newer', version: CURRENT_VERSION + 1 });
    expect(() => upgrade({ nothing: true })).toThrow();
    expect(() => upgrade({ version: 2, database: { mode: 'url', url: 'mysql://x' } })).toThrow();
  });

  it('defaults are a valid current document', () => {
    expect(settingsV2.parse(defaultSettings())).toEqual(defaultSettings());
  });
});

describe('settings file', () => {
  it('is migrated on disk once, with secrets handed to the secret store', async () => {
    const home = tempDir();
    fs.writeFileSync(path.join(home, SETTINGS_FILE), JSON.stringify(v1Document));
    const secrets = new MemorySecretStore();
    const service = new SettingsService({ home, log: silentLogger }, secrets);
    const settings = await service.settings();
    expect(settings.version).toBe(CURRENT_VERSION);
    expect(await secrets.get('database.password')).toBe('p@ss:word');
    const onDisk = fs.readFileSync(path.join(home, SETTINGS_FILE), 'utf8');
    expect(JSON.parse(onDisk).version).toBe(CURRENT_VERSION);
    expect(onDisk).not.toContain('p%40ss');
    expect(onDisk).not.toContain('p@ss');
  });

  it('sets an unreadable file aside instead of losing it, and starts from defaults', async () => {
    const home = tempDir();
    fs.writeFileSync(path.join(home, SETTINGS_FILE), '{ not json');
    const loaded = await new SettingsStore(home, silentLogger).load();
    expect(loaded.settings).toEqual(defaultSettings());
    const aside = fs.readdirSync(home).filter((f) => f.startsWith(`${SETTINGS_FILE}.unreadable-`));
    expect(aside).toHaveLength(1);
    expect(fs.readFileSync(path.join(home, aside[0]!), 'utf8')).toBe('{ not json');
  });

  it('leaves a file from a newer app untouched and refuses to overwrite it', async () => {
    const home = tempDir();
    const newer = JSON.stringify({ version: CURRENT_VERSION + 1, something: 'new' });
    fs.writeFileSync(path.join(home, SETTINGS_FILE), newer);
    const service = new SettingsService({ home, log: silentLogger }, new MemorySecretStore());
    await expect(updateSettings(service, patch({ storage: { bucket: 'x' } }))).rejects.toMatchObject({ code: 'SETTINGS_INVALID' });
    expect(fs.readFileSync(path.join(home, SETTINGS_FILE), 'utf8')).toBe(newer);
  });

  it('writes atomically with owner-only permissions and no temporary file left', async () => {
    const home = tempDir();
    const store = new SettingsStore(home, silentLogger);
    await store.save(defaultSettings());
    expect(fs.readdirSync(home)).toEqual([SETTINGS_FILE]);
    if (process.platform !== 'win32') expect(fs.statSync(store.file).mode & 0o777).toBe(0o600);
  });
});

describe('settings/set patches', () => {
  it('moves a password typed inside a database URL into the secret store', () => {
    const { next, secrets } = applyPatch(
      defaultSettings(),
      patch({ database: { mode: 'url', url: 'postgresql://me:s3cr%2Ft@h:5432/db' } }),
    );
    expect(next.database).toEqual({ mode: 'url', url: 'postgresql://me@h:5432/db' });
    expect(secrets.get('database.password')).toBe('s3cr/t');
  });

  it('keeps secrets that are not mentioned, forgets those set to null, and merges section fields', () => {
    const base = applyPatch(defaultSettings(), patch({ storage: { endpoint: 'localhost:9000', accessKey: 'A' } })).next;
    const { next, secrets } = applyPatch(base, patch({ storage: { bucket: 'b2', secretKey: null } }));
    expect(next.storage).toMatchObject({ endpoint: 'localhost:9000', accessKey: 'A', bucket: 'b2' });
    expect([...secrets]).toEqual([['storage.secretKey', null]]);
    expect(applyPatch(base, patch({ storage: { bucket: 'b3' } })).secrets.size).toBe(0);
  });

  it('switches Databricks authentication kinds with their own secrets', () => {
    const oauth = applyPatch(
      defaultSettings(),
      patch({ databricks: { host: 'adb.example', auth: { kind: 'oauth', clientId: 'cid', clientSecret: 'cs' } } }),
    );
    expect(oauth.next.databricks.auth).toEqual({ kind: 'oauth', clientId: 'cid' });
    // A new host: the old token is forgotten, the client secret entered with it is stored.
    expect(Object.fromEntries(oauth.secrets)).toEqual({ 'databricks.token': null, 'databricks.clientSecret': 'cs' });
    const profile = applyPatch(oauth.next, patch({ databricks: { auth: { kind: 'profile', name: 'prod' } } }));
    expect(profile.next.databricks).toMatchObject({ host: 'adb.example', auth: { kind: 'profile', name: 'prod' } });
  });

  it('rejects invalid values at the contract', () => {
    expect(settingsPatchSchema.safeParse({ database: { mode: 'url', url: 'mysql://x' } }).success).toBe(false);
    expect(settingsPatchSchema.safeParse({ databricks: { upload: { kind: 'volume', path: '/tmp/x' } } }).success).toBe(false);
    expect(
      settingsPatchSchema.safeParse({
        databricks: { compute: { kind: 'new-cluster', sparkVersion: '15.4.x', nodeType: 'i3', workers: -1 } },
      }).success,
    ).toBe(false);
    expect(settingsPatchSchema.safeParse({ storage: { secretKey: '' } }).success).toBe(false);
  });

  it('writes the secret before the file: a refused secret leaves the file as it was', async () => {
    const home = tempDir();
    const refusing = new MemorySecretStore();
    refusing.set = async () => {
      throw new Error('keyring locked');
    };
    const service = new SettingsService({ home, log: silentLogger }, refusing);
    await expect(updateSettings(service, patch({ storage: { endpoint: '127.0.0.1:1', secretKey: 'v' } }))).rejects.toThrow(
      'keyring locked',
    );
    expect(fs.existsSync(path.join(home, SETTINGS_FILE))).toBe(false);
  });
});

describe('environment-backed secret store', () => {
  it('answers from the session first, then the conventional variable, and never deletes the environment', async () => {
    const env = { MINIO_SECRET_KEY: 'from-env', DATABRICKS_TOKEN: 'dapi0123456789abcdef' };
    const store = new EnvBackedSecretStore(env);
    expect(await store.get('storage.secretKey')).toBe('from-env');
    expect(await store.source('storage.secretKey')).toBe('environment');
    await store.set('storage.secretKey', 'typed');
    expect(await store.get('storage.secretKey')).toBe('typed');
    expect(await store.source('storage.secretKey')).toBe('session');
    await store.delete('storage.secretKey');
    expect(await store.get('storage.secretKey')).toBe('from-env');
    expect(await store.has('databricks.clientSecret')).toBe(false);
    expect(await store.persistence()).toBe('session');
  });
});
