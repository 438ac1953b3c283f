/**
 * One retry loop for calls to remote services (object storage, Databricks): exponential backoff
 * with jitter, bounded by a number of attempts and by a total time budget, waiting what the server
 * asked (Retry-After) when it said, and stopping at once on cancel. Callers differ only in their
 * policy values and in what they call retryable.
 */
import { StudioError, throwIfCancelled } from '../../shared/errors';
import { realClock, type Clock } from './clock';

export interface RetryPolicy {
  /** Tries in all, the first included (Infinity: only the budget bounds them). */
  attempts: number;
  /** Total time one call may take with its waits (Infinity: only the attempts bound it). */
  budgetMs: number;
  /** The n-th wait (from 0) is drawn from the ceiling min(baseDelayMs·2ⁿ, maxDelayMs). */
  baseDelayMs: number;
  maxDelayMs: number;
  /**
   * `equal`: between half the ceiling and the ceiling (so many clients spread out);
   * `added`: the ceiling plus up to `baseDelayMs`.
   */
  jitter: 'equal' | 'added';
  /** Defaults to the real clock. */
  clock?: Clock;
  /** Defaults to Math.random. */
  random?: () => number;
}

/** What one failed attempt says about retrying: not at all, or after the server's hint when it gave one. */
export type RetryDecision = { retry: false } | { retry: true; afterMs?: number };

export type AttemptOutcome<T, E = unknown> = { ok: true; value: T } | { ok: false; error: E; decision: RetryDecision };

export interface RetryOptions<E = unknown> {
  signal?: AbortSignal | undefined;
  /** Hears each wait before it starts. */
  onRetry?: (info: { attempt: number; waitMs: number; error: E }) => void;
}

export function clockOf(policy: Pick<RetryPolicy, 'clock'>): Clock {
  return policy.clock ?? realClock;
}

/** The wait after failed attempt `n` (from 0) when the server gave no hint. */
export function backoffDelay(n: number, policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs' | 'jitter' | 'random'>): number {
  const random = policy.random ?? Math.random;
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** n);
  return policy.jitter === 'equal' ? Math.round(ceiling / 2 + random() * (ceiling / 2)) : ceiling + random() * policy.baseDelayMs;
}

/** `Retry-After` is seconds (or an HTTP date); returns ms or undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value.trim());
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * Runs `attempt` until it succeeds, fails without a retry decision, spends the attempts (its last
 * error is thrown as it is) or would pass the budget with its next wait (a StudioError then says
 * how many attempts were made, in its message and details). A cancel wins over any failure.
 */
export async function withRetries<T, E = unknown>(
  policy: RetryPolicy,
  attempt: (n: number) => Promise<AttemptOutcome<T, E>>,
  options: RetryOptions<E> = {},
): Promise<T> {
  const clock = clockOf(policy);
  const started = clock.now();
  for (let n = 0; ; n++) {
    throwIfCancelled(options.signal);
    const outcome = await attempt(n);
    if (outcome.ok) return outcome.value;
    throwIfCancelled(options.signal);
    const { error, decision } = outcome;
    if (!decision.retry || n + 1 >= policy.attempts) throw error;
    const waitMs = decision.afterMs ?? backoffDelay(n, policy);
    const elapsed = clock.now() - started;
    if (elapsed + waitMs > policy.budgetMs) throw outOfBudget(error, n + 1, elapsed);
    options.onRetry?.({ attempt: n + 1, waitMs, error });
    await clock.sleep(waitMs, options.signal);
  }
}

/** `withRetries` for a call that throws its failures: those `retryable` accepts are tried again. */
export function retryThrown<T>(
  policy: RetryPolicy,
  call: (n: number) => Promise<T>,
  retryable: (err: unknown) => boolean,
  options: RetryOptions = {},
): Promise<T> {
  return withRetries<T>(
    policy,
    async (n) => {
      try {
        return { ok: true, value: await call(n) };
      } catch (error) {
        return { ok: false, error, decision: { retry: retryable(error) } };
      }
    },
    options,
  );
}

function outOfBudget(error: unknown, attempts: number, elapsedMs: number): unknown {
  if (!(error instanceof StudioError)) return error;
  return new StudioError(error.code, `${error.message} (gave up after ${attempts} attempts in ${Math.round(elapsedMs / 1000)} s)`, {
    ...error.details,
    attempts,
  });
}
