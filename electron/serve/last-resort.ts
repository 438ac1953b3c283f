import type { Logger } from '../engine/log';

/**
 * The last resort of a long-running server: an error that escaped every handler is logged and the
 * server keeps answering, so no request can stop it (each handler already answers a bad request
 * with 400; this is for a defect not yet found).
 */
export function keepServingOnStrayErrors(proc: Pick<NodeJS.Process, 'on'>, log: Logger): void {
  proc.on('uncaughtException', (error) => log.error('serve: uncaught exception (still serving)', { error: error.stack ?? String(error) }));
  proc.on('unhandledRejection', (reason) =>
    log.error('serve: unhandled rejection (still serving)', {
      error: reason instanceof Error ? (reason.stack ?? reason.message) : String(reason),
    }),
  );
}
