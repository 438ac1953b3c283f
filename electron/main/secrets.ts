/**
 * The desktop app's secrets (database password, S3 secret key, Databricks token or OAuth client
 * secret), encrypted with Electron's safeStorage in `<userData>/secrets.json`.
 *
 * Where the OS offers no real encryption (`isEncryptionAvailable()` false, or on Linux the
 * `basic_text` backend, which only obfuscates with a fixed key), nothing is written: secrets are
 * kept in memory for this session and the settings page says they will be asked for again.
 * The engine reaches this vault only through `answer()` (requests over process.parentPort).
 */
import fs from 'node:fs';
import type { SecretName, SecretPersistence } from '../../shared/contract/settings';
import type { Logger } from '../engine/log';
import { isSecretRequest, type SecretReplyMessage } from '../engine/utility/protocol';

/** What the vault uses of Electron's safeStorage. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  /** Linux only. */
  getSelectedStorageBackend?(): string;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

/** Linux backends that do not protect anything: `basic_text` uses a hard-coded key. */
const WEAK_LINUX_BACKENDS = new Set(['basic_text', 'unknown']);

export function encryptionUsable(safeStorage: SafeStorageLike, platform: NodeJS.Platform): boolean {
  if (!safeStorage.isEncryptionAvailable()) return false;
  if (platform === 'linux' && safeStorage.getSelectedStorageBackend && WEAK_LINUX_BACKENDS.has(safeStorage.getSelectedStorageBackend()))
    return false;
  return true;
}

interface VaultFile {
  version: 1;
  /** Base64 of safeStorage ciphertext. */
  secrets: Partial<Record<SecretName, string>>;
}

export class SecretVault {
  private readonly encrypted: boolean;
  private readonly session = new Map<SecretName, string>();

  constructor(private readonly options: { safeStorage: SafeStorageLike; file: string; platform: NodeJS.Platform; log: Logger }) {
    this.encrypted = encryptionUsable(options.safeStorage, options.platform);
    if (!this.encrypted) {
      const backend = options.safeStorage.getSelectedStorageBackend?.();
      options.log.warn('no OS encryption for secrets: they are kept in memory for this session only and never written', {
        backend: backend ?? 'none',
      });
    }
  }

  persistence(): SecretPersistence {
    return this.encrypted ? 'encrypted' : 'session';
  }

  private readFile(): VaultFile {
    try {
      const data = JSON.parse(fs.readFileSync(this.options.file, 'utf8')) as VaultFile;
      return data && data.version === 1 && typeof data.secrets === 'object' ? data : { version: 1, secrets: {} };
    } catch {
      return { version: 1, secrets: {} };
    }
  }

  private writeFile(data: VaultFile): void {
    const temp = `${this.options.file}.tmp`;
    fs.writeFileSync(temp, JSON.stringify(data, null, 2) + '\n', { mode: 0o600 });
    fs.renameSync(temp, this.options.file);
  }

  get(name: SecretName): string | null {
    if (!this.encrypted) return this.session.get(name) ?? null;
    const stored = this.readFile().secrets[name];
    if (!stored) return null;
    try {
      return this.options.safeStorage.decryptString(Buffer.from(stored, 'base64'));
    } catch (err) {
      this.options.log.warn('a stored secret could not be decrypted (OS key changed?); it must be entered again', {
        name,
        error: err instanceof Error ? err.message : String(err),
      });
      return null;
    }
  }

  set(name: SecretName, value: string): void {
    if (!this.encrypted) {
      this.session.set(name, value);
      return;
    }
    const data = this.readFile();
    data.secrets[name] = this.options.safeStorage.encryptString(value).toString('base64');
    this.writeFile(data);
  }

  has(name: SecretName): boolean {
    return this.get(name) !== null;
  }

  delete(name: SecretName): void {
    this.session.delete(name);
    if (!this.encrypted) return;
    const data = this.readFile();
    if (!(name in data.secrets)) return;
    delete data.secrets[name];
    this.writeFile(data);
  }

  /** Answers one request of the engine's HostSecretStore. Never throws; never logs a value. */
  answer(message: unknown): SecretReplyMessage | null {
    const id = (message as { id?: unknown } | null)?.id;
    if (!isSecretRequest(message))
      return typeof id === 'number' ? { type: 'secrets/reply', id, ok: false, error: 'invalid secret request' } : null;
    const reply: SecretReplyMessage = { type: 'secrets/reply', id: message.id, ok: true, persistence: this.persistence() };
    try {
      const name = message.name as SecretName;
      switch (message.op) {
        case 'persistence':
          break;
        case 'get':
          reply.value = this.get(name);
          break;
        case 'has':
          reply.value = this.has(name);
          break;
        case 'set':
          this.set(name, message.value as string);
          break;
        case 'delete':
          this.delete(name);
          break;
      }
    } catch (err) {
      this.options.log.error('secret store failed', {
        op: message.op,
        name: message.name,
        error: err instanceof Error ? err.message : String(err),
      });
      return { type: 'secrets/reply', id: message.id, ok: false, error: 'The secret store failed; see the log.' };
    }
    return reply;
  }
}
