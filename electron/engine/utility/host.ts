/**
 * The engine as an Electron utility process, written against minimal local types so it never
 * imports `electron`: main hands it MessagePorts (one per window), each becomes a wire Channel
 * attached to the one Engine; secrets are asked from main; `shutdown` closes everything cleanly.
 */
import type { Channel, WireMessage } from '../../../shared/rpc';
import { Engine, type EngineOptions } from '../engine';
import { createLogger, type Logger } from '../log';
import { createFileLogger } from '../logging/file-logger';
import { resolveDatabase } from '../settings/database-url';
import { HostSecretStore } from '../settings/host-secrets';
import { EnvBackedSecretStore } from '../settings/secrets';
import { parseEngineArgs, type EngineToMain, type MainToEngine } from './protocol';

/** What the engine needs of Electron's MessagePortMain. */
export interface MessagePortLike {
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  postMessage(message: unknown): void;
  start(): void;
  close(): void;
}

/** What the engine needs of `process.parentPort` (typed by Electron; reached without importing it). */
export interface ParentPortLike {
  on(event: 'message', listener: (event: { data: unknown; ports: MessagePortLike[] }) => void): unknown;
  postMessage(message: unknown): void;
}

/** A wire channel over a MessagePortMain. */
export function portChannel(port: MessagePortLike): Channel {
  const listeners = new Set<(m: WireMessage) => void>();
  const closeListeners = new Set<() => void>();
  port.on('message', (event) => listeners.forEach((l) => l(event.data as WireMessage)));
  port.on('close', () => closeListeners.forEach((l) => l()));
  return {
    send: (message) => port.postMessage(message),
    onMessage(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onClose(listener) {
      closeListeners.add(listener);
      return () => closeListeners.delete(listener);
    },
  };
}

export interface UtilityHostOptions {
  parentPort: ParentPortLike;
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  exit(code: number): void;
  createEngine?(options: EngineOptions): Engine;
  /** Overrides the logger (tests); otherwise a rotated file in the logs folder, or stderr. */
  log?: Logger;
}

export interface UtilityHost {
  /** Resolves with the engine once it is built (after `init` if argv had no home). */
  engine: Promise<Engine>;
  /** Number of windows currently attached. */
  connections(): number;
  shutdown(reason: string): Promise<void>;
}

export function runUtilityHost(options: UtilityHostOptions): UtilityHost {
  const { parentPort } = options;
  const post = (message: EngineToMain) => parentPort.postMessage(message);
  const messageListeners = new Set<(data: unknown) => void>();
  const attached = new Map<MessagePortLike, () => void>();
  const waitingPorts: { windowId: number; port: MessagePortLike }[] = [];
  let engine: Engine | null = null;
  let stopping: Promise<void> | null = null;
  let log: Logger = options.log ?? createLogger((line) => process.stderr.write(line + '\n'), 'info', 'engine');

  let resolveInit!: (args: { home: string; logsDir?: string }) => void;
  const init = new Promise<{ home: string; logsDir?: string }>((resolve) => (resolveInit = resolve));
  const args = parseEngineArgs(options.argv);
  if (args.home) resolveInit({ home: args.home, ...(args.logsDir ? { logsDir: args.logsDir } : {}) });

  const serve = (windowId: number, port: MessagePortLike) => {
    if (!engine) {
      waitingPorts.push({ windowId, port });
      return;
    }
    const detach = engine.attach(portChannel(port));
    attached.set(port, detach);
    port.on('close', () => {
      detach();
      attached.delete(port);
      log.info('window disconnected', { windowId });
    });
    port.start();
    log.info('window connected', { windowId });
  };

  // Registered before any await: Electron queues parent messages until a listener exists.
  parentPort.on('message', (event) => {
    const message = event.data as MainToEngine;
    messageListeners.forEach((l) => l(message));
    if (!message || typeof message !== 'object') return;
    if (message.type === 'connect') {
      for (const port of event.ports) serve(message.windowId, port);
    } else if (message.type === 'init') {
      resolveInit({ home: message.home, ...(message.logsDir ? { logsDir: message.logsDir } : {}) });
    } else if (message.type === 'shutdown') {
      void shutdown('asked by the app');
    }
  });

  const secrets = new EnvBackedSecretStore(
    options.env,
    new HostSecretStore({
      post: (message) => parentPort.postMessage(message),
      onMessage: (listener) => {
        messageListeners.add(listener);
        return () => messageListeners.delete(listener);
      },
    }),
  );

  const enginePromise = (async () => {
    const { home, logsDir } = await init;
    if (!options.log && logsDir) log = createFileLogger({ dir: logsDir, name: 'engine' });
    const database = await resolveDatabase({ home, env: options.env, log, secrets }).catch((err) => {
      log.warn('settings could not be read; using the embedded database', { error: err instanceof Error ? err.message : String(err) });
      return undefined;
    });
    const engineOptions: EngineOptions = {
      home,
      databaseUrl: database?.url,
      databaseUrlFromSettings: database?.fromSettings,
      host: 'electron',
      log,
      env: options.env,
      secrets,
      files: 'signed',
      retryQueueInBackground: true,
    };
    const built = options.createEngine ? options.createEngine(engineOptions) : new Engine(engineOptions);
    engine = built;
    log.info('engine started', { pid: process.pid, home, database: database ? 'external' : 'embedded' });
    post({ type: 'ready', pid: process.pid, home });
    for (const { windowId, port } of waitingPorts.splice(0)) serve(windowId, port);
    return built;
  })();
  enginePromise.catch((err) => {
    log.error('engine failed to start', { error: err instanceof Error ? err.stack : String(err) });
    post({ type: 'fatal', message: err instanceof Error ? err.message : String(err) });
    options.exit(1);
  });

  const shutdown = (reason: string): Promise<void> => {
    stopping ??= (async () => {
      log.info('engine stopping', { reason });
      for (const [port, detach] of attached) {
        detach();
        port.close();
      }
      attached.clear();
      for (const { port } of waitingPorts.splice(0)) port.close();
      try {
        if (engine) await engine.close();
        log.info('engine stopped', { reason });
        options.exit(0);
      } catch (err) {
        log.error('engine did not stop cleanly', { error: err instanceof Error ? err.message : String(err) });
        options.exit(1);
      }
    })();
    return stopping;
  };

  return { engine: enginePromise, connections: () => attached.size, shutdown };
}
