/**
 * The engine side of the wire protocol: validates each request against the contract, runs the
 * handler (as a job for job methods), and replies with data or error data. Every connected
 * channel receives every engine event.
 */
import { methods, type MethodName } from '../../../shared/api';
import type { AnyMethod } from '../../../shared/contract/define';
import { StudioError, toErrorData } from '../../../shared/errors';
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
    const offMessages = channel.onMessage((message) => {
      if (message.kind === 'request') void this.handle(channel, message);
    });
    return () => {
      offEvents();
      offMessages();
    };
  }

  async dispatch(method: string, params: unknown): Promise<unknown> {
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
    return handler(parsed.data);
  }

  private async handle(channel: Channel, message: Extract<WireMessage, { kind: 'request' }>): Promise<void> {
    let reply: WireMessage;
    try {
      reply = { kind: 'reply', id: message.id, data: await this.dispatch(message.method, message.params) };
    } catch (err) {
      const error = toErrorData(err);
      if (error.code === 'INTERNAL')
        this.log.error('request failed', { method: message.method, error: err instanceof Error ? err.stack : String(err) });
      reply = { kind: 'error', id: message.id, error };
    }
    try {
      channel.send(reply);
    } catch (err) {
      this.log.warn('reply could not be sent', { method: message.method, error: String(err) });
    }
  }
}
