/**
 * The WASI path layer: every path-taking call is resolved by resolve-path.ts against its
 * descriptor before uvwasi sees it, and uvwasi gets the resolved path, with no `..` and no
 * symlink left for it to judge. Escapes are EPERM, as in wasmtime.
 *
 * What this does not stop: the checks and uvwasi's call are separate system calls on path
 * strings, so another host process that swaps a checked directory for a symlink in between
 * (a TOCTOU race) can still redirect the call. The guest cannot race itself (it is
 * single-threaded and stopped while a call runs); an OS sandbox is the layer for the rest.
 */
import { ERRNO } from './errno.js';
import { FdPlaces, type Place } from './fd-places.js';
import { isOpen } from './is-open.js';
import { readPath, readU32, withPathsInMemory, type Range } from './guest-memory.js';
import type { PreopenFd } from './preopen-fds.js';
import { fdstatWithWasiFlags } from './fdstat-flags.js';
import { prestatDirName } from './prestat-dir-name.js';
import { fitReadOnly } from './read-only-open.js';
import { readdirWithDots } from './readdir-with-dots.js';
import { readlinkAsSpecified } from './readlink-as-specified.js';
import { resolvePath } from './resolve-path.js';
import { fixedStat, guestIdentity } from './stable-stat.js';

type WasiFunction = (...args: any[]) => number;
type Imports = Record<string, Record<string, unknown>>;

const LOOKUP_SYMLINK_FOLLOW = 1;
const O_CREAT = 1;
const O_EXCL = 4;
const FILESTAT_SIZE = 64;

/** One path argument: the descriptor it is relative to, where it is, and whether a last link is followed. */
interface PathArg {
  fd: number;
  at: Range;
  follow: boolean;
}

interface Checked {
  place: Place;
  /** The host path of the directory `path` is relative to. */
  dir: string;
  path: string;
  isSymlink: boolean;
}

/**
 * `deterministic`: stat answers and directory listings depend on the files' contents and guest
 * paths only, not on the host (stable-stat.ts): inode numbers come from guest paths, times are
 * the virtual clock's epoch, and a listing is sorted by name.
 */
