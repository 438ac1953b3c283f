/**
 * Whether object storage and Databricks are configured, as publishing and Spark runs will really
 * use them (each described by its own module). Never returns a secret.
 */
import type { SystemInfo } from '../../../shared/contract/system';
import type { SettingsContext } from '../settings/service';
import { describeDatabricks } from '../spark/settings-adapter';
import { describeStorageConfig } from '../storage/config';

export async function servicesStatus(ctx: SettingsContext): Promise<Pick<SystemInfo, 'storage' | 'databricks'>> {
  const [s, d] = await Promise.all([describeStorageConfig(ctx), describeDatabricks(ctx)]);
  const storage: SystemInfo['storage'] = { configured: s.configured };
  if (s.endpoint) storage.endpoint = s.endpoint;
  if (s.bucket) storage.bucket = s.bucket;
  const databricks: SystemInfo['databricks'] = { configured: d.configured };
  if (d.host) databricks.host = d.host;
  if (d.auth) databricks.auth = d.auth;
  if (d.source) databricks.source = d.source;
  return { storage, databricks };
}
