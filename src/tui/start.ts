/**
 * `plasm-tui [dir]` with a terminal: loads the config and node key once, starts the folder
 * watcher and the run store, renders the app in the alternate screen, and on quit cancels runs,
 * closes the watcher and gives the terminal back as it was.
 */
import './interactive-env.js';
import { render } from 'ink';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { createElement } from 'react';
import { loadConfig } from '../core/config.js';
import { loadOrCreateNodeKey } from '../core/keys.js';
import { App } from './app.js';
import { frameStream } from './frame-stream.js';
import { JobFolder } from '../engine/index.js';
import { RunStore } from './runs/run-store.js';
import { replayReceipt } from '../engine/replay.js';
import { createEngine, createWarmPool } from '../engine/index.js';
import { daemonOrLocal } from '../daemon/daemon-or-local.js';
import { ThemeContext, colorsWanted, makeTheme } from './theme.js';

const ENTER_ALT_SCREEN = '\x1b[?1049h\x1b[H';
const LEAVE_ALT_SCREEN = '\x1b[?1049l';
const SHOW_CURSOR = '\x1b[?25h';
const ERASE_LINE = '\x1b[2K';
/** Bracketed paste: a paste arrives between ESC[200~ and ESC[201~, its line breaks intact. */
const PASTE_ON = '\x1b[?2004h';
const PASTE_OFF = '\x1b[?2004l';
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
/** A receipt waits at most this long for the frame showing its run's outcome. */
const NEXT_FRAME_CEILING_MS = 100;

export async function startTui(dir: string): Promise<number> {
  // Problems with the config or key are reported by the CLI like any other, before the screen changes.
  const config = loadConfig();
  const key = loadOrCreateNodeKey();
  // Warm spares: a run (and a watch rerun) does not wait for a Node.js start. A running daemon's,
  // when there is one (the header says so); else this process's own.
  const news = new Set<(text: string) => void>();
  let lastNews: string | null = null;
  const tell = (text: string): void => {
    lastNews = text;
    for (const listener of news) listener(text);
  };
  const sandbox = daemonOrLocal({
    daemon: config.daemon,
    why: 'the config says "daemon": false',
    local: () => createWarmPool(),
    onChange: (use, warning) => {
      if (warning) tell(`${warning}; jobs run here`);
      else if (use.used) tell(`jobs run in the daemon (pid ${use.pid})`);
    },
  });
  const sandboxNews = (listener: (text: string) => void): (() => void) => {
    news.add(listener);
    if (lastNews) listener(lastNews);
    return () => news.delete(listener);
  };
  const engine = createEngine({ config, key, sandbox });
  const folder = new JobFolder(dir, config);
  // Each frame Ink draws settles the waits for "the next frame" (a run's receipt is saved after it).
  const frameWaits = new Set<() => void>();
  const nextFrame = (): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(done, NEXT_FRAME_CEILING_MS);
      function done(): void {
        clearTimeout(timer);
        frameWaits.delete(done);
        resolve();
      }
      frameWaits.add(done);
    });
  const store = new RunStore({ root: folder.root, engine, publicKeyHex: key.publicKeyHex, replay: (receipt, inputs) => replayReceipt(engine, receipt, inputs), nextFrame });
  const stdout = process.stdout;

  // The CLI's "opening …" line goes: the screen below the TUI is as it was.
  stdout.write(`\r${ERASE_LINE}${ENTER_ALT_SCREEN}${PASTE_ON}`);
  const restore = (): void => {
    stdout.write(PASTE_OFF + SHOW_CURSOR + LEAVE_ALT_SCREEN);
  };
  let app: ReturnType<typeof render> | undefined;
  /** Gives the terminal to another program (editor, pager) and takes it back. */
  const suspended = <T,>(use: () => T): T => {
    restore();
    process.stdin.setRawMode?.(false);
    try {
      return use();
    } finally {
      process.stdin.setRawMode?.(true);
      stdout.write(ENTER_ALT_SCREEN + PASTE_ON);
      // The screen is blank again: the app has Ink draw the whole frame next (see app.tsx).
    }
  };
  const editText = (text: string): string | null => suspended(() => editInEditor(text));
  const openPager = (path: string): void => suspended(() => showInPager(path));
  const openDiff = (older: string, newer: string): void => suspended(() => showDiffInPager(older, newer));
  // A kill from outside still cancels runs and leaves the terminal usable.
  const onSignal = (): void => app?.unmount();
  let warmed = false;
  const warmOnce = (): void => {
    if (warmed || (folder.snapshot().jobs.length === 0 && !folder.snapshot().ready)) return;
    warmed = true;
    setImmediate(() => engine.warm());
  };
  try {
    folder.start();
    app = render(createElement(ThemeContext.Provider, { value: makeTheme(colorsWanted()) }, createElement(App, { folder, store, dirLabel: folderLabel(dir), editText, openPager, openDiff, sandboxNews })), {
      stdout: frameStream(stdout),
      exitOnCtrlC: false, // Ctrl-C is in the key table: it cancels runs and closes the watcher like q
      // Ink's own cap. Run output and folder changes are paced before they reach it (use-runs.ts,
      // use-job-folder.ts); at 30 a rerun's output waited up to 33 ms behind the "rerunning" frame.
      maxFps: 60,
      // Only the lines that changed are written (the app leaves the last row free for this, see app.tsx).
      incrementalRendering: true,
      // The warm spare starts once the first jobs are on screen: probing the OS sandbox and
      // spawning a process are tens of milliseconds of this process's time the list need not wait for.
      onRender: () => {
        warmOnce();
        // Ink writes the frame right after this returns: a task later it is out.
        if (frameWaits.size > 0) setImmediate(() => [...frameWaits].forEach((done) => done()));
      },
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

/**
 * Opens $VISUAL, else $EDITOR, else vi on a private temp file holding `text`, as git does (through
 * the shell, so `EDITOR="code --wait"` works), and returns what was saved; null if the editor
 * failed. The bytes are taken as they are, a final newline included, like `run --stdin-file`.
 */
export function editInEditor(text: string): string | null {
  const dir = mkdtempSync(join(tmpdir(), 'plasm-tui-stdin-'));
  const file = join(dir, 'stdin.txt');
  try {
    writeFileSync(file, text, { mode: 0o600 });
    const editor = process.env.VISUAL || process.env.EDITOR || 'vi';
    const result = spawnSync('/bin/sh', ['-c', `${editor} "$@"`, editor, file], { stdio: 'inherit' });
    return result.status === 0 ? readFileSync(file, 'utf8') : null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** $PAGER, else `less`, on a file, through the shell as git does. */
export function showInPager(path: string): void {
  const pager = process.env.PAGER || 'less';
  spawnSync('/bin/sh', ['-c', `${pager} "$@"`, pager, path], { stdio: 'inherit' });
}

/** `diff -u` of two runs' saved outputs, through $PAGER (else `less`). */
export function showDiffInPager(older: string, newer: string): void {
  const pager = process.env.PAGER || 'less';
  spawnSync('/bin/sh', ['-c', `diff -u "$1" "$2" | ${pager}`, 'plasm-tui-diff', older, newer], { stdio: 'inherit' });
}
