/**
 * The desktop app's secret store, seen from the engine: every operation is a message to Electron
 * main over `process.parentPort`, which answers from safeStorage (electron/main/secrets.ts).
 * The messages are plain objects so both sides type-check them without importing each other.
 */
import { StudioError } from '../../../shared/errors';
import type { SecretName, SecretPersistence, SecretSource } from '../../../shared/contract/settings';
import { isSecretName, type SecretStore } from './secrets';

export type SecretOp = 'persistence' | 'get' | 'set' | 'has' | 'delete';

export interface SecretRequestMessage {
  type: 'secrets/request';
  id: number;
  op: SecretOp;
  name?: SecretName;
  value?: string;
}

export interface SecretReplyMessage {
  type: 'secrets/reply';
  id: number;
  ok: boolean;
  value?: string | boolean | null;
  persistence?: SecretPersistence;
  error?: string;
}

export function isSecretRequest(message: unknown): message is SecretRequestMessage {
  const m = message as Partial<SecretRequestMessage> | null;
  return (
    !!m &&
    m.type === 'secrets/request' &&
    typeof m.id === 'number' &&
    (['persistence', 'get', 'set', 'has', 'delete'] as unknown[]).includes(m.op) &&
    (m.op === 'persistence' || isSecretName(m.name)) &&
    (m.op !== 'set' || typeof m.value === 'string')
  );
}

export function isSecretReply(message: unknown): message is SecretReplyMessage {
  const m = message as Partial<SecretReplyMessage> | null;
  return !!m && m.type === 'secrets/reply' && typeof m.id === 'number' && typeof m.ok === 'boolean';
}

export interface HostLink {
  post(message: SecretRequestMessage): void;
  onMessage(listener: (message: unknown) => void): () => void;
}

/** A SecretStore whose every call is answered by the host process. */
export class HostSecretStore implements SecretStore {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (m: SecretReplyMessage) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }
  >();

  constructor(
    private readonly link: HostLink,
    private readonly timeoutMs = 10_000,
  ) {
    link.onMessage((message) => {
      if (!isSecretReply(message)) return;
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      clearTimeout(waiter.timer);
      waiter.resolve(message);
    });
  }

  private ask(op: SecretOp, name?: SecretName, value?: string): Promise<SecretReplyMessage> {
    const id = this.nextId++;
    return new Promise<SecretReplyMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new StudioError('SECRETS_UNAVAILABLE', 'The app did not answer a request for a stored secret.'));
      }, this.timeoutMs);
      timer.unref?.();
      this.pending.set(id, { resolve, reject, timer });
      const message: SecretRequestMessage = { type: 'secrets/request', id, op };
      if (name) message.name = name;
      if (value !== undefined) message.value = value;
      this.link.post(message);
    }).then((reply) => {
      if (!reply.ok) throw new StudioError('SECRETS_UNAVAILABLE', reply.error ?? 'The secret store refused the request.');
      return reply;
    });
  }

  async persistence(): Promise<SecretPersistence> {
    return (await this.ask('persistence')).persistence ?? 'session';
  }
  async get(name: SecretName): Promise<string | null> {
    const v = (await this.ask('get', name)).value;
    return typeof v === 'string' ? v : null;
  }
  async set(name: SecretName, value: string): Promise<void> {
    await this.ask('set', name, value);
  }
  async has(name: SecretName): Promise<boolean> {
    return (await this.ask('has', name)).value === true;
  }
  async delete(name: SecretName): Promise<void> {
    await this.ask('delete', name);
  }
  async source(name: SecretName): Promise<SecretSource | null> {
    if (!(await this.has(name))) return null;
    return (await this.persistence()) === 'encrypted' ? 'stored' : 'session';
  }
}
