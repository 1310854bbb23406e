/**
 * Where each guest descriptor is on the host: its preopen's host path and the components
 * below it. uvwasi itself works on host path strings (a descriptor opened beneath a preopen
 * keeps the path it was opened by), so tracking the same strings here keeps the two in step
 * through path_open, fd_renumber and fd_close.
 */
import { lstatSync } from 'node:fs';
import { ERRNO, errnoOf } from './errno.js';
import type { PreopenFd } from './preopen-fds.js';
import { READ_ONLY_INHERITING } from './read-only-open.js';

export interface Place {
  /**
   * The preopen's host path as the worker was given it, which Node's permission model lets the
   * worker read: the directory's own path inside the OS sandbox, else `/proc/self/fd/N`, the
   * magic link to a descriptor the worker inherited (so not necessarily the directory's name).
   * Paths built on it reach the granted directory, whatever its name is now.
   */
  root: string;
  /** Components below `root`, each seen to be a real directory (or, last, the opened file). */
  below: string[];
  /**
   * Beneath a read-only preopen: the most rights this descriptor can pass on (its inheriting
   * rights, as uvwasi holds them), which path_open requests are fitted to. Null elsewhere.
   */
  ceiling: bigint | null;
}

export type HostDir = { ok: true; place: Place; dir: string } | { ok: false; errno: number };

export class FdPlaces {
  private readonly places = new Map<number, Place>();

  constructor(preopens: PreopenFd[]) {
    for (const p of preopens) {
      this.places.set(p.fd, { root: p.host, below: [], ceiling: p.readonly ? READ_ONLY_INHERITING : null });
    }
  }

  opened(fd: number, place: Place): void {
    this.places.set(fd, place);
  }

  /** The guest narrowed the descriptor's inheriting rights (fd_fdstat_set_rights). */
  narrowed(fd: number, inheriting: bigint): void {
    const place = this.places.get(fd);
    if (place?.ceiling != null) place.ceiling &= inheriting;
  }

  renumbered(from: number, to: number): void {
    const place = this.places.get(from);
    this.places.delete(from);
    if (place) this.places.set(to, place);
    else this.places.delete(to);
  }

  /** The descriptor's place as tracked, unchecked; null for one the path layer does not know. */
  place(fd: number): Place | null {
    return this.places.get(fd) ?? null;
  }

  closed(fd: number): void {
    this.places.delete(fd);
  }

  /**
   * The descriptor's host directory, checked again now: the guest may have renamed a directory
   * it holds open and put a symlink in its place, and uvwasi would follow the old path string
   * through it. Null place means the descriptor is not one the path layer knows.
   */
  hostDir(fd: number): HostDir | null {
    const place = this.places.get(fd);
    if (!place) return null;
    let dir = place.root;
    for (const name of place.below) {
      dir = `${dir}/${name}`;
      try {
        if (lstatSync(dir).isSymbolicLink()) return { ok: false, errno: ERRNO.PERM };
      } catch (error) {
        return { ok: false, errno: errnoOf(error) };
      }
    }
    return { ok: true, place, dir };
  }
}
