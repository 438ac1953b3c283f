/**
 * A secret from the environment goes only to the endpoint that same environment names: never to
 * a Databricks host, a storage endpoint or a database URL typed in the settings (nor to the
 * DEFAULT profile's host), and the settings view and doctor say why it is not used. Everything
 * runs through the real resolution (settings file, environment-backed secret store, the config
 * modules); the only stand-in is the environment object.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectionsInEffect, servicesStatus } from '../../electron/engine/connections';
import { silentLogger } from '../../electron/engine/log';
import { resolveDatabaseUrl } from '../../electron/engine/settings/database-url';
import { EnvBackedSecretStore } from '../../electron/engine/settings/secrets';
import { SettingsService } from '../../electron/engine/settings/service';
import { updateSettings } from '../../electron/engine/settings/update';
import { resolveDatabricksConfig } from '../../electron/engine/spark/config';
import { databricksSettings, describeDatabricks } from '../../electron/engine/spark/settings-adapter';
import { describeStorageConfig, resolveStorageConfig } from '../../electron/engine/storage/config';
import { settingsPatchSchema, type SettingsPatch } from '../../shared/contract/settings';

/** An engine's settings as the CLI and browser mode build them: the store answers from `env` too. */
function context(vars: NodeJS.ProcessEnv) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'env-secrets-'));
  const env = { HOME: home, ...vars };
  const secrets = new EnvBackedSecretStore(env);
  const ctx = { home, env, log: silentLogger, settings: new SettingsService({ home, log: silentLogger }, secrets) };
  const set = (p: SettingsPatch) => updateSettings(ctx.settings, settingsPatchSchema.parse(p));
  const resolve = async () => resolveDatabricksConfig({ settings: await databricksSettings(ctx), env });
  return { ctx, env, home, secrets, set, resolve };
}

describe('Databricks: the environment’s credentials and a host from the settings', () => {
  it('does not send DATABRICKS_TOKEN to the settings’ host, says so, and uses a token entered for that host', async () => {
    const { ctx, secrets, set, resolve } = context({ DATABRICKS_TOKEN: 'dapi-from-env' });
    // The store does hold the variable (the settings view marks it as from the environment)…
    expect(await secrets.get('databricks.token')).toBe('dapi-from-env');
    await set({ databricks: { host: 'https://typed-in-settings.example', auth: { kind: 'token' } } });
    // …but a run on the settings' host cannot take it.
    await expect(resolve()).rejects.toMatchObject({
      code: 'DATABRICKS_NOT_CONFIGURED',
      message: expect.stringContaining('DATABRICKS_TOKEN from the environment is not used with a host from the settings'),
    });
    const view = await describeDatabricks(ctx);
    expect(view).toMatchObject({ configured: false, problem: expect.stringContaining('environment names no DATABRICKS_HOST') });
    expect((await connectionsInEffect(ctx)).databricks).toMatchObject({
      configured: false,
      missing: [expect.stringContaining('DATABRICKS_TOKEN from the environment is not used')],
    });
    const doctor = await servicesStatus(ctx);
    expect(doctor.databricks).toMatchObject({ configured: false, problem: expect.stringContaining('DATABRICKS_TOKEN') });
    expect(JSON.stringify([view, doctor])).not.toContain('dapi-from-env');

    await set({ databricks: { auth: { kind: 'token', token: 'dapi-typed' } } });
    expect(await resolve()).toMatchObject({
      host: 'https://typed-in-settings.example',
      auth: { kind: 'token', token: 'dapi-typed' },
      source: 'settings',
    });
  });

  it('does not pair DATABRICKS_CLIENT_SECRET with a settings host and client id', async () => {
    const { ctx, set, resolve } = context({ DATABRICKS_CLIENT_SECRET: 'env-client-secret' });
    await set({ databricks: { host: 'https://typed-in-settings.example', auth: { kind: 'oauth', clientId: 'cid' } } });
    await expect(resolve()).rejects.toMatchObject({
      code: 'DATABRICKS_NOT_CONFIGURED',
      message: expect.stringMatching(/client secret.*DATABRICKS_CLIENT_SECRET from the environment is not used/),
    });
    expect(await describeDatabricks(ctx)).toMatchObject({ configured: false });
  });

  it('uses the environment’s token with the environment’s host, whatever host the settings hold', async () => {
    const { set, resolve } = context({ DATABRICKS_HOST: 'https://env-host.example', DATABRICKS_TOKEN: 'dapi-from-env' });
    await set({ databricks: { host: 'https://typed-in-settings.example', auth: { kind: 'token', token: 'dapi-typed' } } });
    expect(await resolve()).toMatchObject({
      host: 'https://env-host.example',
      auth: { kind: 'token', token: 'dapi-from-env' },
      source: 'environment',
    });
  });

  it('gives the DEFAULT profile’s host only its own credentials, unless the environment names that profile', async () => {
    const cfg = ['[DEFAULT]', 'host = https://default-profile.example', ''].join('\n');
    const plain = context({ DATABRICKS_TOKEN: 'dapi-from-env' });
    fs.writeFileSync(path.join(plain.home, '.databrickscfg'), cfg);
    await expect(plain.resolve()).rejects.toMatchObject({
      code: 'DATABRICKS_NOT_CONFIGURED',
      message: expect.stringContaining('DATABRICKS_TOKEN from the environment is not used with the host of profile DEFAULT'),
    });
    const named = context({ DATABRICKS_TOKEN: 'dapi-from-env', DATABRICKS_CONFIG_PROFILE: 'DEFAULT' });
    fs.writeFileSync(path.join(named.home, '.databrickscfg'), cfg);
    expect(await named.resolve()).toMatchObject({ host: 'https://default-profile.example', auth: { token: 'dapi-from-env' } });
  });
});

