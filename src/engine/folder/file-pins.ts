/**
 * Files watched one by one, wherever they are inside the root, even in folders the tree walk
 * skips (target/, ignored or hidden ones): the module a manifest names must rerun its job when
 * rebuilt. Each pin watches the deepest folder of the file's path that exists now (one inotify
 * watch, no walk) and moves as folders appear and vanish (`cargo clean`, then `cargo build`).
 * Symlinks are never followed: a path through one is not watched, and says so.
 */
import { lstatSync, watch, type FSWatcher } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';

interface Pin {
  /** The folder watched now; null when nothing can be (see `problem`). */
  anchor: string | null;
  watcher: FSWatcher | null;
  problem: string | null;
}

export class FilePins {
  private readonly pins = new Map<string, Pin>();
  private closed = false;

  constructor(
    private readonly root: string,
    /** The file may have changed: look at it. */
    private readonly poke: (file: string) => void,
    /** A pin's problem appeared or went away. */
    private readonly changed: () => void,
  ) {}

  has(file: string): boolean {
    return this.pins.has(file);
  }

  /** Watches exactly `files` (absolute paths inside the root) from now on; returns the ones added and dropped. */
  set(files: ReadonlySet<string>): { added: string[]; dropped: string[] } {
    const added: string[] = [];
    const dropped: string[] = [];
    for (const [file, pin] of this.pins) {
      if (files.has(file)) continue;
      pin.watcher?.close();
      this.pins.delete(file);
      dropped.push(file);
    }
    for (const file of files) {
      if (this.pins.has(file) || this.closed) continue;
      const pin: Pin = { anchor: null, watcher: null, problem: null };
      this.pins.set(file, pin);
      this.anchor(file, pin);
      added.push(file);
    }
    return { added, dropped };
  }

  /** Why `file` cannot be watched, or null. */
  problem(file: string): string | null {
    return this.pins.get(file)?.problem ?? null;
  }

  close(): void {
    this.closed = true;
    for (const pin of this.pins.values()) pin.watcher?.close();
    this.pins.clear();
  }

  /** Watches the deepest existing folder on the file's path (again, if that changed). */
  private anchor(file: string, pin: Pin): void {
    const parts = relative(this.root, file).split(sep);
    let dir = this.root;
    let problem: string | null = null;
    for (const part of parts.slice(0, -1)) {
      const next = join(dir, part);
      let stats;
      try {
        stats = lstatSync(next);
      } catch {
        break; // not built yet: watch where it will appear
      }
      if (stats.isSymbolicLink()) {
        problem = `${relative(this.root, file)} is reached through the symlink ${relative(this.root, next)}, which is not followed: a rebuild of it is not seen.`;
        break;
      }
      if (!stats.isDirectory()) break;
      dir = next;
    }
    // The deepest real folder is watched even when a symlink stops the path there: replacing
    // the link with a folder is seen.
    if (dir !== pin.anchor || pin.watcher === null) {
      pin.watcher?.close();
      pin.watcher = null;
      pin.anchor = dir;
      try {
        pin.watcher = watch(dir, { persistent: false }, (_event, name) => this.event(file, pin, dir, name?.toString() ?? null));
        pin.watcher.on('error', () => this.event(file, pin, dir, null));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        problem ??= code === 'ENOSPC' ? `The system ran out of file watches: a rebuild of ${relative(this.root, file)} is not seen.` : `${relative(this.root, dir) || '.'} cannot be watched: a rebuild of ${relative(this.root, file)} is not seen.`;
      }
    }
    if (problem !== pin.problem) {
      pin.problem = problem;
      this.changed();
    }
  }

  private event(file: string, pin: Pin, dir: string, name: string | null): void {
    if (this.closed || this.pins.get(file) !== pin || pin.anchor !== dir) return;
    // Only what is on the file's path matters (a build writes many other files beside it),
    // and the anchor itself going away.
    const next = relative(this.root, file).split(sep)[dir === this.root ? 0 : relative(this.root, dir).split(sep).length];
    if (name !== null && name !== next && name !== basename(dir)) return;
    this.anchor(file, pin);
    this.poke(file);
  }
}
