/**
 * The settings methods through a real engine, over the wire protocol, on a real PostgreSQL.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bridgeFromChannel, createClient, type StudioClient } from '../../shared/client';
import { channelPair } from '../../shared/rpc';
import { Engine } from '../../electron/engine/engine';
import { createLogger } from '../../electron/engine/log';
import { freshDatabaseUrl, tempHome } from '../support/pg';

const SECRETS = { s3: 'wJalrXUtnFEMI-K7MDENG-bPxRfiCY', token: 'dapi0f1e2d3c4b5a69788796a5b4c3d2e1f0', db: 'pg-Pass-42!' };

describe('settings through the engine', () => {
  let engine: Engine;
  let client: StudioClient;
  let home: string;
  let databaseUrl: string;
  const logLines: string[] = [];

  beforeAll(async () => {
    databaseUrl = await freshDatabaseUrl('settings');
    home = tempHome('settings');
    engine = new Engine({
      home,
      databaseUrl,
      host: 'test',
      log: createLogger((l) => logLines.push(l), 'debug'),
      env: { HOME: home },
      files: 'any',
      retryQueueInBackground: false,
    });
    const [a, b] = channelPair();
    engine.attach(a);
    client = createClient(bridgeFromChannel(b));
  });
  afterAll(() => engine.close());

  it('starts from defaults and says secrets last the session in this host', async () => {
    const view = await client.call('settings/get', {});
    expect(view.version).toBe(2);
    expect(view.database).toEqual({ mode: 'embedded' });
    expect(view.storage.secretKey).toEqual({ hasSecret: false });
    expect(view.secrets.persistence).toBe('session');
    expect(view.effective.database).toMatchObject({ mode: 'external', source: 'command line' });
    expect(view.effective.storage).toEqual({ configured: false, source: null, missing: ['endpoint'] });
    expect(view.effective.databricks).toMatchObject({ configured: false, source: null, missing: [expect.stringContaining('host')] });
    expect(view.file).toBe(path.join(home, 'settings.json'));
  });

  it('accepts secrets but only ever answers markers, and keeps them out of the file and the log', async () => {
    await client.call('settings/set', {
      storage: { endpoint: 'http://127.0.0.1:9000', accessKey: 'minioadmin', bucket: 'runs', secretKey: SECRETS.s3 },
      databricks: { host: 'adb-42.azuredatabricks.net', auth: { kind: 'token', token: SECRETS.token }, compute: { kind: 'serverless' } },
      database: { mode: 'url', url: `postgres://analyst:${encodeURIComponent(SECRETS.db)}@db.example:5432/crashes` },
    });
    const view = await client.call('settings/get', {});
    expect(view.storage).toMatchObject({
      endpoint: 'http://127.0.0.1:9000',
      accessKey: 'minioadmin',
      bucket: 'runs',
      secretKey: { hasSecret: true, source: 'session' },
    });
    expect(view.databricks.auth).toEqual({ kind: 'token', token: { hasSecret: true, source: 'session' } });
    expect(view.database).toEqual({
      mode: 'url',
      url: 'postgres://analyst@db.example:5432/crashes',
      password: { hasSecret: true, source: 'session' },
    });
    expect(view.effective.storage).toEqual({ configured: true, source: 'settings', missing: [] });
    expect(view.effective.databricks).toEqual({ configured: true, source: 'settings', missing: [] });

    const everything = [JSON.stringify(view), fs.readFileSync(view.file, 'utf8'), logLines.join('\n')].join('\n');
    for (const secret of [SECRETS.s3, SECRETS.token, SECRETS.db, encodeURIComponent(SECRETS.db)]) expect(everything).not.toContain(secret);
  });

  it('feeds doctor (system/info) with what is configured, without secrets', async () => {
    const info = await client.call('system/info', {});
    expect(info.storage).toEqual({ configured: true, endpoint: 'http://127.0.0.1:9000', bucket: 'runs' });
    expect(info.databricks).toEqual({ configured: true, host: 'https://adb-42.azuredatabricks.net', auth: 'token', source: 'settings' });
    expect(JSON.stringify(info)).not.toContain(SECRETS.token);
  });

  it('forgets a secret set to null (publishing then falls back to the docker-compose secret, and the view says so)', async () => {
    await client.call('settings/set', { storage: { secretKey: null } });
    const view = await client.call('settings/get', {});
    expect(view.storage.secretKey).toEqual({ hasSecret: false });
    expect(view.effective.storage).toEqual({ configured: true, source: 'settings', missing: ['secretKey (docker-compose default used)'] });
  });

  it('rejects an invalid patch at the door with the field named', async () => {
    await expect(client.call('settings/set', { storage: { useTLS: 'yes' as unknown as boolean } })).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      message: expect.stringContaining('storage.useTLS'),
    });
  });

  it('tests a database URL against the real server: right credentials, wrong password, nothing listening', async () => {
    const ok = await client.call('settings/test-database', { url: databaseUrl });
    expect(ok.ok).toBe(true);
    expect(ok.serverVersion).toMatch(/^PostgreSQL \d+/);

    const wrong = new URL(databaseUrl);
    wrong.password = 'definitely-wrong';
    const refused = await client.call('settings/test-database', { url: wrong.toString() });
    // The embedded server authenticates with scram-sha-256, so a wrong password is refused.
    expect(refused).toMatchObject({ ok: false, error: { code: 'PG_AUTH_FAILED' } });
    expect(refused.location).not.toContain('definitely-wrong');

    const closed = await client.call('settings/test-database', { url: 'postgres://nobody@127.0.0.1:1/none' });
    expect(closed).toMatchObject({ ok: false, error: { code: 'PG_UNAVAILABLE' } });

    const current = await client.call('settings/test-database', {});
    expect(current.ok).toBe(true);
    expect(current.serverVersion).toBe(ok.serverVersion);
  });
});
