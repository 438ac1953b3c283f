/** The settings store's Databricks section (electron/engine/settings) as the Spark side's settings object. */
import type { SettingsView } from '../../../shared/contract/settings';
import { settingsSecret } from '../settings/secrets';
import type { SettingsContext } from '../settings/service';
import { describeConfig, type DatabricksConfigView, type DatabricksSettings } from './config';

export async function databricksSettings(ctx: SettingsContext): Promise<DatabricksSettings | undefined> {
  const service = ctx.settings;
  const s = (await service.settings()).databricks;
  const out: DatabricksSettings = {};
  if (s.auth.kind === 'profile') out.profile = s.auth.name;
  else if (s.host) {
    out.host = s.host;
    if (s.auth.kind === 'token') out.token = (await settingsSecret(service.secrets, 'databricks.token')) ?? undefined;
    else {
      out.clientId = s.auth.clientId || undefined;
      out.clientSecret = (await settingsSecret(service.secrets, 'databricks.clientSecret')) ?? undefined;
    }
  }
  if (s.allowInsecureHttp) out.allowInsecureHttp = true;
  if (s.compute.kind === 'cluster') out.clusterId = s.compute.clusterId;
  if (s.upload.kind === 'volume') out.volume = s.upload.path;
  else {
    out.dbfsDir = s.upload.path;
    out.uploadTo = 'dbfs';
  }
  return out;
}

/** What a Spark run would connect with, described without secrets (settings view, doctor). */
export async function describeDatabricks(ctx: SettingsContext): Promise<DatabricksConfigView> {
  return describeConfig({ settings: await databricksSettings(ctx).catch(() => undefined), env: ctx.env });
}

/** The settings view's one-line status of the Databricks connection. */
export function databricksStatus(view: DatabricksConfigView): SettingsView['effective']['databricks'] {
  if (!view.configured) return { configured: false, source: null, missing: view.problem ? [view.problem] : [] };
  const source = view.source?.startsWith('environment') ? 'environment' : view.source?.startsWith('profile') ? 'profile' : 'settings';
  return { configured: true, source, missing: [] };
}
