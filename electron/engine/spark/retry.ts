/**
 * Retries for Databricks calls: 429 and 503 (honouring Retry-After), 502/504 and network errors,
 * with exponential backoff inside a total time budget (the official SDKs use about 5 minutes).
 */
import { StudioError, throwIfCancelled } from '../../../shared/errors';
import type { Clock } from './clock';

export interface RetryPolicy {
  clock: Clock;
  /** Total time allowed for one call including its waits. */
  budgetMs: number;
  /** Backoff base; the n-th wait without Retry-After is min(base·2ⁿ, maxDelayMs) plus jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  random?: () => number;
}

export const DEFAULT_RETRY_BUDGET_MS = 5 * 60_000;

export function defaultRetryPolicy(clock: Clock, budgetMs = DEFAULT_RETRY_BUDGET_MS): RetryPolicy {
  return { clock, budgetMs, baseDelayMs: 1000, maxDelayMs: 30_000 };
}

/** What one attempt says about retrying: not at all, or after the server's hint when it gave one. */
export type RetryDecision = { retry: false } | { retry: true; afterMs?: number };

export interface AttemptFailure {
  error: StudioError;
  decision: RetryDecision;
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
 * Runs `attempt` until it succeeds, fails without a retry decision, or the budget would be
 * exceeded by the next wait. The last error is thrown, with the number of attempts in its details.
 */
export async function withRetries<T>(
  policy: RetryPolicy,
  attempt: (n: number) => Promise<{ ok: true; value: T } | ({ ok: false } & AttemptFailure)>,
  signal?: AbortSignal,
  onRetry?: (info: { attempt: number; waitMs: number; error: StudioError }) => void,
): Promise<T> {
  const started = policy.clock.now();
  const random = policy.random ?? Math.random;
  for (let n = 0; ; n++) {
    throwIfCancelled(signal);
    const outcome = await attempt(n);
    if (outcome.ok) return outcome.value;
    const { error, decision } = outcome;
    if (!decision.retry) throw error;
    const backoff = Math.min(policy.baseDelayMs * 2 ** n, policy.maxDelayMs) + random() * policy.baseDelayMs;
    const waitMs = decision.afterMs ?? backoff;
    const elapsed = policy.clock.now() - started;
    if (elapsed + waitMs > policy.budgetMs) {
      throw new StudioError(error.code, `${error.message} (gave up after ${n + 1} attempts in ${Math.round(elapsed / 1000)} s)`, {
        ...error.details,
        attempts: n + 1,
      });
    }
    onRetry?.({ attempt: n + 1, waitMs, error });
    await policy.clock.sleep(waitMs, signal);
  }
}
