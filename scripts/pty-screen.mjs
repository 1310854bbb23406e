/**
 * The real bin in a pseudo-terminal, its screen read with a headless xterm: what the
 * measurement scripts (rerun latency, TUI start, output floods) watch, as a user would.
 *
 *   const tui = ptyScreen([BIN, dir], { env: { XDG_CONFIG_HOME } });
 *   const at = await tui.waitFor((screen) => screen.includes('▶ hello'), 'the job list');
 *
 * `waitFor` resolves with performance.now() just after xterm has parsed the chunk that made the
 * test true, so a time taken from it is when the text is on screen.
 */
import pty from '@lydell/node-pty';
import xterm from '@xterm/headless';
import { performance } from 'node:perf_hooks';

export function ptyScreen(args, { cols = 100, rows = 30, cwd = process.cwd(), env = {} } = {}) {
  const term = new xterm.Terminal({ cols, rows, allowProposedApi: true });
  const child = pty.spawn(process.execPath, args, {
    name: 'xterm-256color',
    cols,
    rows,
    cwd,
    env: { TERM: 'xterm-256color', PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
  });
  const waiters = new Set();
  const screen = () => {
    const lines = [];
    for (let i = 0; i < rows; i++) lines.push(term.buffer.active.getLine(i)?.translateToString(true) ?? '');
    return lines.join('\n');
  };
  child.onData((data) => term.write(data, () => waiters.forEach((check) => check())));
  const exited = new Promise((resolve) => child.onExit(resolve));
  /** `test` is a predicate on the screen's text, or a string the screen must hold. */
  const waitFor = (test, what = String(test), timeoutMs = 90_000) =>
    new Promise((resolve, reject) => {
      const holds = typeof test === 'string' ? (s) => s.includes(test) : test;
      const check = () => {
        if (!holds(screen())) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(performance.now());
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no ${what} on screen after ${timeoutMs} ms:\n${screen()}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  // q lets the TUI end itself (so a --cpu-prof profile is written); killed if it does not.
  const close = async () => {
    child.write('q');
    const timer = setTimeout(() => child.kill(), 10_000);
    await exited;
    clearTimeout(timer);
  };
  return { child, screen, waitFor, close, exited };
}
