/**
 * One polite live region for the whole window: progress steps and job outcomes are read out by
 * screen readers without moving focus. It is always in the page, so announcements made the moment
 * a job starts are not lost (a region inserted with its text already in it is often not read).
 */
import { useSyncExternalStore } from 'react';

let message = '';
let sequence = 0;
const listeners = new Set<() => void>();

/** Says `text` once through the live region (the same text twice in a row is still said again). */
export function announce(text: string): void {
  sequence += 1;
  // A zero-width space alternates so that a repeated message is still a change to the region.
  message = sequence % 2 ? text : `${text}\u200b`;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function LiveRegion() {
  const text = useSyncExternalStore(subscribe, () => message);
  return (
    <div className="visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-testid="live-region">
      {text}
    </div>
  );
}
