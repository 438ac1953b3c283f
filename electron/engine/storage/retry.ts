/** Exponential backoff with full jitter, for transient storage failures; honours cancellation. */
import { cancelledError, throwIfCancelled } from '../../../shared/errors';
import type { RetryPolicy } from './config';
import { isTransient } from './errors';

export function backoffDelay(attempt: number, policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

/** Waits `ms`, or throws CANCELLED as soon as the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelledError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelledError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Runs `fn` until it succeeds, fails for good, or the attempts are spent; `onRetry` hears each wait. */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  options: { signal?: AbortSignal; onRetry?: (err: unknown, attempt: number, delayMs: number) => void } = {},
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    throwIfCancelled(options.signal);
    try {
      return await fn(attempt);
    } catch (err) {
      throwIfCancelled(options.signal);
      if (attempt + 1 >= policy.attempts || !isTransient(err)) throw err;
      const delay = backoffDelay(attempt, policy);
      options.onRetry?.(err, attempt + 1, delay);
      await sleep(delay, options.signal);
    }
  }
}
