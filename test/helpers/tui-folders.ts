/** Fresh folders of fixture modules for the TUI's pty tests, and the sessions opened on them. */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { EXAMPLES, WAT } from './cli.js';
import { KEYS, TuiSession, type TuiOptions } from './pty.js';

/** Registers the cleanup (sessions killed, folders removed) in the calling test file. */
export function tuiFixtures() {
  const sessions: TuiSession[] = [];
  const folders: string[] = [];
  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((session) => session.kill()));
    for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  /** A fresh folder holding the named fixtures: `hello.wasm` from the examples, `*.wat` from test/fixtures/wat. */
  const folderWith = (...files: string[]): string => {
    const dir = mkdtempSync(join(tmpdir(), 'plasm-tui-e2e-'));
    folders.push(dir);
    for (const file of files) copyFileSync(file === 'hello.wasm' ? join(EXAMPLES, 'hello', 'hello.wasm') : join(WAT, file), join(dir, file));
    return dir;
  };
  const open = (dir: string, options: TuiOptions = {}): TuiSession => {
    const session = new TuiSession(dir, options);
    sessions.push(session);
    return session;
  };
  return { folderWith, open };
}

/** Selects a job through the filter: `/`, its name, ⏎ keeps the filter and goes back to the list. */
export async function pick(tui: TuiSession, name: string): Promise<void> {
  await tui.press('/');
  await tui.type(name);
  await tui.press(KEYS.enter);
  await tui.waitForText(new RegExp(`▶ ${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
}

/** The job list row of `name` (left pane), trimmed. */
export function row(screen: string, name: string): string {
  const line = screen.split('\n').find((l) => new RegExp(`^│ [▶ ] ${name}\\b`).test(l)) ?? '';
  return line.slice(1, line.indexOf('│', 1)).trim();
}
