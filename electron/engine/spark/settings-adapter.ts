/** The settings store's Databricks section (electron/engine/settings) as the Spark side's settings object. */
import { settingsFor } from '../settings/service';
import type { EngineContext } from '../engine';
import type { DatabricksSettings } from './config';

export async function databricksSettings(ctx: EngineContext): Promise<DatabricksSettings | undefined> {
  const service = settingsFor(ctx);
  const s = (await service.settings()).databricks;
  const out: DatabricksSettings = {};
  if (s.auth.kind === 'profile') out.profile = s.auth.name;
  else if (s.host) {
    out.host = s.host;
    if (s.auth.kind === 'token') out.token = (await service.secrets.get('databricks.token')) ?? undefined;
    else {
      out.clientId = s.auth.clientId || undefined;
      out.clientSecret = (await service.secrets.get('databricks.clientSecret')) ?? undefined;
    }
  }
  if (s.compute.kind === 'cluster') out.clusterId = s.compute.clusterId;
  if (s.upload.kind === 'volume') out.volume = s.upload.path;
  else {
    out.dbfsDir = s.upload.path;
    out.uploadTo = 'dbfs';
  }
  return out;
}
