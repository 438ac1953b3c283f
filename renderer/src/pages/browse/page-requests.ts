/** Which page requests of the grid are no longer worth finishing (usePagedRows cancels them). */

/** Pages beside the visible ones whose requests are kept when the grid scrolls on (the next scroll often comes back). */
export const KEEP_AROUND = 1;

/**
 * The pages asked for that the grid no longer needs once it shows pages `first`…`last`: those
 * more than KEEP_AROUND pages away. Page 0 is kept: its answer brings the view's total.
 */
export function pagesToAbandon(inflight: Iterable<number>, first: number, last: number): number[] {
  return [...inflight].filter((p) => p !== 0 && (p < first - KEEP_AROUND || p > last + KEEP_AROUND));
}

/** A request the grid cancelled itself: not an error to show. */
export const isCancelled = (error: unknown): boolean => (error as { code?: unknown } | null)?.code === 'CANCELLED';
