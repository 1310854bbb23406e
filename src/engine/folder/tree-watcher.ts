/**
 * Watches a folder tree with bounded cost, for `plasm-tui` opened anywhere (a home folder, /usr):
 * one inotify watch per folder (fs.watch), no stat of files that cannot be jobs, a cap on the
 * folders walked and a depth limit (with a notice when either is hit), ignored and hidden
 * folders and `.gitignore`d paths skipped, symlinks never followed. Files are reported as they
 * are found, so the job list fills while the walk goes on; a change is reported once the file
 * has been quiet for `stabilityMs`. Each watched folder's identity (inode and birth time) is
 * kept: a folder deleted and made again at once, or another one renamed into its place, is
 * walked afresh. Files named with `follow` are watched wherever they are (file-pins.ts).
 */
import { watch, type FSWatcher, type Stats } from 'node:fs';
import { lstat, readFile, readdir } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { FilePins } from './file-pins.js';
import { gitignored, parseGitignore, type IgnoreRules } from './gitignore.js';

export interface TreeWatcherOptions {
  /** Folders walked and watched at most. */
  maxDirs?: number;
  /** Levels below the root walked at most. */
  maxDepth?: number;
  /** Quiet time after the last change event before a file is reported. */
  stabilityMs?: number;
  /** Folders skipped by name anywhere (node_modules, .git…). */
  ignoredDirs?: ReadonlySet<string>;
  /** Files worth reporting (modules, JSON); others are never looked at. */
  wanted(path: string): boolean;
}

export interface TreeEvents {
  add(path: string): void;
  change(path: string): void;
  unlink(path: string): void;
  unlinkDir(path: string): void;
  ready(): void;
  /** A limit was hit: what is not watched, in one sentence. */
  limit(message: string): void;
  /** Whether a followed file can be watched changed (see `followProblem`). */
  follow?(): void;
  error(error: Error): void;
}

export const DEFAULT_MAX_DIRS = 4000;
export const DEFAULT_MAX_DEPTH = 12;

interface WatchedDir {
  watcher: FSWatcher | null;
  /** Inode and birth time when walked; another folder under the same name differs. */
  identity: string | null;
}

export class TreeWatcher {
  private readonly dirs = new Map<string, WatchedDir>();
  private readonly files = new Set<string>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly ignores = new Map<string, IgnoreRules>();
  private readonly pins: FilePins;
  private closed = false;
  private limited = false;

  constructor(
    readonly root: string,
    private readonly events: TreeEvents,
    private readonly options: TreeWatcherOptions,
  ) {
    this.pins = new FilePins(root, (file) => this.touch(file), () => this.events.follow?.());
  }

  async start(): Promise<void> {
    await this.walk(this.root);
    if (!this.closed) this.events.ready();
  }

  /**
   * Watches these files (inside the root) too, even where the walk does not go; files the walk
   * already covers are left to it. Files no longer named are forgotten.
   */
  async follow(files: Iterable<string>): Promise<void> {
    if (this.closed) return;
    const wanted = new Set<string>();
    for (const file of files) if (file.startsWith(this.root + sep) && !this.covers(file)) wanted.add(file);
    const { added, dropped } = this.pins.set(wanted);
    for (const file of dropped) {
      if (!this.covers(file) && this.files.delete(file)) this.events.unlink(file);
    }
    // Looked at now, so a caller waiting for this knows whether the files exist.
    await Promise.all(added.map((file) => this.check(file)));
  }

  /** Why a followed file cannot be watched, or null. */
  followProblem(file: string): string | null {
    return this.pins.problem(file);
  }

