/**
 * The configuration status the settings view and doctor show comes from the modules that use it
 * (storage/config.ts for publishing, spark/config.ts for Spark runs), so the two can never
 * disagree; and the database URL order (command line, DATABASE_URL, settings).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../electron/engine/log';
import { resolveDatabaseUrl } from '../../electron/engine/settings/database-url';
import { MemorySecretStore } from '../../electron/engine/settings/secrets';
import { SettingsService } from '../../electron/engine/settings/service';
import { updateSettings } from '../../electron/engine/settings/update';
import { resolveDatabricksConfig } from '../../electron/engine/spark/config';
import { databricksSettings, databricksStatus, describeDatabricks } from '../../electron/engine/spark/settings-adapter';
import { describeStorageConfig, resolveStorageConfig } from '../../electron/engine/storage/config';
import { servicesStatus } from '../../electron/engine/connections';
import { settingsPatchSchema, type SettingsPatch } from '../../shared/contract/settings';

function context(env: NodeJS.ProcessEnv = {}, secrets = new MemorySecretStore()) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'status-'));
  const ctx = { home, env: { HOME: home, ...env }, log: silentLogger, settings: new SettingsService({ home, log: silentLogger }, secrets) };
  const set = (p: SettingsPatch) => updateSettings(ctx.settings, settingsPatchSchema.parse(p));
  return { ctx, home, set };
}

describe('object storage status', () => {
  it('is what publishing resolves: nothing, then the settings with the stored secret, and the environment over them', async () => {
    const { ctx, set } = context();
    expect(await describeStorageConfig(ctx)).toMatchObject({ configured: false, source: null });
    await expect(resolveStorageConfig(ctx)).rejects.toMatchObject({ code: 'S3_NOT_CONFIGURED' });
    await set({ storage: { endpoint: '127.0.0.1:9000', accessKey: 'minio', bucket: 'runs', secretKey: 'minio-secret' } });
    expect(await describeStorageConfig(ctx)).toMatchObject({
      configured: true,
      source: 'settings',
      endpoint: 'http://127.0.0.1:9000',
      bucket: 'runs',
      missing: [],
    });
    expect(await resolveStorageConfig(ctx)).toMatchObject({
      endpoint: 'http://127.0.0.1:9000',
      accessKey: 'minio',
      secretKey: 'minio-secret',
      bucket: 'runs',
      source: 'settings',
    });
    const status = JSON.stringify(await describeStorageConfig(ctx));
    expect(status).not.toContain('minio-secret');

    const env = context({ MINIO_ENDPOINT: 'https://s3.example', MINIO_ACCESS_KEY: 'ea', MINIO_SECRET_KEY: 'es', MINIO_BUCKET: 'envb' });
    await env.set({ storage: { endpoint: 'localhost:9000', accessKey: 'sa', bucket: 'sb', secretKey: 'ss' } });
    expect(await describeStorageConfig(env.ctx)).toMatchObject({
      configured: true,
      source: 'environment',
      endpoint: 'https://s3.example',
      bucket: 'envb',
    });
    expect(await resolveStorageConfig(env.ctx)).toMatchObject({
      port: 443,
      useTLS: true,
      accessKey: 'ea',
      secretKey: 'es',
      source: 'environment',
    });
  });

  it('says when the docker-compose credentials stand in for a missing secret, as publishing will use them', async () => {
    const { ctx, set } = context();
    await set({ storage: { endpoint: 'http://127.0.0.1:9000', bucket: 'runs' } });
    const status = await describeStorageConfig(ctx);
    expect(status.configured).toBe(true);
    expect(status.missing).toEqual(['accessKey (docker-compose default used)', 'secretKey (docker-compose default used)']);
    expect(await resolveStorageConfig(ctx)).toMatchObject({ accessKey: 'minioadmin', secretKey: 'minioadmin' });
  });
});

describe('Databricks status', () => {
  it('is what a Spark run resolves: settings with the stored token, a profile the settings name, the environment over both', async () => {
    const { ctx, home, set } = context();
    expect(databricksStatus(await describeDatabricks(ctx))).toMatchObject({
      configured: false,
      source: null,
      missing: [expect.stringContaining('host')],
    });
    await set({
      databricks: {
        host: 'adb-123.azuredatabricks.net/',
        auth: { kind: 'token', token: 'dapi-settings' },
        compute: { kind: 'cluster', clusterId: 'c-1' },
      },
    });
    expect(databricksStatus(await describeDatabricks(ctx))).toEqual({ configured: true, source: 'settings', missing: [] });
    expect(resolveDatabricksConfig({ settings: await databricksSettings(ctx), env: ctx.env })).toMatchObject({
      host: 'https://adb-123.azuredatabricks.net',
      auth: { kind: 'token', token: 'dapi-settings' },
      clusterId: 'c-1',
      source: 'settings',
    });
    expect(JSON.stringify(await servicesStatus(ctx))).not.toContain('dapi-settings');
    expect((await servicesStatus(ctx)).databricks).toEqual({
      configured: true,
      host: 'https://adb-123.azuredatabricks.net',
      auth: 'token',
      source: 'settings',
    });

    fs.writeFileSync(
      path.join(home, '.databrickscfg'),
      ['[prod]', 'host = https://prod.example', 'client_id = pid', 'client_secret = psec', ''].join('\n'),
    );
    await set({ databricks: { auth: { kind: 'profile', name: 'prod' } } });
    expect(databricksStatus(await describeDatabricks(ctx))).toEqual({ configured: true, source: 'profile', missing: [] });
    await set({ databricks: { auth: { kind: 'profile', name: 'missing' } } });
    expect(databricksStatus(await describeDatabricks(ctx))).toMatchObject({
      configured: false,
      missing: [expect.stringContaining('No profile "missing"')],
    });

    const env = context({
      DATABRICKS_HOST: 'https://env.cloud.databricks.com',
      DATABRICKS_CLIENT_ID: 'eid',
      DATABRICKS_CLIENT_SECRET: 'esec',
    });
    await env.set({ databricks: { host: 'settings.example', auth: { kind: 'token', token: 't' } } });
    expect(databricksStatus(await describeDatabricks(env.ctx))).toEqual({ configured: true, source: 'environment', missing: [] });
  });

  it('says what is missing for OAuth', async () => {
    const { ctx, set } = context();
    await set({ databricks: { host: 'h.example', auth: { kind: 'oauth', clientId: 'cid' } } });
    expect(databricksStatus(await describeDatabricks(ctx))).toMatchObject({
      configured: false,
      missing: [expect.stringContaining('client secret')],
    });
    await set({ databricks: { auth: { kind: 'oauth', clientId: 'cid', clientSecret: 'sec' } } });
    expect(databricksStatus(await describeDatabricks(ctx))).toEqual({ configured: true, source: 'settings', missing: [] });
  });
});

describe('database URL', () => {
  it('prefers the command line, then DATABASE_URL, then the settings with the stored password', async () => {
    const secrets = new MemorySecretStore();
    const { ctx, set } = context({}, secrets);
    expect(await resolveDatabaseUrl({ ...ctx, secrets })).toBeUndefined();
    await set({ database: { mode: 'url', url: 'postgres://me:pw%2F1@db.example:5432/app' } });
    expect(await resolveDatabaseUrl({ ...ctx, secrets })).toBe('postgres://me:pw%2F1@db.example:5432/app');
    expect(await resolveDatabaseUrl({ ...ctx, env: { DATABASE_URL: 'postgres://env/x' }, secrets })).toBe('postgres://env/x');
    expect(
      await resolveDatabaseUrl({ ...ctx, commandLineUrl: 'postgres://cli/x', env: { DATABASE_URL: 'postgres://env/x' }, secrets }),
    ).toBe('postgres://cli/x');
  });
});
