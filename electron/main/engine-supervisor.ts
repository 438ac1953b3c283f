/**
 * Runs the engine utility process and keeps it running. For each window it creates a message
 * channel, gives one port to the engine and the other to the window, so requests go straight from
 * renderer to engine without passing through main. When the engine dies it logs why, restarts it
 * with backoff, hands every window a fresh port and tells it (`engine/restarted`).
 *
 * The fork function and the channel factory are injected: in the app they are
 * `utilityProcess.fork` and `new MessageChannelMain()`; the unit tests pass fakes.
 */
import type { HostEvent } from '../../shared/client';
import type { Logger } from '../engine/log';
import type { EngineToMain, MainToEngine } from '../engine/utility/protocol';

/** What the supervisor uses of Electron's UtilityProcess. */
export interface EngineChild<P> {
  readonly pid?: number | undefined;
  postMessage(message: MainToEngine, transfer?: P[]): void;
  on(event: 'exit', listener: (code: number) => void): unknown;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  kill(): boolean;
  readonly stderr?: NodeJS.ReadableStream | null;
  readonly stdout?: NodeJS.ReadableStream | null;
}

export interface PortPair<P> {
  port1: P;
  port2: P;
}

/** A window as the supervisor sees it. */
export interface WindowLink<P> {
  readonly id: number;
  /** Gives the renderer its end of a fresh channel (the preload listens for 'engine-port'). */
  sendPort(port: P): void;
  sendHostEvent(event: HostEvent): void;
  /** Tells the renderer at once that the engine is gone (its calls in flight will not be answered). */
  notifyDown?(reason: string): void;
  isDestroyed(): boolean;
}

export interface Scheduler {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

const realScheduler: Scheduler = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
  now: () => Date.now(),
};

export interface SupervisorOptions<P extends { close(): void }> {
  fork(): EngineChild<P>;
  createChannel(): PortPair<P>;
  log: Logger;
  /** Messages the engine sends to main (secret requests); `reply` posts back to the same engine. */
  onEngineMessage?(message: EngineToMain, reply: (message: MainToEngine) => void): void;
  /** First restart delay, doubled after each quick crash up to `maxDelayMs`. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** An engine that ran this long is healthy again: the next crash restarts after the initial delay. */
  stableAfterMs?: number;
  /** How long `stop()` waits for a clean exit before killing. */
  shutdownTimeoutMs?: number;
  scheduler?: Scheduler;
}

export type SupervisorState = 'idle' | 'running' | 'restarting' | 'stopping' | 'stopped';

/** A human reason for an exit code (the engine exits 70 after an uncaught exception). */
export function describeExit(code: number, detail?: string): string {
  let reason: string;
  if (code === 0) reason = 'the engine exited';
  else if (code === 70) reason = 'the engine hit an unexpected error';
  else if (code === 134 || code === 6) reason = 'the engine aborted';
  else if (code === 137 || code === 9) reason = 'the engine was killed (out of memory?)';
  else if (code === 139 || code === 11) reason = 'the engine crashed (segmentation fault)';
  else reason = `the engine stopped with exit code ${code}`;
  return detail ? `${reason}: ${detail}` : reason;
}

export class EngineSupervisor<P extends { close(): void }> {
  private child: EngineChild<P> | null = null;
  private readonly windows = new Map<number, WindowLink<P>>();
  private readonly enginePorts = new Map<number, P>();
  private state: SupervisorState = 'idle';
  private delay: number;
  private startedAt = 0;
  private restartTimer: unknown = null;
  private stderrTail: string[] = [];
  private fatalMessage: string | null = null;
  private stopped: Promise<void> | null = null;
  private resolveExit: (() => void) | null = null;
  private readonly scheduler: Scheduler;
  /** How many times the engine was restarted after dying. */
  restarts = 0;

  constructor(private readonly options: SupervisorOptions<P>) {
    this.delay = options.initialDelayMs ?? 500;
    this.scheduler = options.scheduler ?? realScheduler;
  }

  get status(): SupervisorState {
    return this.state;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    if (this.state !== 'idle') return;
    this.spawn();
  }

  /** Connects (or reconnects, after a page reload) a window to the engine. */
  connect(window: WindowLink<P>): void {
    this.windows.set(window.id, window);
    if (this.child && this.state === 'running') this.handOver(window);
  }

