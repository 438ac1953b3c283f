/**
 * The configuration other domains get from effectiveStorageConfig / effectiveDatabricksConfig:
 * settings plus secrets, environment variables winning, ~/.databrickscfg profiles read.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../electron/engine/log';
import {
  effectiveDatabricksConfig,
  effectiveStorageConfig,
  parseEndpoint,
  requireDatabricksConfig,
  requireStorageConfig,
  resolveDatabaseUrl,
  resolveStorage,
} from '../../electron/engine/settings/effective';
import { MemorySecretStore } from '../../electron/engine/settings/secrets';
import { settingsFor, useSecretStore } from '../../electron/engine/settings/service';
import { updateSettings } from '../../electron/engine/settings/update';
import { settingsPatchSchema, type SettingsPatch } from '../../shared/contract/settings';

function context(env: NodeJS.ProcessEnv = {}) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'effective-'));
  const ctx = { home, env: { HOME: home, ...env }, log: silentLogger };
  const set = (p: SettingsPatch) => updateSettings(settingsFor(ctx), settingsPatchSchema.parse(p));
  return { ctx, home, set };
}

describe('object storage configuration', () => {
  it('is absent until the settings are complete, then carries the secret from the store', async () => {
    const { ctx, set } = context();
    expect(await effectiveStorageConfig(ctx)).toBeNull();
    await set({ storage: { endpoint: '127.0.0.1:9000', accessKey: 'minio', bucket: 'runs' } });
    expect((await resolveStorage(ctx)).missing).toEqual(['storage.secretKey']);
    await expect(requireStorageConfig(ctx)).rejects.toMatchObject({ code: 'S3_NOT_CONFIGURED', message: expect.stringContaining('storage.secretKey') });
    await set({ storage: { secretKey: 'minio-secret' } });
    expect(await effectiveStorageConfig(ctx)).toEqual({
      endpoint: 'http://127.0.0.1:9000',
      host: '127.0.0.1',
      port: 9000,
      useTLS: false,
      region: 'us-east-1',
      accessKey: 'minio',
      secretKey: 'minio-secret',
      bucket: 'runs',
      source: 'settings',
    });
  });

  it('comes from MINIO_* variables when MINIO_ENDPOINT is set, over the settings', async () => {
    const { ctx, set } = context({ MINIO_ENDPOINT: 'https://s3.example', MINIO_ACCESS_KEY: 'ea', MINIO_SECRET_KEY: 'es', MINIO_BUCKET: 'envb' });
    await set({ storage: { endpoint: 'localhost:9000', accessKey: 'sa', bucket: 'sb', secretKey: 'ss' } });
    expect(await effectiveStorageConfig(ctx)).toMatchObject({ endpoint: 'https://s3.example', port: 443, useTLS: true, accessKey: 'ea', secretKey: 'es', bucket: 'envb', source: 'environment' });
  });

  it('takes TLS from the URL scheme when there is one, from the flag otherwise', () => {
    expect(parseEndpoint('minio:9000', true)).toEqual({ endpoint: 'https://minio:9000', host: 'minio', port: 9000, useTLS: true });
    expect(parseEndpoint('http://minio:9000/', true)).toEqual({ endpoint: 'http://minio:9000', host: 'minio', port: 9000, useTLS: false });
    expect(parseEndpoint('ftp://minio', false)).toBeNull();
    expect(parseEndpoint('', false)).toBeNull();
  });
});

describe('Databricks configuration', () => {
  it('uses the settings with a token from the secret store', async () => {
    const { ctx, set } = context();
    await set({ databricks: { host: 'adb-123.azuredatabricks.net/', auth: { kind: 'token', token: 'dapi-settings' }, compute: { kind: 'cluster', clusterId: 'c-1' } } });
    expect(await effectiveDatabricksConfig(ctx)).toEqual({
      host: 'https://adb-123.azuredatabricks.net',
      auth: { kind: 'token', token: 'dapi-settings' },
      compute: { kind: 'cluster', clusterId: 'c-1' },
      upload: { kind: 'volume', path: '/Volumes/main/default/sparkpolar' },
      source: 'settings',
    });
  });

  it('says what is missing for OAuth', async () => {
    const { ctx, set } = context();
    await set({ databricks: { host: 'h.example', auth: { kind: 'oauth', clientId: 'cid' } } });
    await expect(requireDatabricksConfig(ctx)).rejects.toMatchObject({ code: 'DATABRICKS_NOT_CONFIGURED', details: { missing: ['databricks.clientSecret'] } });
    await set({ databricks: { auth: { kind: 'oauth', clientId: 'cid', clientSecret: 'sec' } } });
    expect((await effectiveDatabricksConfig(ctx))?.auth).toEqual({ kind: 'oauth', clientId: 'cid', clientSecret: 'sec' });
  });

  it('lets DATABRICKS_* variables win, keeping compute and upload from the settings', async () => {
    const { ctx, set } = context({ DATABRICKS_HOST: 'https://env.cloud.databricks.com', DATABRICKS_CLIENT_ID: 'eid', DATABRICKS_CLIENT_SECRET: 'esec' });
    await set({ databricks: { host: 'settings.example', auth: { kind: 'token', token: 't' }, upload: { kind: 'dbfs', path: '/FileStore/x' } } });
    expect(await effectiveDatabricksConfig(ctx)).toMatchObject({
      host: 'https://env.cloud.databricks.com',
      auth: { kind: 'oauth', clientId: 'eid', clientSecret: 'esec' },
      upload: { kind: 'dbfs', path: '/FileStore/x' },
      source: 'environment',
    });
  });

  it('reads a ~/.databrickscfg profile named in the settings, or DEFAULT when nothing else is configured', async () => {
    const { ctx, home, set } = context();
    fs.writeFileSync(
      path.join(home, '.databrickscfg'),
      ['[DEFAULT]', 'host = https://default.example', 'token = dapi-default', '', '[prod]', 'host = https://prod.example', 'client_id = pid', 'client_secret = psec', 'cluster_id = prod-cluster', ''].join('\n'),
    );
    expect(await effectiveDatabricksConfig(ctx)).toMatchObject({ host: 'https://default.example', auth: { kind: 'token', token: 'dapi-default' }, source: 'profile', profile: 'DEFAULT' });
    await set({ databricks: { auth: { kind: 'profile', name: 'prod' } } });
    expect(await effectiveDatabricksConfig(ctx)).toMatchObject({
      host: 'https://prod.example',
      auth: { kind: 'oauth', clientId: 'pid', clientSecret: 'psec' },
      compute: { kind: 'cluster', clusterId: 'prod-cluster' },
      profile: 'prod',
    });
    await set({ databricks: { auth: { kind: 'profile', name: 'missing' } } });
    await expect(requireDatabricksConfig(ctx)).rejects.toMatchObject({ code: 'DATABRICKS_NOT_CONFIGURED' });
  });
});

describe('database URL', () => {
  it('prefers the command line, then DATABASE_URL, then the settings with the stored password', async () => {
    const { ctx, set } = context();
    const secrets = new MemorySecretStore();
    useSecretStore(ctx, secrets);
    expect(await resolveDatabaseUrl({ ...ctx, secrets })).toBeUndefined();
    await set({ database: { mode: 'url', url: 'postgres://me:pw%2F1@db.example:5432/app' } });
    expect(await resolveDatabaseUrl({ ...ctx, secrets })).toBe('postgres://me:pw%2F1@db.example:5432/app');
    expect(await resolveDatabaseUrl({ ...ctx, env: { DATABASE_URL: 'postgres://env/x' }, secrets })).toBe('postgres://env/x');
    expect(await resolveDatabaseUrl({ ...ctx, commandLineUrl: 'postgres://cli/x', env: { DATABASE_URL: 'postgres://env/x' }, secrets })).toBe('postgres://cli/x');
  });
});
