/**
 * Whether object storage and Databricks are configured, as the engine will really use them
 * (settings, secrets and environment variables through electron/engine/settings/effective.ts).
 * Never returns a secret.
 */
import type { SystemInfo } from '../../../shared/contract/system';
import { resolveDatabricks } from '../settings/effective';
import { describeStorageConfig } from '../storage/config';
import type { SettingsContext } from '../settings/service';

export async function servicesStatus(ctx: SettingsContext): Promise<Pick<SystemInfo, 'storage' | 'databricks'>> {
  // Storage is described by the storage module itself, so doctor reports what publishing will use.
  const [s, d] = await Promise.all([describeStorageConfig(ctx), resolveDatabricks(ctx)]);
  const storage: SystemInfo['storage'] = { configured: s.configured };
  if (s.endpoint) storage.endpoint = s.endpoint;
  if (s.bucket) storage.bucket = s.bucket;
  const databricks: SystemInfo['databricks'] = { configured: d.config !== null };
  if (d.summary.host) databricks.host = d.summary.host;
  if (d.config) databricks.auth = d.config.auth.kind === 'token' ? 'token' : 'oauth-m2m';
  if (d.source) databricks.source = d.source === 'profile' && d.config?.profile ? `profile ${d.config.profile}` : d.source;
  return { storage, databricks };
}
