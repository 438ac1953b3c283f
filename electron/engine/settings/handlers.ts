import pg from 'pg';
import type { DatabaseTestResult, settingsMethods } from '../../../shared/contract/settings';
import { describeUrl, pgError } from '../db/database';
import type { EngineContext } from '../engine';
import type { DomainHandlers } from '../rpc/handlers';
import { settingsDatabaseUrl } from './database-url';
import { settingsFor } from './service';
import { updateSettings } from './update';
import { buildView } from './view';

/** Connects once, asks the server its version, disconnects. */
export async function testDatabaseUrl(url: string): Promise<DatabaseTestResult> {
  const location = describeUrl(url);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 8_000, query_timeout: 8_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const { rows } = await client.query<{ version: string }>('SELECT version() AS version');
    return { ok: true, serverVersion: rows[0]?.version ?? '', location };
  } catch (err) {
    const e = pgError(err);
    return { ok: false, location, error: { code: e.code, message: e.message } };
  } finally {
    await client.end().catch(() => undefined);
  }
}

export function settingsHandlers(ctx: EngineContext): DomainHandlers<typeof settingsMethods> {
  return {
    'settings/get': async () => buildView(ctx, settingsFor(ctx)),
    'settings/set': async (patch) => {
      const service = settingsFor(ctx);
      await updateSettings(service, patch);
      ctx.log.info('settings saved', { sections: Object.keys(patch) });
      return buildView(ctx, service);
    },
    'settings/test-database': async ({ url, password }) => {
      if (url) {
        const target = new URL(url);
        if (password !== undefined) target.password = encodeURIComponent(password);
        else if (!target.password) {
          // The same server as the saved settings: use the stored password.
          const saved = await settingsDatabaseUrl(settingsFor(ctx));
          if (saved) {
            const s = new URL(saved);
            if (s.host === target.host && s.username === target.username) target.password = s.password;
          }
        }
        return testDatabaseUrl(target.toString());
      }
      const info = await ctx.db.info();
      const result: DatabaseTestResult = { ok: info.serverVersion !== null, location: info.location };
      if (info.serverVersion) result.serverVersion = info.serverVersion;
      if (info.error) result.error = { code: 'PG_UNAVAILABLE', message: info.error };
      return result;
    },
  };
}