  close(): void {
    this.closed = true;
    this.pins.close();
    for (const { watcher } of this.dirs.values()) watcher?.close();
    this.dirs.clear();
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  /** Breadth first, so a deep or huge subtree cannot keep the top level from showing. */
  private async walk(top: string): Promise<void> {
    const { maxDirs = DEFAULT_MAX_DIRS, maxDepth = DEFAULT_MAX_DEPTH } = this.options;
    const queue = [top];
    while (queue.length > 0 && !this.closed) {
      const dir = queue.shift() as string;
      if (this.dirs.has(dir)) continue;
      if (this.dirs.size >= maxDirs) {
        this.limit(`Watching the first ${maxDirs} folders only: jobs deeper in ${this.root} are not listed (open a smaller folder).`);
        return;
      }
      this.dirs.set(dir, { watcher: this.watchDir(dir), identity: null });
      let entries;
      try {
        // Taken before listing: a folder swapped in after this is seen as a change.
        const identity = identityOf(await lstat(dir));
        const watched = this.dirs.get(dir);
        if (watched) watched.identity = identity;
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        continue; // unreadable or gone: nothing to list
      }
      if (this.closed) return;
      if (entries.some((entry) => entry.name === '.gitignore' && entry.isFile())) await this.loadGitignore(dir);
      const depth = dir === this.root ? 0 : relative(this.root, dir).split(sep).length;
      for (const entry of entries) {
        const path = join(dir, entry.name);
        if (entry.isSymbolicLink()) continue;
        if (entry.isDirectory()) {
          if (this.skipDir(path)) continue;
          if (depth + 1 > maxDepth) this.limit(`Folders more than ${maxDepth} levels deep are not watched.`);
          else queue.push(path);
        } else if (entry.isFile() && this.wantedFile(path)) {
          this.found(path);
        }
      }
    }
  }

  private watchDir(dir: string): FSWatcher | null {
    try {
      const watcher = watch(dir, { persistent: false }, (_event, name) => {
        if (name !== null) this.touch(join(dir, name.toString()));
      });
      // The folder itself went away: its parent's watcher sees that and walks whatever replaces it.
      watcher.on('error', () => this.forgetDir(dir, false));
      return watcher;
    } catch (error) {
      // Out of inotify watches (ENOSPC) or no permission: the folder is listed, not followed.
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOSPC') this.limit('The system ran out of file watches: some folders are listed but not followed.');
      return null;
    }
  }

  private touch(path: string): void {
    if (this.closed) return;
    clearTimeout(this.timers.get(path));
    this.timers.set(
      path,
      setTimeout(() => {
        this.timers.delete(path);
        void this.check(path);
      }, this.options.stabilityMs ?? 50),
    );
  }

  private async check(path: string): Promise<void> {
    let stats;
    try {
      stats = await lstat(path);
    } catch {
      stats = null;
    }
    if (this.closed) return;
    if (stats?.isDirectory()) {
      const watched = this.dirs.get(path);
      // Deleted and made again, or another folder renamed into its place: the old watch (and
      // what it listed) belongs to a folder that is gone.
      if (watched && watched.identity !== null && watched.identity !== identityOf(stats)) this.forgetDir(path, true);
      if (!this.dirs.has(path) && !this.skipDir(path) && this.dirs.has(dirname(path))) {
        const depth = relative(this.root, path).split(sep).length;
        if (depth <= (this.options.maxDepth ?? DEFAULT_MAX_DEPTH)) await this.walk(path);
      }
      return;
    }
    if (stats?.isFile() && (this.wantedFile(path) || this.pins.has(path))) {
      if (this.files.has(path)) this.events.change(path);
      else this.found(path);
      if (path.endsWith(`${sep}.gitignore`)) await this.loadGitignore(dirname(path));
      return;
    }
    // Gone, or replaced by a symlink or something else that is not a job.
    if (this.dirs.has(path)) this.forgetDir(path, true);
    else if (this.files.delete(path)) this.events.unlink(path);
  }

  private found(path: string): void {
    this.files.add(path);
    this.events.add(path);
  }

  private forgetDir(dir: string, report: boolean): void {
    for (const [path, { watcher }] of this.dirs) {
      if (path === dir || path.startsWith(dir + sep)) {
        watcher?.close();
        this.dirs.delete(path);
      }
    }
    for (const path of this.files) {
      if (!path.startsWith(dir + sep)) continue;
      this.files.delete(path);
      // A followed file is not the walk's to drop: look at it again.
      if (this.pins.has(path)) this.touch(path);
    }
    if (report) this.events.unlinkDir(dir);
  }

  private limit(message: string): void {
    if (this.limited) return;
    this.limited = true;
    this.events.limit(message);
  }

  private async loadGitignore(dir: string): Promise<void> {
    try {
      this.ignores.set(dir, parseGitignore(await readFile(join(dir, '.gitignore'), 'utf8')));
    } catch {
      this.ignores.delete(dir);
    }
  }

  private skipDir(path: string): boolean {
    const name = path.slice(path.lastIndexOf(sep) + 1);
    // Hidden folders (.git, .cache, .npm…) hold no one's jobs and can be huge.
    if (name.startsWith('.') || this.options.ignoredDirs?.has(name)) return true;
    return this.isGitignored(path, true);
  }

  private wantedFile(path: string): boolean {
    return this.options.wanted(path) && !this.isGitignored(path, false);
  }

  /** Whether the walk reports this file: its folder is watched and nothing ignores it. */
  private covers(file: string): boolean {
    return this.dirs.has(dirname(file)) && this.wantedFile(file);
  }

  /** Rules of every .gitignore from the root down to the path's folder; deeper ones win. */
  private isGitignored(path: string, isDir: boolean): boolean {
    if (this.ignores.size === 0) return false;
    let verdict = false;
    let dir = this.root;
    const parts = relative(this.root, path).split(sep);
    for (let i = 0; i < parts.length; i++) {
      const rules = this.ignores.get(dir);
      if (rules) {
        const said = gitignored(rules, parts.slice(i).join('/'), isDir);
        if (said !== null) verdict = said;
      }
      dir = join(dir, parts[i] as string);
    }
    return verdict;
  }
}

function identityOf(stats: Stats): string {
  return `${stats.dev}:${stats.ino}:${stats.birthtimeMs}`;
}
