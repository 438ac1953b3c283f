/**
 * Time as retries, the Databricks client and the publish queue see it. Injectable so tests can
 * drive retries, token expiry and polling without waiting.
 */
import { cancelledError, StudioError } from '../../shared/errors';

export interface Clock {
  now(): number;
  /** Resolves after `ms`; rejects with CANCELLED when the signal aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(cancelled());
      const timer = setTimeout(
        () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        Math.max(0, ms),
      );
      const onAbort = () => {
        clearTimeout(timer);
        reject(cancelled());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

function cancelled(): StudioError {
  return cancelledError();
}
