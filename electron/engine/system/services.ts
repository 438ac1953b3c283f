/**
 * Whether object storage and Databricks are configured, as the engine will really use them
 * (settings, secrets and environment variables through electron/engine/settings/effective.ts).
 * Never returns a secret.
 */
import type { SystemInfo } from '../../../shared/contract/system';
import { resolveDatabricks, resolveStorage } from '../settings/effective';
import type { SettingsContext } from '../settings/service';

export async function servicesStatus(ctx: SettingsContext): Promise<Pick<SystemInfo, 'storage' | 'databricks'>> {
  const [s, d] = await Promise.all([resolveStorage(ctx), resolveDatabricks(ctx)]);
  const storage: SystemInfo['storage'] = { configured: s.config !== null };
  if (s.summary.endpoint) storage.endpoint = s.summary.endpoint;
  if (s.summary.bucket) storage.bucket = s.summary.bucket;
  const databricks: SystemInfo['databricks'] = { configured: d.config !== null };
  if (d.summary.host) databricks.host = d.summary.host;
  if (d.config) databricks.auth = d.config.auth.kind === 'token' ? 'token' : 'oauth-m2m';
  if (d.source) databricks.source = d.source === 'profile' && d.config?.profile ? `profile ${d.config.profile}` : d.source;
  return { storage, databricks };
}