export function confinePaths(imports: Imports, preopens: PreopenFd[], memoryOf: () => unknown, options: { deterministic?: boolean } = {}): Imports {
  const raw = imports.wasi_snapshot_preview1 as Record<string, WasiFunction>;
  const places = new FdPlaces(preopens);
  const guests = new Map(preopens.map((p) => [p.host, p.guest]));
  /** Where a descriptor (and `path` below it) is, as the guest names it: the same on every host. */
  const identity = (place: Place | null, fd: number, below: string[] = []): bigint =>
    place === null ? guestIdentity(`fd ${fd}`) : guestIdentity(`${guests.get(place.root) ?? place.root}\0${[...place.below, ...below].join('/')}`);
  const stable = options.deterministic === true;
  const memory = (): WebAssembly.Memory => {
    const m = memoryOf();
    // WASI calls before the instance exists (from a start section) have no memory to read.
    if (!(m instanceof WebAssembly.Memory)) throw new Error('WASI was called before the module started');
    return m;
  };

  /** Resolves each path argument, or gives the errno to answer with. */
  const check = (args: PathArg[]): Checked[] | number => {
    const out: Checked[] = [];
    for (const arg of args) {
      const text = readPath(memory(), arg.at[0], arg.at[1]);
      if (typeof text === 'number') return text;
      const host = places.hostDir(arg.fd);
      // Not a descriptor opened from a preopen: stdio, or nothing at all.
      if (host === null) return isOpen(raw, arg.fd) ? ERRNO.NOTDIR : ERRNO.BADF;
      if (!host.ok) return host.errno;
      const resolved = resolvePath(host.dir, text, arg.follow);
      if (!resolved.ok) return resolved.errno;
      out.push({ place: host.place, dir: host.dir, path: resolved.value.path, isSymlink: resolved.value.stat?.isSymbolicLink() ?? false });
    }
    return out;
  };

  /** Checks `args`, then calls uvwasi with the resolved paths in their places. */
  const confined = (args: PathArg[], avoid: Range[], call: (at: Range[], checked: Checked[]) => number): number => {
    const checked = check(args);
    if (typeof checked === 'number') return checked;
    return withPathsInMemory(memory(), checked.map((c) => c.path), args.map((a) => a.at), avoid, (at) => call(at, checked));
  };

  const wrapped: Record<string, WasiFunction> = {
    path_open(fd: number, dirflags: number, p: number, len: number, oflags: number, base: bigint, inheriting: bigint, fdflags: number, fdOut: number) {
      const follow = (dirflags & LOOKUP_SYMLINK_FOLLOW) !== 0;
      return confined([{ fd, at: [p, len], follow }], [[fdOut, 4]], ([at], [c]) => {
        // A link that is not to be followed cannot be opened: ELOOP, as O_NOFOLLOW gives.
        if (c!.isSymlink) return (oflags & O_CREAT) !== 0 && (oflags & O_EXCL) !== 0 ? ERRNO.EXIST : ERRNO.LOOP;
        const { ceiling } = c!.place;
        if (ceiling !== null) {
          const fitted = fitReadOnly({ oflags, base, inheriting, fdflags }, ceiling);
          if (typeof fitted === 'number') return fitted;
          ({ base, inheriting } = fitted);
        }
        const errno = raw.path_open!(fd, dirflags, at![0], at![1], oflags, base, inheriting, fdflags, fdOut);
        if (errno === ERRNO.SUCCESS) {
          const below = components(c!.path);
          places.opened(readU32(memory(), fdOut), { root: c!.place.root, below: [...c!.place.below, ...below], ceiling: ceiling === null ? null : inheriting });
        }
        return errno;
      });
    },
    path_create_directory(fd: number, p: number, len: number) {
      return confined([{ fd, at: [p, len], follow: false }], [], ([at]) => raw.path_create_directory!(fd, at![0], at![1]));
    },
    path_filestat_get(fd: number, flags: number, p: number, len: number, buf: number) {
      const follow = (flags & LOOKUP_SYMLINK_FOLLOW) !== 0;
      return confined([{ fd, at: [p, len], follow }], [[buf, FILESTAT_SIZE]], ([at], [c]) => {
        const errno = raw.path_filestat_get!(fd, flags, at![0], at![1], buf);
        if (errno === ERRNO.SUCCESS && stable) fixedStat(memory(), buf, identity(c!.place, fd, components(c!.path)));
        return errno;
      });
    },
    // Only in deterministic mode: a normal run's fd_filestat_get goes straight to uvwasi.
    ...(stable
      ? {
          fd_filestat_get(fd: number, buf: number) {
            const errno = raw.fd_filestat_get!(fd, buf);
            if (errno === ERRNO.SUCCESS) fixedStat(memory(), buf, identity(places.place(fd), fd));
            return errno;
          },
        }
      : {}),
    path_filestat_set_times(fd: number, flags: number, p: number, len: number, atim: bigint, mtim: bigint, fst: number) {
      const follow = (flags & LOOKUP_SYMLINK_FOLLOW) !== 0;
      return confined([{ fd, at: [p, len], follow }], [], ([at]) => raw.path_filestat_set_times!(fd, flags, at![0], at![1], atim, mtim, fst));
    },
    path_link(oldFd: number, oldFlags: number, oldP: number, oldLen: number, newFd: number, newP: number, newLen: number) {
      // wasmtime refuses to follow a link's source (hard links to symlinks are made as links).
      if ((oldFlags & LOOKUP_SYMLINK_FOLLOW) !== 0) return ERRNO.INVAL;
      const args = [{ fd: oldFd, at: [oldP, oldLen] as Range, follow: false }, { fd: newFd, at: [newP, newLen] as Range, follow: false }];
      return confined(args, [], ([a, b]) => raw.path_link!(oldFd, oldFlags, a![0], a![1], newFd, b![0], b![1]));
    },
    path_readlink(fd: number, p: number, len: number, buf: number, bufLen: number, usedOut: number) {
      return confined([{ fd, at: [p, len], follow: false }], [[buf, bufLen], [usedOut, 4]], ([at], [c]) =>
        readlinkAsSpecified((b, n, u) => raw.path_readlink!(fd, at![0], at![1], b, n, u), `${c!.dir}/${c!.path}`, memory, buf, bufLen, usedOut),
      );
    },
    path_remove_directory(fd: number, p: number, len: number) {
      return confined([{ fd, at: [p, len], follow: false }], [], ([at]) => raw.path_remove_directory!(fd, at![0], at![1]));
    },
    path_rename(oldFd: number, oldP: number, oldLen: number, newFd: number, newP: number, newLen: number) {
      const args = [{ fd: oldFd, at: [oldP, oldLen] as Range, follow: false }, { fd: newFd, at: [newP, newLen] as Range, follow: false }];
      return confined(args, [], ([a, b]) => raw.path_rename!(oldFd, a![0], a![1], newFd, b![0], b![1]));
    },
    path_symlink(targetP: number, targetLen: number, fd: number, p: number, len: number) {
      // The link's contents are not a path to resolve now; one that is absolute could only ever
      // lead out, so it is refused as wasmtime refuses it. A relative one is checked when followed.
      const target = readPath(memory(), targetP, targetLen);
      if (typeof target === 'number') return target;
      if (target.includes('\0')) return ERRNO.INVAL;
      if (target.startsWith('/')) return ERRNO.PERM;
      return confined([{ fd, at: [p, len], follow: false }], [[targetP, targetLen]], ([at]) => raw.path_symlink!(targetP, targetLen, fd, at![0], at![1]));
    },
    path_unlink_file(fd: number, p: number, len: number) {
      return confined([{ fd, at: [p, len], follow: false }], [], ([at]) => raw.path_unlink_file!(fd, at![0], at![1]));
    },
    fd_close(fd: number) {
      const errno = raw.fd_close!(fd);
      if (errno === ERRNO.SUCCESS) places.closed(fd);
      return errno;
    },
    // Descriptor calls where uvwasi's answer differs from the spec's and wasmtime's.
    fd_readdir: readdirWithDots(raw.fd_readdir!, places, memory, stable ? (place, name) => identity(place, -1, name === null ? [] : [name]) : null),
    fd_fdstat_get: fdstatWithWasiFlags(raw.fd_fdstat_get!, memory),
    fd_prestat_dir_name: prestatDirName(raw.fd_prestat_dir_name!),
    fd_fdstat_set_rights(fd: number, base: bigint, inheriting: bigint) {
      const errno = raw.fd_fdstat_set_rights!(fd, base, inheriting);
      if (errno === ERRNO.SUCCESS) places.narrowed(fd, inheriting);
      return errno;
    },
    fd_renumber(from: number, to: number) {
      const errno = raw.fd_renumber!(from, to);
      if (errno === ERRNO.SUCCESS) places.renumbered(from, to);
      return errno;
    },
  };
  const missing = Object.keys(wrapped).filter((name) => typeof raw[name] !== 'function');
  if (missing.length > 0) throw new Error(`node:wasi lacks ${missing.join(', ')}: cannot confine paths`);
  return { ...imports, wasi_snapshot_preview1: { ...raw, ...wrapped } };
}

/** A resolved relative path's components, `.` and empty ones dropped. */
function components(path: string): string[] {
  return path.split('/').filter((n) => n !== '' && n !== '.');
}