describe('object storage: MINIO_SECRET_KEY and an endpoint from the settings', () => {
  it('is not sent to the settings’ endpoint; the status says why the default stands in', async () => {
    const { ctx, set } = context({ MINIO_SECRET_KEY: 'env-minio-secret' });
    await set({ storage: { endpoint: 'http://127.0.0.1:9000', accessKey: 'ak', bucket: 'runs' } });
    const config = await resolveStorageConfig(ctx);
    expect(config).toMatchObject({ endpoint: 'http://127.0.0.1:9000', source: 'settings', secretKey: 'minioadmin' });
    const status = await describeStorageConfig(ctx);
    expect(status).toMatchObject({ configured: true, source: 'settings' });
    expect(status.missing).toEqual([
      expect.stringContaining('MINIO_SECRET_KEY from the environment is not used with the endpoint from settings'),
    ]);
    expect((await servicesStatus(ctx)).storage.missing).toEqual(status.missing);

    await set({ storage: { secretKey: 'typed-secret' } });
    expect(await resolveStorageConfig(ctx)).toMatchObject({ secretKey: 'typed-secret' });
    expect((await describeStorageConfig(ctx)).missing).toEqual([]);
  });

  it('goes with MINIO_ENDPOINT', async () => {
    const { ctx, set } = context({ MINIO_ENDPOINT: 'http://127.0.0.1:9100', MINIO_SECRET_KEY: 'env-minio-secret' });
    await set({ storage: { endpoint: 'http://127.0.0.1:9000', accessKey: 'ak', bucket: 'runs' } });
    expect(await resolveStorageConfig(ctx)).toMatchObject({ endpoint: 'http://127.0.0.1:9100', secretKey: 'env-minio-secret' });
  });
});

describe('database: PGPASSWORD and a URL from the settings', () => {
  it('is not written into the settings’ URL; a password entered in the app is', async () => {
    const { ctx, env, secrets, set } = context({ PGPASSWORD: 'env-pg-password' });
    await set({ database: { mode: 'url', url: 'postgres://analyst@db.typed.example:5432/app' } });
    const url = await resolveDatabaseUrl({ home: ctx.home, env, log: silentLogger, secrets });
    expect(url).toBe('postgres://analyst@db.typed.example:5432/app');
    await set({ database: { mode: 'url', url: 'postgres://analyst@db.typed.example:5432/app', password: 'typed-pw' } });
    expect(await resolveDatabaseUrl({ home: ctx.home, env, log: silentLogger, secrets })).toBe(
      'postgres://analyst:typed-pw@db.typed.example:5432/app',
    );
  });
});
