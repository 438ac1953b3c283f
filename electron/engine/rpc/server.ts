/**
 * The engine side of the wire protocol: validates each request against the contract, runs the
 * handler (as a job for job methods), and replies with data or error data. Every connected
 * channel receives every engine event. A `cancel` for a request still running on the same
 * channel aborts its handler's signal and answers it CANCELLED at once, whatever the handler
 * does with the signal; a cancel for any other id is ignored.
 */
import { methods, type MethodName } from '../../../shared/api';
import type { AnyMethod } from '../../../shared/contract/define';
import { cancelledError, StudioError, toErrorData } from '../../../shared/errors';
import type { Channel, WireMessage } from '../../../shared/rpc';
import type { JobManager } from '../jobs/manager';
import type { Logger } from '../log';
import type { HandlerFor } from './handlers';

export type AllHandlers = { [M in MethodName]: HandlerFor<(typeof methods)[M]> };

export class RpcServer {
  constructor(
    private readonly handlers: AllHandlers,
    private readonly jobs: JobManager,
    private readonly log: Logger,
  ) {}

  /** Serves one channel until it closes; returns a function that detaches it. */
  attach(channel: Channel): () => void {
    const offEvents = this.jobs.onEvent((event) => {
      try {
        channel.send({ kind: 'event', event });
      } catch {
        // a closed channel; it will be detached by its host
      }
    });
    /** This channel's requests still running, by id: what a `cancel` aborts. */
    const running = new Map<number, AbortController>();
    const offMessages = channel.onMessage((message) => {
      if (message.kind === 'request') void this.handle(channel, message, running);
      else if (message.kind === 'cancel' && typeof message.id === 'number') running.get(message.id)?.abort();
    });
    return () => {
      offEvents();
      offMessages();
      // Nobody is left to read the answers: stop the work.
      for (const controller of running.values()) controller.abort();
      running.clear();
    };
  }

  async dispatch(method: string, params: unknown, signal: AbortSignal = new AbortController().signal): Promise<unknown> {
    // Own properties only: `constructor` or `__proto__` are not methods.
    const spec = Object.hasOwn(methods, method) ? (methods as Record<string, AnyMethod>)[method] : undefined;
    const handler = Object.hasOwn(this.handlers, method)
      ? (this.handlers as Record<string, (p: unknown, j?: unknown) => Promise<unknown>>)[method]
      : undefined;
    if (!spec || !handler) throw new StudioError('UNKNOWN_METHOD', `Unknown method: ${method}`);
    const parsed = spec.request.safeParse(params ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? issue.path.join('.') : 'request';
      throw new StudioError('INVALID_REQUEST', `${method}: ${where}: ${issue?.message ?? 'invalid'}`, {
        issues: parsed.error.issues.slice(0, 5) as unknown as Record<string, unknown>[],
      });
    }
    if (spec.kind === 'job') {
      const jobId = this.jobs.start(method, (ctx) => handler(parsed.data, ctx));
      return { jobId };
    }
    return handler(parsed.data, signal);
  }

  private async handle(
    channel: Channel,
    message: Extract<WireMessage, { kind: 'request' }>,
    running: Map<number, AbortController>,
  ): Promise<void> {
    let reply: WireMessage;
    const controller = new AbortController();
    // A client reusing an id it has not had answered yet gets the newer request cancelled by its cancel.
    running.set(message.id, controller);
    const cancelled = new Promise<never>((_, reject) =>
      controller.signal.addEventListener('abort', () => reject(cancelledError('Request cancelled.')), { once: true }),
    );
    cancelled.catch(() => undefined);
    try {
      const answer = this.dispatch(message.method, message.params, controller.signal);
      answer.catch(() => undefined); // after a cancel, the handler's own end is nobody's to hear
      const data = await Promise.race([answer, cancelled]);
      if (controller.signal.aborted) throw cancelledError('Request cancelled.');
      reply = { kind: 'reply', id: message.id, data };
    } catch (err) {
      const error = toErrorData(err);
      if (error.code === 'INTERNAL')
        this.log.error('request failed', { method: message.method, error: err instanceof Error ? err.stack : String(err) });
      reply = { kind: 'error', id: message.id, error };
    } finally {
      if (running.get(message.id) === controller) running.delete(message.id);
    }
    try {
      channel.send(reply);
    } catch (err) {
      this.log.warn('reply could not be sent', { method: message.method, error: String(err) });
    }
  }
}
