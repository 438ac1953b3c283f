/**
 * The desktop app's `window.studio`, built from injected pieces so it is tested without Electron.
 * Engine requests go over a MessagePort that main hands over ('engine-port'); after an engine
 * restart (or a page reload) a new port replaces the old one: calls made meanwhile wait for it,
 * calls in flight on the dead port fail with ENGINE_UNAVAILABLE, running jobs are reported failed,
 * and event listeners carry over. Errors cross the context bridge as plain error data (the bridge
 * keeps only an Error's message), which `StudioError.fromData` turns back into a StudioError.
 */
import { isJobMethod, type EngineEvent, type JobEvent } from '../../shared/api';
import { bridgeFromChannel, type StudioBridge } from '../../shared/client';
import { StudioError, toErrorData, type ErrorData } from '../../shared/errors';
import {
  HOST_CHANNELS,
  type ConnectionState,
  type HostChannel,
  type HostEvent,
  type HostInvokes,
  type SaveRequest,
} from '../../shared/host';
import type { Channel, WireMessage } from '../../shared/rpc';

/** What the preload uses of a DOM MessagePort. */
export interface PortLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'close', listener: () => void): void;
  start(): void;
  close(): void;
}

/** The host half of the desktop `window.studio` (a superset of StudioHost; see renderer/src/host/types.ts). */
export interface ElectronHost {
  kind: 'electron';
  /** A read capability for a dropped file (main checks it and signs it); null when it is not a local CSV. */
  pathForFile(file: unknown): Promise<string | null>;
  openCsvDialog(): Promise<string | null>;
  saveDialog(request: SaveRequest): Promise<string | null>;
  printReportToPdf(htmlPath: string): Promise<string | null>;
  showItemInFolder(path: string): void;
  onHostEvent(listener: (event: HostEvent) => void): () => void;
  onConnection(listener: (state: ConnectionState) => void): () => void;
  connectionState(): ConnectionState;
}

export interface ElectronStudio extends StudioBridge {
  host: ElectronHost;
}

export interface PreloadDeps {
  onPort(listener: (port: PortLike) => void): void;
  onEngineDown(listener: (reason: string) => void): void;
  onHostEvent(listener: (event: HostEvent) => void): void;
  invoke(channel: HostChannel, ...args: unknown[]): Promise<unknown>;
  getPathForFile(file: unknown): string;
}

/** A wire channel over a DOM MessagePort, closable by its owner. */
export function domPortChannel(port: PortLike): Channel & { closeNow(): void } {
  const listeners = new Set<(m: WireMessage) => void>();
  const closeListeners = new Set<() => void>();
  let closed = false;
  const closeNow = () => {
    if (closed) return;
    closed = true;
    closeListeners.forEach((l) => l());
    port.close();
  };
  port.addEventListener('message', (event) => listeners.forEach((l) => l(event.data as WireMessage)));
  port.addEventListener('close', closeNow);
  port.start();
  return {
    send(message) {
      if (closed) throw new StudioError('ENGINE_UNAVAILABLE', 'The engine connection closed.');
      port.postMessage(message);
    },
    onMessage(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onClose(listener) {
      closeListeners.add(listener);
      return () => closeListeners.delete(listener);
    },
    closeNow,
  };
}

/** Plain error data that survives contextBridge (which drops an Error's custom fields). */
export function crossableError(err: unknown): ErrorData & { name: 'StudioError' } {
  return { name: 'StudioError', ...toErrorData(err) };
}

const BUFFERED_HOST_EVENTS = 20;

export function createElectronStudio(deps: PreloadDeps): ElectronStudio {
  let current: { channel: ReturnType<typeof domPortChannel>; bridge: ReturnType<typeof bridgeFromChannel> } | null = null;
  const waiters: ((bridge: StudioBridge) => void)[] = [];
  let state: ConnectionState = 'connecting';
  const eventListeners = new Set<(event: EngineEvent) => void>();
  const connectionListeners = new Set<(state: ConnectionState) => void>();
  const hostListeners = new Set<(event: HostEvent) => void>();
  const hostBacklog: HostEvent[] = [];
  const runningJobs = new Map<string, string>();

  const setState = (next: ConnectionState) => {
    if (next === state) return;
    state = next;
    connectionListeners.forEach((l) => l(next));
  };
  const emit = (event: EngineEvent) => {
    if (event.type === 'job/done' || event.type === 'job/failed') runningJobs.delete((event as JobEvent).jobId);
    eventListeners.forEach((l) => l(event));
  };

  const dropConnection = (reason: string) => {
    if (current) {
      current.channel.closeNow();
      current.bridge.dispose();
      current = null;
    }
    // The jobs of a dead engine will never report again: say so instead of leaving pages waiting.
    for (const [jobId, method] of runningJobs) {
      emit({
        type: 'job/failed',
        jobId,
        method,
        error: { code: 'ENGINE_UNAVAILABLE', message: `The engine stopped (${reason}).`, fix: 'The engine restarted; retry the action.' },
      });
    }
    runningJobs.clear();
  };

  deps.onPort((port) => {
    // Calls in flight on the old port fail (its bridge rejects its pending calls when it closes).
    dropConnection('the engine connection was replaced');
    const channel = domPortChannel(port);
    const bridge = bridgeFromChannel(channel);
    bridge.onEvent(emit);
    current = { channel, bridge };
    setState('connected');
    for (const w of waiters.splice(0)) w(bridge);
  });

  deps.onEngineDown((reason) => {
    dropConnection(reason);
    setState('disconnected');
  });

  deps.onHostEvent((event) => {
    if (hostListeners.size) hostListeners.forEach((l) => l(event));
    else if (hostBacklog.push(event) > BUFFERED_HOST_EVENTS) hostBacklog.shift();
  });

  const ready = (): Promise<StudioBridge> => (current ? Promise.resolve(current.bridge) : new Promise((resolve) => waiters.push(resolve)));

  const invoke = async <C extends HostChannel>(channel: C, ...args: HostInvokes[C]['args']): Promise<HostInvokes[C]['result']> => {
    try {
      return (await deps.invoke(channel, ...args)) as HostInvokes[C]['result'];
    } catch (err) {
      throw crossableError(err);
    }
  };

  return {
    async call(method, params, options) {
      try {
        const bridge = await ready();
        const reply = await bridge.call(method, params, options);
        if (isJobMethod(method)) runningJobs.set((reply as { jobId: string }).jobId, method);
        return reply;
      } catch (err) {
        throw crossableError(err);
      }
    },
    onEvent(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    host: {
      kind: 'electron',
      async pathForFile(file) {
        let path: string;
        try {
          path = deps.getPathForFile(file);
        } catch {
          return null;
        }
        return path ? invoke(HOST_CHANNELS.grantDroppedFile, path).catch(() => null) : null;
      },
      openCsvDialog: () => invoke(HOST_CHANNELS.openCsvDialog),
      saveDialog: (request) => invoke(HOST_CHANNELS.saveDialog, request),
      printReportToPdf: (htmlPath) => invoke(HOST_CHANNELS.printReportToPdf, htmlPath),
      showItemInFolder: (path) => void invoke(HOST_CHANNELS.showItemInFolder, path).catch(() => undefined),
      onHostEvent(listener) {
        hostListeners.add(listener);
        for (const event of hostBacklog.splice(0)) listener(event);
        return () => hostListeners.delete(listener);
      },
      onConnection(listener) {
        connectionListeners.add(listener);
        return () => connectionListeners.delete(listener);
      },
      connectionState: () => state,
    },
  };
}
