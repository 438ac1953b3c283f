/**
 * PGPASSWORD stays with a database the environment names: node-postgres completes a URL without a
 * password with the process's PGPASSWORD, so an engine whose URL came from the settings connects
 * with an empty password instead, while a URL from DATABASE_URL or the command line keeps the
 * libpq convention. The password sent is read by a stand-in server on 127.0.0.1 that asks for it in
 * clear text (as any server may), through the real resolution (settings file, resolveDatabase,
 * Engine, Database).
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../electron/engine/engine';
import { silentLogger } from '../../electron/engine/log';
import { resolveDatabase } from '../../electron/engine/settings/database-url';
import { testDatabaseUrl } from '../../electron/engine/settings/handlers';
import { EnvBackedSecretStore } from '../../electron/engine/settings/secrets';
import { SettingsService } from '../../electron/engine/settings/service';
import { updateSettings } from '../../electron/engine/settings/update';
import { settingsPatchSchema } from '../../shared/contract/settings';

const SSL_REQUEST = 80877103;

/** Answers every startup with AuthenticationCleartextPassword, records the password, then refuses it. */
function passwordCatcher(): Promise<{ port: number; passwords: string[]; close(): Promise<void> }> {
  const passwords: string[] = [];
  const server = net.createServer((socket) => {
    let buf = Buffer.alloc(0);
    let started = false;
    socket.on('error', () => undefined);
    socket.on('data', (data) => {
      buf = Buffer.concat([buf, data]);
      for (;;) {
        if (!started) {
          if (buf.length < 8) return;
          const length = buf.readInt32BE(0);
          if (buf.length < length) return;
          const code = buf.readInt32BE(4);
          buf = buf.subarray(length);
          if (code === SSL_REQUEST) {
            socket.write('N');
            continue;
          }
          started = true;
          const auth = Buffer.alloc(9);
          auth.write('R', 0);
          auth.writeInt32BE(8, 1);
          auth.writeInt32BE(3, 5); // cleartext password
          socket.write(auth);
          continue;
        }
        if (buf.length < 5) return;
        const length = buf.readInt32BE(1);
        if (buf.length < length + 1) return;
        if (buf[0] === 0x70) passwords.push(buf.subarray(5, length).toString('utf8').replace(/\0$/, ''));
        buf = buf.subarray(length + 1);
        const fields = Buffer.from('SFATAL\0C28P01\0Mpassword authentication failed\0\0');
        const error = Buffer.alloc(5);
        error.write('E', 0);
        error.writeInt32BE(4 + fields.length, 1);
        socket.end(Buffer.concat([error, fields]));
        return;
      }
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as net.AddressInfo).port,
        passwords,
        close: () => new Promise<void>((done) => server.close(() => done())),
      }),
    ),
  );
}

let catcher: Awaited<ReturnType<typeof passwordCatcher>>;
const saved = process.env.PGPASSWORD;
beforeAll(async () => {
  catcher = await passwordCatcher();
});
afterAll(async () => {
  await catcher?.close();
});
afterEach(() => {
  if (saved === undefined) delete process.env.PGPASSWORD;
  else process.env.PGPASSWORD = saved;
});

/** Starts an engine on what `resolveDatabase` chose and returns the password the server was sent. */
async function passwordSent(env: NodeJS.ProcessEnv, settingsUrl?: string): Promise<string | undefined> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'pgpassword-'));
  const secrets = new EnvBackedSecretStore(env);
  if (settingsUrl) {
    const service = new SettingsService({ home, log: silentLogger }, secrets);
    await updateSettings(service, settingsPatchSchema.parse({ database: { mode: 'url', url: settingsUrl } }));
  }
  const database = await resolveDatabase({ home, env, log: silentLogger, secrets });
  const engine = new Engine({
    home,
    databaseUrl: database?.url,
    databaseUrlFromSettings: database?.fromSettings,
    host: 'test',
    log: silentLogger,
    env,
    secrets,
    files: 'any',
    retryQueueInBackground: false,
  });
  const before = catcher.passwords.length;
  await expect(engine.ctx.db.pool()).rejects.toMatchObject({ code: 'PG_AUTH_FAILED' });
  await engine.close();
  return catcher.passwords.slice(before).at(-1);
}

describe('PGPASSWORD and the database URL', () => {
  it('is not sent to a database named in the settings', async () => {
    process.env.PGPASSWORD = 'env-pg-secret';
    const url = `postgres://analyst@127.0.0.1:${catcher.port}/app`;
    expect(await passwordSent({ PGPASSWORD: 'env-pg-secret' }, url)).toBe('');
  });

  it('is sent, as libpq does, to the database DATABASE_URL names', async () => {
    process.env.PGPASSWORD = 'env-pg-secret';
    const url = `postgres://analyst@127.0.0.1:${catcher.port}/app`;
    expect(await passwordSent({ PGPASSWORD: 'env-pg-secret', DATABASE_URL: url })).toBe('env-pg-secret');
  });

  it('is not sent by the settings form’s "Test connection" of a URL without a password', async () => {
    process.env.PGPASSWORD = 'env-pg-secret';
    const before = catcher.passwords.length;
    const result = await testDatabaseUrl(`postgres://analyst@127.0.0.1:${catcher.port}/app`);
    expect(result).toMatchObject({ ok: false, error: { code: 'PG_AUTH_FAILED' } });
    expect(catcher.passwords.slice(before)).toEqual(['']);
    await testDatabaseUrl(`postgres://analyst:typed@127.0.0.1:${catcher.port}/app`);
    expect(catcher.passwords.slice(before)).toEqual(['', 'typed']);
  });

  it('a password saved with the settings’ URL is the one sent', async () => {
    process.env.PGPASSWORD = 'env-pg-secret';
    const url = `postgres://analyst:typed-pw@127.0.0.1:${catcher.port}/app`;
    expect(await passwordSent({ PGPASSWORD: 'env-pg-secret' }, url)).toBe('typed-pw');
  });
});
