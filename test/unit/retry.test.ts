/**
 * The one retry module storage and Databricks calls share: each caller's behaviour is its policy
 * values (attempts or a time budget, the jitter) and what it calls retryable. Driven by a fake
 * clock: no test waits for a backoff.
 */
import { describe, expect, it } from 'vitest';
import { realClock } from '../../electron/engine/clock';
import {
  backoffDelay,
  parseRetryAfter,
  retryThrown,
  withRetries,
  type AttemptOutcome,
  type RetryPolicy,
} from '../../electron/engine/retry';
import { databricksRetryPolicy } from '../../electron/engine/spark/connect';
import { DEFAULT_RETRY } from '../../electron/engine/storage/config';
import { queuePolicy } from '../../electron/engine/storage/publisher';
import { StudioError } from '../../shared/errors';
import { fakeClock } from '../support/databricks-emulator/fake-clock';

const unavailable = () => new StudioError('DATABRICKS_UNAVAILABLE', 'HTTP 503', { status: 503 });

/** An attempt function that fails `failures` times with `decision`, then answers 'done'. */
function failing(failures: number, decision: { retry: true; afterMs?: number } | { retry: false }) {
  const calls: number[] = [];
  const attempt = async (n: number): Promise<AttemptOutcome<string, StudioError>> => {
    calls.push(n);
    return n < failures ? { ok: false, error: unavailable(), decision } : { ok: true, value: 'done' };
  };
  return { calls, attempt };
}

describe('backoff', () => {
  it('equal jitter stays between half the ceiling and the ceiling; added jitter adds up to the base', () => {
    for (let n = 0; n < 12; n++) {
      const ceiling = Math.min(5_000, 300 * 2 ** n);
      expect(backoffDelay(n, { ...DEFAULT_RETRY, random: () => 0 })).toBe(Math.round(ceiling / 2));
      expect(backoffDelay(n, { ...DEFAULT_RETRY, random: () => 1 })).toBe(ceiling);
      const spark = databricksRetryPolicy(fakeClock(), 60_000);
      const sparkCeiling = Math.min(30_000, 1000 * 2 ** n);
      expect(backoffDelay(n, { ...spark, random: () => 0 })).toBe(sparkCeiling);
      expect(backoffDelay(n, { ...spark, random: () => 0.5 })).toBe(sparkCeiling + 500);
    }
  });

  it('gives the publish queue its own longer steps from the environment', () => {
    const policy = queuePolicy({ SPARKPOLAR_PUBLISH_RETRY_BASE_MS: '1000', SPARKPOLAR_PUBLISH_RETRY_MAX_MS: '4000' });
    expect([0, 1, 2, 3].map((n) => backoffDelay(n, { ...policy, random: () => 1 }))).toEqual([1000, 2000, 4000, 4000]);
  });
});

describe('Retry-After', () => {
  it('reads seconds and HTTP dates, and ignores what it cannot read', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });

  it('waits exactly what the server asked instead of the backoff', async () => {
    const clock = fakeClock();
    const { calls, attempt } = failing(2, { retry: true, afterMs: 7000 });
    expect(await withRetries(databricksRetryPolicy(clock, 60_000), attempt)).toBe('done');
    expect(calls).toEqual([0, 1, 2]);
    expect(clock.sleeps).toEqual([7000, 7000]);
  });
});

describe('limits', () => {
  it('a time budget: gives up before a wait that would pass it, saying how many attempts were made', async () => {
    const clock = fakeClock();
    const { calls, attempt } = failing(100, { retry: true, afterMs: 30_000 });
    const err = await withRetries(databricksRetryPolicy(clock, 100_000), attempt).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StudioError);
    expect((err as StudioError).code).toBe('DATABRICKS_UNAVAILABLE');
    expect((err as StudioError).message).toContain('gave up after 4 attempts');
    expect((err as StudioError).details).toEqual({ status: 503, attempts: 4 });
    expect(calls).toHaveLength(4);
    expect(clock.sleeps).toEqual([30_000, 30_000, 30_000]);
  });

  it('a number of attempts: throws the last error as it is once they are spent', async () => {
    const clock = fakeClock();
    const errors: Error[] = [];
    const policy: RetryPolicy = { ...DEFAULT_RETRY, attempts: 3, clock };
    const err = await retryThrown(
      policy,
      async () => {
        errors.push(Object.assign(new Error(`reset ${errors.length}`), { code: 'ECONNRESET' }));
        throw errors.at(-1);
      },
      () => true,
    ).catch((e: unknown) => e);
    expect(err).toBe(errors[2]);
    expect(clock.sleeps).toHaveLength(2);
  });

  it('does not retry what the caller calls final, and tells each retry before its wait', async () => {
    const clock = fakeClock();
    const final = failing(5, { retry: false });
    await expect(withRetries(databricksRetryPolicy(clock, 60_000), final.attempt)).rejects.toMatchObject({
      code: 'DATABRICKS_UNAVAILABLE',
    });
    expect(final.calls).toEqual([0]);
    expect(clock.sleeps).toEqual([]);

    const heard: Array<{ attempt: number; waitMs: number }> = [];
    const twice = failing(2, { retry: true });
    await withRetries(databricksRetryPolicy(clock, 60_000), twice.attempt, {
      onRetry: ({ attempt, waitMs }) => heard.push({ attempt, waitMs }),
    });
    expect(heard.map((h) => h.attempt)).toEqual([1, 2]);
    expect(heard.map((h) => h.waitMs)).toEqual(clock.sleeps);
  });
});

describe('cancellation', () => {
  it('stops a wait at once with CANCELLED, and never starts an attempt after a cancel', async () => {
    const controller = new AbortController();
    let calls = 0;
    // The real clock, with a wait of a minute that the cancel cuts short.
    const policy: RetryPolicy = {
      attempts: 5,
      budgetMs: Infinity,
      baseDelayMs: 60_000,
      maxDelayMs: 60_000,
      jitter: 'equal',
      clock: realClock,
    };
    const running = retryThrown(
      policy,
      async () => {
        calls++;
        setImmediate(() => controller.abort());
        throw new Error('reset');
      },
      () => true,
      { signal: controller.signal },
    );
    await expect(running).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(calls).toBe(1);
    await expect(
      retryThrown(
        policy,
        async () => 'never',
        () => true,
        { signal: controller.signal },
      ),
    ).rejects.toMatchObject({
      code: 'CANCELLED',
    });
  });

  it('a cancel during an attempt wins over its failure', async () => {
    const controller = new AbortController();
    const err = await retryThrown(
      DEFAULT_RETRY,
      async () => {
        controller.abort();
        throw new Error('denied');
      },
      () => false,
      { signal: controller.signal },
    ).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CANCELLED' });
  });
});
