/**
 * Stand-ins for the few Electron objects the desktop modules take as arguments, built on real
 * Node primitives where one exists: message channels are Node's own MessageChannel (real
 * structured clone, real close events), and the "utility process" runs the real engine entry
 * logic (runUtilityHost) in this process behind a parentPort-shaped pipe.
 */
import { EventEmitter } from 'node:events';
import type { EngineChild, PortPair, Scheduler } from '../../electron/main/engine-supervisor';
import type { MessagePortLike, ParentPortLike, UtilityHost } from '../../electron/engine/utility/host';
import type { MainToEngine } from '../../electron/engine/utility/protocol';

/** Node's MessagePort, seen as Electron's MessagePortMain (`on('message', e => e.data)`). */
export function asMainPort(port: MessagePort): MessagePortLike {
  return {
    on(event: 'message' | 'close', listener: ((e: { data: unknown }) => void) | (() => void)) {
      if (event === 'message')
        port.addEventListener('message', (e) => (listener as (e: { data: unknown }) => void)({ data: (e as MessageEvent).data }));
      else port.addEventListener('close', () => (listener as () => void)());
      return this;
    },
    postMessage: (m) => port.postMessage(m),
    start: () => port.start(),
    close: () => port.close(),
  };
}

export function nodeChannel(): PortPair<MessagePort> {
  const { port1, port2 } = new MessageChannel();
  return { port1, port2 };
}

/** A child whose behaviour the test drives: it records what main sends and exits on demand. */
export class FakeChild extends EventEmitter implements EngineChild<MessagePort> {
  static nextPid = 1000;
  readonly pid = FakeChild.nextPid++;
  readonly sent: { message: MainToEngine; ports: MessagePort[] }[] = [];
  readonly stderr = new EventEmitter() as unknown as NodeJS.ReadableStream;
  killed = false;

  postMessage(message: MainToEngine, transfer: MessagePort[] = []): void {
    this.sent.push({ message, ports: transfer });
  }
  kill(): boolean {
    this.killed = true;
    queueMicrotask(() => this.emit('exit', 137));
    return true;
  }
  exit(code: number): void {
    this.emit('exit', code);
  }
  writeStderr(text: string): void {
    (this.stderr as unknown as EventEmitter).emit('data', Buffer.from(text));
  }
}

/**
 * A "utility process" running runUtilityHost in-process: what main posts arrives on the host's
 * parentPort (ports converted to MessagePortMain shape); what the host posts comes out as the
 * child's 'message' events; the host's exit() becomes the child's 'exit'.
 */
export class InProcessEngineChild extends EventEmitter implements EngineChild<MessagePort> {
  static nextPid = 5000;
  readonly pid = InProcessEngineChild.nextPid++;
  readonly host: UtilityHost;
  exited = false;
  private readonly parentListeners: ((e: { data: unknown; ports: MessagePortLike[] }) => void)[] = [];

  constructor(start: (parentPort: ParentPortLike, exit: (code: number) => void) => UtilityHost) {
    super();
    const parentPort: ParentPortLike = {
      on: (_event, listener) => {
        this.parentListeners.push(listener);
        return parentPort;
      },
      postMessage: (message) => queueMicrotask(() => this.emit('message', structuredClone(message))),
    };
    this.host = start(parentPort, (code) => this.exit(code));
  }

  postMessage(message: MainToEngine, transfer: MessagePort[] = []): void {
    const copy = structuredClone(message);
    queueMicrotask(() => this.parentListeners.forEach((l) => l({ data: copy, ports: transfer.map(asMainPort) })));
  }
  kill(): boolean {
    this.exit(137);
    return true;
  }
  /** Simulates the process ending (crash or clean exit). */
  exit(code: number): void {
    if (this.exited) return;
    this.exited = true;
    queueMicrotask(() => this.emit('exit', code));
  }
}

/** Timers the test advances by hand. */
export class ManualScheduler implements Scheduler {
  private time = 0;
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private nextId = 1;
  now(): number {
    return this.time;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.push({ at: this.time + ms, fn, id });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }
  /** Moves the clock and runs every timer that falls due, in order. */
  advance(ms: number): void {
    const target = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.time = due.at;
      due.fn();
    }
    this.time = target;
  }
  pending(): number[] {
    return this.timers.map((t) => t.at - this.time);
  }
}

/** A logger that keeps its entries for assertions. */
export function memoryLogger() {
  const entries: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
  const at = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    void entries.push(fields ? { level, message, fields } : { level, message });
  return { entries, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
