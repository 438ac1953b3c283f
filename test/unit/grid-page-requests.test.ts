/** The grid cancels the page requests of pages scrolled far past, never page 0's (it brings the total). */
import { describe, expect, it } from 'vitest';
import { isCancelled, KEEP_AROUND, pagesToAbandon } from '../../renderer/src/pages/browse/page-requests';

describe('grid page requests', () => {
  it('abandons the pages more than KEEP_AROUND pages from the visible ones, on both sides', () => {
    expect(KEEP_AROUND).toBe(1);
    // Visible: pages 10–11; 9 and 12 are kept as neighbours.
    expect(pagesToAbandon([0, 3, 8, 9, 10, 11, 12, 13, 40], 10, 11).sort((a, b) => a - b)).toEqual([3, 8, 13, 40]);
    expect(pagesToAbandon([], 10, 11)).toEqual([]);
    expect(pagesToAbandon([0, 1, 2], 0, 0)).toEqual([2]);
  });

  it('tells its own cancellations from errors to show', () => {
    expect(isCancelled({ code: 'CANCELLED', message: 'Request cancelled.' })).toBe(true);
    expect(isCancelled({ code: 'PG_UNAVAILABLE' })).toBe(false);
    expect(isCancelled(null)).toBe(false);
  });
});
