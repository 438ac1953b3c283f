import pg from 'pg';
import type { DatabaseTestResult, settingsMethods } from '../../../shared/contract/settings';
import { describeUrl, NoEnvironmentPasswordClient, pgError, urlHasPassword } from '../db/database';
import type { EngineBase } from '../base';
import type { DomainHandlers } from '../rpc/handlers';
import { settingsDatabaseUrl } from './database-url';
import type { SettingsService } from './service';
import { updateSettings } from './update';
import { buildView, type ConnectionsInEffect } from './view';

export interface SettingsHandlerContext extends EngineBase {
  settings: SettingsService;
  /** The storage and Databricks status the view shows, from the modules that use them. */
  connections: { inEffect(): Promise<ConnectionsInEffect> };
}

/**
 * Connects once, asks the server its version, disconnects. The URL comes from the settings form,
 * so without a password of its own it is tried with none, never with the process's PGPASSWORD.
 */
export async function testDatabaseUrl(url: string): Promise<DatabaseTestResult> {
  const location = describeUrl(url);
  const Client = urlHasPassword(url) ? pg.Client : NoEnvironmentPasswordClient;
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 8_000, query_timeout: 8_000 });
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

export function settingsHandlers(ctx: SettingsHandlerContext): DomainHandlers<typeof settingsMethods> {
  const view = async () => buildView(ctx, ctx.settings, await ctx.connections.inEffect());
  return {
    'settings/get': view,
    'settings/set': async (patch) => {
      await updateSettings(ctx.settings, patch);
      ctx.log.info('settings saved', { sections: Object.keys(patch) });
      return view();
    },
    'settings/test-database': async ({ url, password }) => {
      if (url) {
        const target = new URL(url);
        if (password !== undefined) target.password = encodeURIComponent(password);
        else if (!target.password) {
          // The same server as the saved settings: use the stored password.
          const saved = await settingsDatabaseUrl(ctx.settings);
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
