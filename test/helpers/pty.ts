/**
 * The real `bin/plasm-tui.js` in a pseudo-terminal, its output fed to a headless xterm: tests
 * read the screen a user would see, type real key sequences, and resize the terminal.
 */
import pty, { type IPty } from '@lydell/node-pty';
import { readFileSync, readdirSync } from 'node:fs';
import xterm from '@xterm/headless';
import { BIN, ROOT } from './cli.js';
import { ceiling } from './ceiling.js';

const { Terminal } = xterm;
type XTerm = InstanceType<typeof Terminal>;

const FRAME_BEGIN = '\x1b[?2026h';
const FRAME_END = '\x1b[?2026l';

export const KEYS = {
  enter: '\r',
  esc: '\x1b',
  up: '\x1b[A',
  down: '\x1b[B',
  pageUp: '\x1b[5~',
  pageDown: '\x1b[6~',
  ctrlC: '\x03',
} as const;

export interface TuiOptions {
  cols?: number;
  rows?: number;
  /** Extra environment (e.g. NO_COLOR); XDG_CONFIG_HOME, TERM and PATH are always set. */
  env?: Record<string, string>;
}

export interface Exit {
  exitCode: number;
  signal?: number;
}

export class TuiSession {
  readonly pty: IPty;
  readonly term: XTerm;
  /** Everything the app wrote, escape sequences included. */
  raw = '';
  /** Window titles the app (or a module, if it got through) set. */
  readonly titles: string[] = [];
  exit: Exit | null = null;
  private readonly exited: Promise<Exit>;
  private pendingWrites = 0;
  /**
   * Inside a frame: Ink brackets each frame with the synchronized-output marks (DEC mode 2026)
   * and a pty hands a big frame over in several reads, so between them the screen is half old,
   * half new. A terminal that knows the mode shows neither half; the tests read only whole frames.
   */
  private inFrame = false;

  constructor(dir: string, options: TuiOptions = {}) {
    const cols = options.cols ?? 100;
    const rows = options.rows ?? 30;
    this.term = new Terminal({ cols, rows, allowProposedApi: true });
    this.term.onTitleChange((title) => this.titles.push(title));
    this.pty = pty.spawn(process.execPath, [BIN, dir], {
      name: 'xterm-256color',
      cols,
      rows,
      cwd: ROOT,
      env: { XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME ?? '', XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? '', TERM: 'xterm-256color', PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
    });
    this.pty.onData((data) => {
      this.raw += data;
      // The marks are 8 characters: look a little before this read, in case one was split.
      const recent = this.raw.slice(-(data.length + 8));
      const begin = recent.lastIndexOf(FRAME_BEGIN);
      const end = recent.lastIndexOf(FRAME_END);
      if (begin !== end) this.inFrame = begin > end;
      this.pendingWrites++;
      this.term.write(data, () => this.pendingWrites--);
    });
    this.exited = new Promise((resolve) => {
      this.pty.onExit((exit) => {
        this.exit = exit;
        resolve(exit);
      });
    });
  }

  /** The screen as text, one string per row, trailing spaces trimmed. */
  lines(): string[] {
    const buffer = this.term.buffer.active;
    const out: string[] = [];
    for (let i = 0; i < this.term.rows; i++) out.push(buffer.getLine(i)?.translateToString(true) ?? '');
    return out;
  }

  screen(): string {
    return this.lines().join('\n');
  }

  /** Polls the screen until `text` shows; fails with the screen in the message. */
  async waitForText(text: string | RegExp, timeoutMs = 10_000): Promise<string> {
    return this.waitFor((screen) => (typeof text === 'string' ? screen.includes(text) : text.test(screen)), `${String(text)}`, timeoutMs);
  }

  async waitForNoText(text: string | RegExp, timeoutMs = 10_000): Promise<string> {
    return this.waitFor((screen) => !(typeof text === 'string' ? screen.includes(text) : text.test(screen)), `no ${String(text)}`, timeoutMs);
  }

  /** `timeoutMs` is what a quiet machine needs at most; it is scaled for this one (ceiling.ts). */
  async waitFor(predicate: (screen: string) => boolean, what: string, quietTimeoutMs = 10_000): Promise<string> {
    const timeoutMs = ceiling(quietTimeoutMs);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.screen();
      if (this.pendingWrites === 0 && !this.inFrame && predicate(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}. Screen:\n${screen}`);
      if (this.exit) throw new Error(`The TUI exited (${JSON.stringify(this.exit)}) while waiting for ${what}. Screen:\n${screen}`);
      await sleep(25);
    }
  }

  /** Sends keys one at a time, as a person types (Ink reads a multi-key chunk as one paste). */
  async press(...keys: string[]): Promise<void> {
    for (const key of keys) {
      this.pty.write(key);
      await sleep(60);
    }
  }

  /** Sends text in one write, like a paste; fine inside a text field. */
  async type(text: string): Promise<void> {
    this.pty.write(text);
    await sleep(100);
  }

  /** Sends text one character per write, `gapMs` apart: a fast typist, or a key held down. */
  async typeKeys(text: string, gapMs = 3): Promise<void> {
    for (const char of text) {
      this.pty.write(char);
      await sleep(gapMs);
    }
    await sleep(100);
  }

  resize(cols: number, rows: number): void {
    this.pty.resize(cols, rows);
    this.term.resize(cols, rows);
  }

  /** Waits for the process to end; rejects after `timeoutMs`. */
  async waitForExit(quietTimeoutMs = 10_000): Promise<Exit> {
    const timeoutMs = ceiling(quietTimeoutMs);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`The TUI did not exit within ${timeoutMs} ms. Screen:\n${this.screen()}`)), timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Ends the session whatever state it is in: SIGTERM (the TUI cleans up), then SIGKILL for it and its children. */
  async kill(): Promise<void> {
    if (this.exit) return;
    const children = descendants(this.pty.pid);
    try {
      this.pty.kill('SIGTERM');
    } catch {
      // already gone
    }
    await Promise.race([this.exited, sleep(3000)]);
    if (this.exit) return;
    for (const pid of [this.pty.pid, ...children]) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await Promise.race([this.exited, sleep(1000)]);
  }
}

/** Every live process below `pid` (the sandbox workers of a TUI), from /proc. */
export function descendants(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(entry), ppid);
    } catch {
      // exited while we looked
    }
  }
  const found: number[] = [];
  const walk = (parent: number): void => {
    for (const [child, ppid] of parents) {
      if (ppid === parent) {
        found.push(child);
        walk(child);
      }
    }
  };
  walk(pid);
  return found;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
