/**
 * Applies a `settings/set` patch: merges each section, moves every secret (including a password
 * typed inside a database URL) into the secret store, validates the whole document, then saves.
 */
import type { z } from 'zod';
import type { SecretName, settingsPatchSchema } from '../../../shared/contract/settings';
import { StudioError } from '../../../shared/errors';
import { checkCleartextEndpoint, databaseEndpoint, endpointOrigin } from './endpoints';
import { settingsV2, type Settings } from './schema';
import type { SettingsService } from './service';

type Patch = z.output<typeof settingsPatchSchema>;
/** A secret in a patch: a value stores it, null forgets it, undefined keeps it. */
type SecretChange = string | null | undefined;

export function applyPatch(current: Settings, patch: Patch): { next: Settings; secrets: Map<SecretName, string | null> } {
  const secrets = new Map<SecretName, string | null>();
  const change = (name: SecretName, value: SecretChange) => {
    if (value !== undefined) secrets.set(name, value);
  };
  const next: Settings = structuredClone(current);

  if (patch.database) {
    if (patch.database.mode === 'embedded') {
      next.database = { mode: 'embedded' };
      change('database.password', null);
    } else {
      const url = new URL(patch.database.url);
      const inUrl = url.password ? decodeURIComponent(url.password) : undefined;
      url.password = '';
      next.database = { mode: 'url', url: url.toString() };
      const before = current.database.mode === 'url' ? databaseEndpoint(current.database.url) : null;
      const moved = before === null || before !== databaseEndpoint(next.database.url);
      const entered = patch.database.password !== undefined ? patch.database.password : inUrl;
      change('database.password', entered !== undefined ? entered : moved ? null : undefined);
    }
  }

  if (patch.storage) {
    const { secretKey, ...fields } = patch.storage;
    next.storage = { ...next.storage, ...definedOnly(fields) };
    const origin = (s: Settings['storage']) => endpointOrigin(s.endpoint, s.useTLS ? 'https' : 'http');
    change('storage.secretKey', secretKey !== undefined ? secretKey : origin(current.storage) !== origin(next.storage) ? null : undefined);
  }

  if (patch.databricks) {
    const { auth, ...fields } = patch.databricks;
    next.databricks = { ...next.databricks, ...definedOnly(fields) };
    if (endpointOrigin(current.databricks.host, 'https') !== endpointOrigin(next.databricks.host, 'https')) {
      // Overridden below by a token or client secret entered in this same patch.
      change('databricks.token', null);
      change('databricks.clientSecret', null);
    }
    if (auth) {
      if (auth.kind === 'token') {
        next.databricks.auth = { kind: 'token' };
        change('databricks.token', auth.token);
      } else if (auth.kind === 'oauth') {
        next.databricks.auth = { kind: 'oauth', clientId: auth.clientId };
        change('databricks.clientSecret', auth.clientSecret);
      } else {
        next.databricks.auth = { kind: 'profile', name: auth.name };
      }
    }
  }

  const parsed = settingsV2.safeParse(next);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new StudioError('SETTINGS_INVALID', `Settings not saved: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  refuseCleartext(parsed.data);
  return { next: parsed.data, secrets };
}

/** Plain HTTP to another machine with credentials is refused at save time too, unless opted in. */
function refuseCleartext(settings: Settings): void {
  const storage = endpointOrigin(settings.storage.endpoint, settings.storage.useTLS ? 'https' : 'http');
  if (storage) checkCleartextEndpoint('The storage endpoint', storage, settings.storage.allowInsecureHttp);
  const databricks = settings.databricks.auth.kind === 'profile' ? null : endpointOrigin(settings.databricks.host, 'https');
  if (databricks) checkCleartextEndpoint('The Databricks host', databricks, settings.databricks.allowInsecureHttp);
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export async function updateSettings(service: SettingsService, patch: Patch): Promise<Settings> {
  const loaded = await service.load();
  if (loaded.readOnlyReason) throw new StudioError('SETTINGS_INVALID', `${loaded.readOnlyReason} Settings were not changed.`);
  const { next, secrets } = applyPatch(loaded.settings, patch);
  // Secrets first: if the store refuses one, the file is left as it was.
  for (const [name, value] of secrets) {
    if (value === null) await service.secrets.delete(name);
    else await service.secrets.set(name, value);
  }
  await service.store.save(next);
  return next;
}
