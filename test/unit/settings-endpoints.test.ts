/**
 * Secrets stay with the endpoint they were entered for: a changed database server, storage
 * endpoint or Databricks host forgets its secret unless it is entered again; a stored storage
 * secret is never used for another endpoint (environment or "Test connection"); plain HTTP to
 * another machine with credentials is refused unless the user opts in, at save time and where the
 * connection is resolved (settings, environment, profile).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../electron/engine/log';
import { isLoopbackHost } from '../../electron/engine/settings/endpoints';
import { defaultSettings, type Settings } from '../../electron/engine/settings/schema';
import { MemorySecretStore } from '../../electron/engine/settings/secrets';
import { SettingsService } from '../../electron/engine/settings/service';
import { applyPatch, updateSettings } from '../../electron/engine/settings/update';
import { resolveDatabricksConfig } from '../../electron/engine/spark/config';
import { configFromFields, fieldsToTest, resolveStorageConfig } from '../../electron/engine/storage/config';
import { settingsPatchSchema, type SettingsPatch } from '../../shared/contract/settings';
import { StudioError } from '../../shared/errors';

const patch = (p: SettingsPatch) => settingsPatchSchema.parse(p);
const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'endpoints-'));

function secretsAfter(current: Settings, p: SettingsPatch): Record<string, string | null> {
  return Object.fromEntries(applyPatch(current, patch(p)).secrets);
}

function refusal(fn: () => unknown): StudioError {
  try {
    fn();
  } catch (err) {
    if (err instanceof StudioError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('a secret follows no changed endpoint', () => {
  const withDatabase = applyPatch(defaultSettings(), patch({ database: { mode: 'url', url: 'postgres://ana:pw@db.example:5432/a' } })).next;
  const withStorage = applyPatch(defaultSettings(), patch({ storage: { endpoint: 'https://s3.example', secretKey: 'sk' } })).next;
  const withDatabricks = applyPatch(
    defaultSettings(),
    patch({ databricks: { host: 'https://adb-1.example', auth: { kind: 'token', token: 't' } } }),
  ).next;

  it('database: another server or user forgets the password; another database on the same server keeps it', () => {
    expect(secretsAfter(withDatabase, { database: { mode: 'url', url: 'postgres://ana@evil.example:5432/a' } })).toEqual({
      'database.password': null,
    });
    expect(secretsAfter(withDatabase, { database: { mode: 'url', url: 'postgres://ana@db.example:6543/a' } })).toEqual({
      'database.password': null,
    });
    expect(secretsAfter(withDatabase, { database: { mode: 'url', url: 'postgres://bob@db.example:5432/a' } })).toEqual({
      'database.password': null,
    });
    expect(secretsAfter(withDatabase, { database: { mode: 'url', url: 'postgres://ana@DB.example/other' } })).toEqual({});
    expect(secretsAfter(withDatabase, { database: { mode: 'url', url: 'postgres://ana@evil.example/a', password: 'new' } })).toEqual({
      'database.password': 'new',
    });
  });

  it('storage: another endpoint forgets the secret key unless entered with it; other fields keep it', () => {
    expect(secretsAfter(withStorage, { storage: { endpoint: 'https://other.example' } })).toEqual({ 'storage.secretKey': null });
    expect(secretsAfter(withStorage, { storage: { endpoint: 'https://other.example', secretKey: 'sk2' } })).toEqual({
      'storage.secretKey': 'sk2',
    });
    expect(secretsAfter(withStorage, { storage: { bucket: 'results', endpoint: 'https://S3.example:443' } })).toEqual({});
  });

  it('databricks: another host forgets the token and the client secret unless entered with it', () => {
    expect(secretsAfter(withDatabricks, { databricks: { host: 'https://adb-2.example' } })).toEqual({
      'databricks.token': null,
      'databricks.clientSecret': null,
    });
    expect(secretsAfter(withDatabricks, { databricks: { host: 'https://adb-2.example', auth: { kind: 'token', token: 't2' } } })).toEqual({
      'databricks.token': 't2',
      'databricks.clientSecret': null,
    });
    expect(secretsAfter(withDatabricks, { databricks: { compute: { kind: 'serverless' } } })).toEqual({});
  });

  it('through the service: the stored token is gone after a host change, so the new host never gets it', async () => {
    const secrets = new MemorySecretStore();
    const service = new SettingsService({ home: tempDir(), log: silentLogger }, secrets);
    await updateSettings(service, patch({ databricks: { host: 'https://adb-1.example', auth: { kind: 'token', token: 'dapi-real' } } }));
    expect(await secrets.get('databricks.token')).toBe('dapi-real');
    await updateSettings(service, patch({ databricks: { host: 'https://adb-typo.example' } }));
    expect(await secrets.get('databricks.token')).toBeNull();
  });

  it('storage: a stored secret is used neither for the environment’s other endpoint nor to test another endpoint', async () => {
    const home = tempDir();
    const secrets = new MemorySecretStore();
    const service = new SettingsService({ home, log: silentLogger }, secrets);
    await updateSettings(service, patch({ storage: { endpoint: 'http://127.0.0.1:9000', accessKey: 'ak', secretKey: 'stored-secret' } }));
    const ctxWith = (env: NodeJS.ProcessEnv) => ({ env, settings: service });
    const viaEnv = await resolveStorageConfig(ctxWith({ MINIO_ENDPOINT: 'http://127.0.0.2:9000' }));
    expect(viaEnv.secretKey).not.toBe('stored-secret');
    const sameViaEnv = await resolveStorageConfig(ctxWith({ MINIO_ENDPOINT: 'http://127.0.0.1:9000' }));
    expect(sameViaEnv.secretKey).toBe('stored-secret');

    const saved = { endpoint: 'http://127.0.0.1:9000', accessKey: 'ak', secretKey: 'stored-secret' };
    expect(fieldsToTest(saved, { endpoint: 'http://127.0.0.9:9000' }).secretKey).toBeUndefined();
    expect(fieldsToTest(saved, { bucket: 'other' }).secretKey).toBe('stored-secret');
    expect(fieldsToTest(saved, { endpoint: 'http://127.0.0.9:9000', secretKey: 'typed' }).secretKey).toBe('typed');
  });
});

describe('plain HTTP to another machine', () => {
  it('knows loopback addresses', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', 'api.localhost', '[::1]', '::1']) expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ['10.0.0.1', '128.0.0.1', 'localhost.example', '127.0.0.1.nip.io', '::2']) expect(isLoopbackHost(h), h).toBe(false);
  });

  it('is refused when saving storage or Databricks settings, unless opted in; loopback and https pass', () => {
    const s = defaultSettings();
    expect(refusal(() => applyPatch(s, patch({ storage: { endpoint: 'http://minio.lan:9000' } }))).code).toBe('SETTINGS_INVALID');
    expect(refusal(() => applyPatch(s, patch({ storage: { endpoint: 'minio.lan:9000' } }))).fix).toMatch(/allowInsecureHttp/);
    expect(applyPatch(s, patch({ storage: { endpoint: 'minio.lan:9000', allowInsecureHttp: true } })).next.storage.allowInsecureHttp).toBe(
      true,
    );
    expect(applyPatch(s, patch({ storage: { endpoint: 'https://minio.lan:9000' } })).next.storage.endpoint).toBe('https://minio.lan:9000');
    expect(applyPatch(s, patch({ storage: { endpoint: 'http://127.0.0.1:9000' } })).next.storage.endpoint).toBe('http://127.0.0.1:9000');
    const dbx = refusal(() => applyPatch(s, patch({ databricks: { host: 'http://adb.lan', auth: { kind: 'token', token: 't' } } })));
    expect(dbx.message).toMatch(/plain HTTP/);
    expect(applyPatch(s, patch({ databricks: { host: 'http://adb.lan', allowInsecureHttp: true } })).next.databricks.host).toBe(
      'http://adb.lan',
    );
    expect(applyPatch(s, patch({ databricks: { host: 'adb.lan' } })).next.databricks.host).toBe('adb.lan'); // https by default
  });

  it('is refused where the connection is resolved: environment, settings, given fields', () => {
    const noProfiles = { DATABRICKS_CONFIG_FILE: path.join(tempDir(), 'none.cfg') };
    const env = { ...noProfiles, DATABRICKS_HOST: 'http://adb.lan', DATABRICKS_TOKEN: 'dapi-x' };
    expect(refusal(() => resolveDatabricksConfig({ env })).code).toBe('SETTINGS_INVALID');
    expect(resolveDatabricksConfig({ env: { ...env, SPARKPOLAR_ALLOW_INSECURE_HTTP: '1' } }).host).toBe('http://adb.lan');
    expect(resolveDatabricksConfig({ env: { ...env, DATABRICKS_HOST: 'http://127.0.0.1:8123' } }).host).toBe('http://127.0.0.1:8123');
    const settings = { host: 'http://adb.lan', token: 't' };
    expect(refusal(() => resolveDatabricksConfig({ env: noProfiles, settings })).code).toBe('SETTINGS_INVALID');
    expect(resolveDatabricksConfig({ env: noProfiles, settings: { ...settings, allowInsecureHttp: true } }).auth).toEqual({
      kind: 'token',
      token: 't',
    });

    expect(refusal(() => configFromFields({ endpoint: 'http://minio.lan:9000' })).code).toBe('SETTINGS_INVALID');
    expect(configFromFields({ endpoint: 'http://minio.lan:9000', allowInsecureHttp: true }).endpoint).toBe('http://minio.lan:9000');
    expect(configFromFields({ endpoint: 'http://minio.lan:9000' }, { SPARKPOLAR_ALLOW_INSECURE_HTTP: '1' }).endpoint).toBe(
      'http://minio.lan:9000',
    );
    expect(configFromFields({ endpoint: 'https://minio.lan:9000' }).useTLS).toBe(true);
  });
});
