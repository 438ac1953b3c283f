/**
 * Window size and position across restarts (`<userData>/window-state.json`). A saved position is
 * only reused when it still lies on a connected display (a laptop undocked from its monitor must
 * not open its window off-screen).
 */
import fs from 'node:fs';
import { z } from 'zod';

const stateSchema = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().min(200).max(20000),
  height: z.number().int().min(200).max(20000),
  maximized: z.boolean().default(false),
  fullScreen: z.boolean().default(false),
});
export type WindowState = z.output<typeof stateSchema>;

export interface Area {
  x: number;
  y: number;
  width: number;
  height: number;
}

export function loadWindowState(file: string): WindowState | null {
  try {
    const parsed = stateSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function saveWindowState(file: string, state: WindowState): void {
  const temp = `${file}.tmp`;
  fs.writeFileSync(temp, JSON.stringify(state) + '\n');
  fs.renameSync(temp, file);
}

/**
 * The bounds to open with: the saved ones when at least a 100×50 piece of the title-bar area is on
 * a display's work area, the saved size centred by the OS otherwise, and nothing when no state.
 */
export function restoreBounds(
  state: WindowState | null,
  workAreas: Area[],
): { x?: number; y?: number; width: number; height: number } | null {
  if (!state) return null;
  const visible = workAreas.some((a) => {
    const overlapX = Math.min(state.x + state.width, a.x + a.width) - Math.max(state.x, a.x);
    const overlapY = Math.min(state.y + 50, a.y + a.height) - Math.max(state.y, a.y);
    return overlapX >= 100 && overlapY >= 50;
  });
  const largest = workAreas.reduce<Area | null>((best, a) => (!best || a.width * a.height > best.width * best.height ? a : best), null);
  const width = largest ? Math.min(state.width, largest.width) : state.width;
  const height = largest ? Math.min(state.height, largest.height) : state.height;
  return visible ? { x: state.x, y: state.y, width, height } : { width, height };
}

/** The part of BrowserWindow the tracker needs. */
export interface TrackedWindow {
  on(
    event: 'resize' | 'move' | 'close' | 'maximize' | 'unmaximize' | 'enter-full-screen' | 'leave-full-screen',
    listener: () => void,
  ): unknown;
  getNormalBounds(): Area;
  isMaximized(): boolean;
  isFullScreen(): boolean;
  isDestroyed(): boolean;
}

/** Saves the window's normal bounds (not the maximised ones) shortly after each change and on close. */
export function trackWindowState(win: TrackedWindow, file: string, onError?: (err: unknown) => void, delayMs = 500): () => void {
  let timer: NodeJS.Timeout | null = null;
  const save = () => {
    timer = null;
    if (win.isDestroyed()) return;
    const b = win.getNormalBounds();
    try {
      saveWindowState(file, {
        x: Math.round(b.x),
        y: Math.round(b.y),
        width: Math.round(b.width),
        height: Math.round(b.height),
        maximized: win.isMaximized(),
        fullScreen: win.isFullScreen(),
      });
    } catch (err) {
      onError?.(err);
    }
  };
  const later = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, delayMs);
  };
  for (const event of ['resize', 'move', 'maximize', 'unmaximize', 'enter-full-screen', 'leave-full-screen'] as const) win.on(event, later);
  win.on('close', () => {
    if (timer) clearTimeout(timer);
    save();
  });
  return () => {
    if (timer) clearTimeout(timer);
  };
}
