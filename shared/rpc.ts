/**
 * The wire protocol, the same over a MessagePort, a WebSocket or in-process:
 * requests carry an id; replies and errors echo it; events are pushed. A `cancel` names a
 * request the client no longer wants: the server aborts the signal it gave that request's
 * handler and answers it with a CANCELLED error at once (a cancel for an id that has been
 * answered, or never was, is ignored). A job is stopped by `job/cancel` instead.
 */
import type { ErrorData } from './errors';
import type { EngineEvent } from './contract/jobs';

export type WireMessage =
  | { kind: 'request'; id: number; method: string; params: unknown }
  | { kind: 'cancel'; id: number }
  | { kind: 'reply'; id: number; data: unknown }
  | { kind: 'error'; id: number; error: ErrorData }
  | { kind: 'event'; event: EngineEvent };

/** A two-way message pipe. Implementations: MessagePort, WebSocket, in-process pair. */
export interface Channel {
  send(message: WireMessage): void;
  onMessage(listener: (message: WireMessage) => void): () => void;
  /** Called when the other side goes away (engine died, socket closed). */
  onClose?(listener: () => void): () => void;
}

/** Creates two connected in-process channels (CLI, tests). Messages are structured-cloned. */
export function channelPair(): [Channel, Channel] {
  const listeners: [Set<(m: WireMessage) => void>, Set<(m: WireMessage) => void>] = [new Set(), new Set()];
  const make = (self: 0 | 1): Channel => ({
    send(message) {
      const copy = structuredClone(message);
      queueMicrotask(() => listeners[self === 0 ? 1 : 0].forEach((l) => l(copy)));
    },
    onMessage(listener) {
      listeners[self].add(listener);
      return () => listeners[self].delete(listener);
    },
  });
  return [make(0), make(1)];
}
