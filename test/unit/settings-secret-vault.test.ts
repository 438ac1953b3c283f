/**
 * Main's secret vault (safeStorage): encrypted on disk when the OS offers real encryption; with no
 * encryption, or Linux's basic_text backend, nothing is written and secrets last one session.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../electron/engine/log';
import { HostSecretStore, type SecretRequestMessage } from '../../electron/engine/settings/host-secrets';
import { encryptionUsable, SecretVault } from '../../electron/main/secrets';
import { fakeSafeStorage } from '../support/fake-safe-storage';

const SECRET = 'dapi0123456789abcdef0123456789abcd';

function vault(options: { available?: boolean; backend?: string; platform?: NodeJS.Platform } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vault-'));
  const file = path.join(dir, 'secrets.json');
  const lines: string[] = [];
  const storage = fakeSafeStorage(options);
  const v = new SecretVault({
    safeStorage: storage,
    file,
    platform: options.platform ?? 'linux',
    log: createLogger((l) => lines.push(l), 'debug', 'main'),
  });
  return { v, file, dir, lines, storage };
}

describe('secret vault', () => {
  it('stores secrets encrypted, reads them back, and a new vault on the same file still has them', () => {
    const { v, file, storage, lines } = vault();
    expect(v.persistence()).toBe('encrypted');
    v.set('databricks.token', SECRET);
    const onDisk = fs.readFileSync(file, 'utf8');
    expect(onDisk).not.toContain(SECRET);
    expect(onDisk).not.toContain(Buffer.from(SECRET).toString('base64'));
    expect(v.get('databricks.token')).toBe(SECRET);
    const again = new SecretVault({ safeStorage: storage, file, platform: 'linux', log: createLogger(() => undefined) });
    expect(again.get('databricks.token')).toBe(SECRET);
    again.delete('databricks.token');
    expect(v.has('databricks.token')).toBe(false);
    expect(lines.join('\n')).not.toContain(SECRET);
  });

  for (const [what, options] of [
    ['encryption unavailable', { available: false }],
    ['the Linux basic_text backend', { available: true, backend: 'basic_text' }],
  ] as const) {
    it(`with ${what}, writes nothing, keeps secrets for the session, and says so in the log`, () => {
      const { v, dir, lines } = vault(options);
      expect(v.persistence()).toBe('session');
      v.set('storage.secretKey', SECRET);
      expect(v.get('storage.secretKey')).toBe(SECRET);
      expect(fs.readdirSync(dir)).toEqual([]);
      expect(lines.some((l) => l.includes('session only'))).toBe(true);
      expect(lines.join('\n')).not.toContain(SECRET);
    });
  }

  it('trusts basic_text-like backends only off Linux', () => {
    expect(encryptionUsable(fakeSafeStorage({ backend: 'basic_text' }), 'linux')).toBe(false);
    expect(encryptionUsable(fakeSafeStorage({ backend: 'kwallet6' }), 'linux')).toBe(true);
    expect(encryptionUsable(fakeSafeStorage({ backend: 'basic_text' }), 'darwin')).toBe(true);
    expect(encryptionUsable(fakeSafeStorage({ available: false }), 'win32')).toBe(false);
  });

  it('treats a secret it can no longer decrypt as missing', () => {
    const { v, file } = vault();
    v.set('database.password', 'pw');
    const other = new SecretVault({ safeStorage: fakeSafeStorage(), file, platform: 'linux', log: createLogger(() => undefined) });
    expect(other.get('database.password')).toBeNull();
  });

  it('answers the engine over the parentPort protocol, refusing malformed requests', async () => {
    const { v } = vault();
    // The engine side (HostSecretStore) talking to the vault through a message pipe.
    const toEngine = new Set<(m: unknown) => void>();
    const store = new HostSecretStore({
      post: (m: SecretRequestMessage) => queueMicrotask(() => toEngine.forEach((l) => l(structuredClone(v.answer(structuredClone(m)))))),
      onMessage: (l) => (toEngine.add(l), () => toEngine.delete(l)),
    });
    expect(await store.persistence()).toBe('encrypted');
    expect(await store.has('storage.secretKey')).toBe(false);
    await store.set('storage.secretKey', SECRET);
    expect(await store.get('storage.secretKey')).toBe(SECRET);
    expect(await store.source('storage.secretKey')).toBe('stored');
    await store.delete('storage.secretKey');
    expect(await store.get('storage.secretKey')).toBeNull();

    expect(v.answer({ type: 'secrets/request', id: 3, op: 'get', name: 'not-a-secret' })).toEqual({
      type: 'secrets/reply',
      id: 3,
      ok: false,
      error: 'invalid secret request',
    });
    expect(v.answer({ type: 'secrets/request', id: 4, op: 'set', name: 'storage.secretKey' })).toMatchObject({ ok: false });
    expect(v.answer('garbage')).toBeNull();
  });

  it('fails a request the host never answers with SECRETS_UNAVAILABLE', async () => {
    const store = new HostSecretStore({ post: () => undefined, onMessage: () => () => undefined }, 30);
    await expect(store.get('databricks.token')).rejects.toMatchObject({ code: 'SECRETS_UNAVAILABLE' });
  });
});
