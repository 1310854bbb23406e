import { createContext } from 'react';
import type { Tone } from './format.js';

/**
 * Colours by meaning. Ink's chalk does not look at NO_COLOR (only FORCE_COLOR and --no-color),
 * so the app decides: with NO_COLOR set every colour is undefined and only the words, glyphs,
 * bold and inverse remain (https://no-color.org: "prevents the addition of ANSI color").
 */
export interface Theme {
  tone(tone: Tone): string | undefined;
  /** Border of the pane that has the keyboard, and of the others. */
  border(focused: boolean): string | undefined;
  accent: string | undefined;
  stderr: string | undefined;
}

const TONES: Readonly<Record<Tone, string>> = { good: 'green', bad: 'red', warn: 'yellow', busy: 'cyan', muted: 'gray' };

export function makeTheme(colors: boolean): Theme {
  return {
    tone: (tone) => (colors ? TONES[tone] : undefined),
    border: (focused) => (colors ? (focused ? 'cyan' : 'gray') : undefined),
    accent: colors ? 'cyan' : undefined,
    stderr: colors ? 'red' : undefined,
  };
}

/** NO_COLOR counts when present and not empty, per no-color.org. */
export function colorsWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  return !env.NO_COLOR;
}

export const ThemeContext = createContext<Theme>(makeTheme(colorsWanted()));
