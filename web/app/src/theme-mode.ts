// Light or dark: the system's preference (prefers-color-scheme, followed as it changes) until the
// header's toggle chooses, and then that choice, remembered in this browser (localStorage). Either
// way the mode is the root element's data-theme, which styles.css reads.
import { useEffect, useState } from 'react';

export type ThemeMode = 'light' | 'dark';
const KEY = 'kubelog-theme';

function stored(): ThemeMode | null {
  try {
    const v = window.localStorage.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : null;
  } catch {
    // storage refused (a locked-down profile): the system's preference it is
    return null;
  }
}

const systemMode = (): ThemeMode => (window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');

const apply = (m: ThemeMode): void => {
  document.documentElement.dataset.theme = m;
};

/** Sets the mode on the page before it is first drawn (main.tsx). */
export function applyStoredTheme(): void {
  apply(stored() ?? systemMode());
}

/** The mode in effect, and a toggle that flips and remembers it. */
export function useThemeMode(): [ThemeMode, () => void] {
  const [mode, setMode] = useState<ThemeMode>(() => stored() ?? systemMode());
  useEffect(() => {
    // the system's preference changes (evening) while no choice is stored
    const mq = window.matchMedia?.('(prefers-color-scheme: dark)');
    const onChange = (): void => {
      if (stored()) return;
      apply(systemMode());
      setMode(systemMode());
    };
    mq?.addEventListener('change', onChange);
    return () => mq?.removeEventListener('change', onChange);
  }, []);
  const toggle = (): void => {
    const next: ThemeMode = mode === 'dark' ? 'light' : 'dark';
    apply(next);
    try {
      window.localStorage.setItem(KEY, next);
    } catch {
      // not remembered, but still applied
    }
    setMode(next);
  };
  return [mode, toggle];
}
