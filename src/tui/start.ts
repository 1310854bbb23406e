/**
 * `plasm-tui [dir]` with a terminal: loads the config and node key once, starts the folder
 * watcher and the run store, renders the app in the alternate screen, and on quit cancels runs,
 * closes the watcher and gives the terminal back as it was.
 */
import { render } from 'ink';
import { basename, resolve } from 'node:path';
import { createElement } from 'react';
import { loadConfig } from '../core/config.js';
import { loadOrCreateNodeKey } from '../core/keys.js';
import { App } from './app.js';
import { JobFolder } from './folder/job-folder.js';
import { RunStore } from './runs/run-store.js';
import { createEngine, createWarmPool } from '../engine/index.js';
import { ThemeContext, colorsWanted, makeTheme } from './theme.js';

const ENTER_ALT_SCREEN = '\x1b[?1049h\x1b[H';
const LEAVE_ALT_SCREEN = '\x1b[?1049l';
const SHOW_CURSOR = '\x1b[?25h';
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export async function startTui(dir: string): Promise<number> {
  // Problems with the config or key are reported by the CLI like any other, before the screen changes.
  const config = loadConfig();
  const key = loadOrCreateNodeKey();
  // Warm spares: a run (and a watch rerun) does not wait for a Node.js start.
  const engine = createEngine({ config, key, sandbox: createWarmPool() });
  engine.warm();
  const folder = new JobFolder(dir, config);
  const store = new RunStore({ root: folder.root, engine, publicKeyHex: key.publicKeyHex });
  const stdout = process.stdout;

  stdout.write(ENTER_ALT_SCREEN);
  const restore = (): void => {
    stdout.write(SHOW_CURSOR + LEAVE_ALT_SCREEN);
  };
  let app: ReturnType<typeof render> | undefined;
  // A kill from outside still cancels runs and leaves the terminal usable.
  const onSignal = (): void => app?.unmount();
  try {
    folder.start();
    app = render(createElement(ThemeContext.Provider, { value: makeTheme(colorsWanted()) }, createElement(App, { folder, store, dirLabel: folderLabel(dir) })), {
      exitOnCtrlC: false, // Ctrl-C is in the key table: it cancels runs and closes the watcher like q
      maxFps: 30,
    });
    // SIGINT only arrives before Ink puts the terminal in raw mode (after that Ctrl-C is a key).
    for (const signal of SIGNALS) process.once(signal, onSignal);
    await app.waitUntilExit();
  } finally {
    for (const signal of SIGNALS) process.off(signal, onSignal);
    app?.cleanup();
    await Promise.all([store.close(), folder.close()]);
    await engine.close();
    restore();
  }
  return 0;
}

/** The folder as the user named it; `.` (no argument) by its own name, which says more. */
export function folderLabel(dir: string): string {
  return dir === '.' || dir === './' ? basename(resolve(dir)) || '/' : dir;
}
