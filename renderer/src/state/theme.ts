/** Light / dark: follows the OS (prefers-color-scheme) until the user picks one. */
import { useEffect, useState, useSyncExternalStore } from 'react';

export type ThemeMode = 'system' | 'light' | 'dark';
const KEY = 'sparkpolar.theme';
const query = () => window.matchMedia('(prefers-color-scheme: dark)');

function subscribeSystem(callback: () => void) {
  const mq = query();
  mq.addEventListener('change', callback);
  return () => mq.removeEventListener('change', callback);
}

export function useTheme(): { mode: ThemeMode; dark: boolean; setMode: (mode: ThemeMode) => void } {
  const [mode, setModeState] = useState<ThemeMode>(() => {
    const saved = localStorage.getItem(KEY);
    return saved === 'light' || saved === 'dark' ? saved : 'system';
  });
  const systemDark = useSyncExternalStore(subscribeSystem, () => query().matches);
  const dark = mode === 'system' ? systemDark : mode === 'dark';
  useEffect(() => {
    document.documentElement.dataset.theme = dark ? 'dark' : 'light';
  }, [dark]);
  const setMode = (next: ThemeMode) => {
    if (next === 'system') localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, next);
    setModeState(next);
  };
  return { mode, dark, setMode };
}