  /** Forgets a closed window and closes the engine's end of its channel. */
  disconnect(windowId: number): void {
    this.windows.delete(windowId);
    this.enginePorts.get(windowId)?.close();
    this.enginePorts.delete(windowId);
  }

  private handOver(window: WindowLink<P>): void {
    if (window.isDestroyed()) {
      this.disconnect(window.id);
      return;
    }
    const { port1, port2 } = this.options.createChannel();
    this.enginePorts.get(window.id)?.close();
    this.enginePorts.set(window.id, port1);
    this.child!.postMessage({ type: 'connect', windowId: window.id }, [port1]);
    window.sendPort(port2);
  }

  private spawn(): void {
    this.state = 'running';
    this.startedAt = this.scheduler.now();
    this.stderrTail = [];
    this.fatalMessage = null;
    this.enginePorts.clear();
    const child = this.options.fork();
    this.child = child;
    this.capture(child.stderr, true);
    this.capture(child.stdout, false);
    child.on('message', (message) => {
      if (this.child !== child) return;
      const m = message as EngineToMain;
      if (m && m.type === 'fatal') this.fatalMessage = m.message;
      if (m && m.type === 'ready') this.options.log.info('engine ready', { pid: m.pid });
      this.options.onEngineMessage?.(m, (reply) => {
        if (this.child === child) child.postMessage(reply);
      });
    });
    child.on('exit', (code) => this.onExit(child, code));
    this.options.log.info('engine forked', { pid: child.pid });
    for (const window of this.windows.values()) this.handOver(window);
  }

  private capture(stream: NodeJS.ReadableStream | null | undefined, keep: boolean): void {
    if (!stream) return;
    let partial = '';
    stream.on('data', (chunk: Buffer | string) => {
      if (!keep) return;
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      this.stderrTail.push(...lines.filter((l) => l.trim()));
      if (this.stderrTail.length > 20) this.stderrTail.splice(0, this.stderrTail.length - 20);
    });
  }

  private onExit(child: EngineChild<P>, code: number): void {
    if (this.child !== child) return;
    this.child = null;
    for (const port of this.enginePorts.values()) port.close();
    this.enginePorts.clear();
    if (this.state === 'stopping') {
      this.state = 'stopped';
      this.options.log.info('engine stopped', { code });
      this.resolveExit?.();
      return;
    }
    const lastLine = this.fatalMessage ?? this.stderrTail.at(-1);
    const reason = describeExit(code, lastLine);
    const ranFor = this.scheduler.now() - this.startedAt;
    if (ranFor >= (this.options.stableAfterMs ?? 30_000)) this.delay = this.options.initialDelayMs ?? 500;
    const wait = this.delay;
    this.delay = Math.min(this.delay * 2, this.options.maxDelayMs ?? 15_000);
    this.options.log.error('engine died; restarting', {
      code,
      reason,
      ranForMs: ranFor,
      restartInMs: wait,
      stderr: this.stderrTail.slice(-10),
    });
    this.state = 'restarting';
    for (const window of this.windows.values()) {
      if (!window.isDestroyed()) window.notifyDown?.(reason);
    }
    this.restartTimer = this.scheduler.setTimeout(() => {
      this.restartTimer = null;
      if (this.state !== 'restarting') return;
      this.restarts++;
      this.spawn();
      for (const window of this.windows.values()) {
        if (!window.isDestroyed()) window.sendHostEvent({ type: 'engine/restarted', reason });
      }
    }, wait);
  }

  /** Asks the engine to shut down cleanly (it stops the embedded PostgreSQL it started), then kills it if it lingers. */
  stop(): Promise<void> {
    if (this.stopped) return this.stopped;
    if (this.restartTimer) this.scheduler.clearTimeout(this.restartTimer);
    this.restartTimer = null;
    const child = this.child;
    if (!child) {
      this.state = 'stopped';
      this.stopped = Promise.resolve();
      return this.stopped;
    }
    this.state = 'stopping';
    this.stopped = new Promise<void>((resolve) => {
      this.resolveExit = resolve;
      const timer = this.scheduler.setTimeout(() => {
        this.options.log.warn('engine did not stop in time; killing it');
        child.kill();
      }, this.options.shutdownTimeoutMs ?? 10_000);
      const done = this.resolveExit;
      this.resolveExit = () => {
        this.scheduler.clearTimeout(timer);
        done();
      };
      child.postMessage({ type: 'shutdown' });
    });
    return this.stopped;
  }
}
