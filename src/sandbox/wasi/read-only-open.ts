/**
 * What a read-only directory lets path_open ask for. uvwasi refuses a request for any right the
 * directory cannot pass on, and Rust's std asks for a broad set even to read (FD_WRITE aside: it
 * adds PATH_CREATE_FILE, FD_FILESTAT_SET_TIMES and more to every open), so under a read-only
 * directory every Rust read failed with ENOTCAPABLE. wasmtime ignores rights it will not grant;
 * so does this: the request is masked to what the directory can pass on, and only what would
 * change something at open time is refused — creating or truncating, and the write-only fdflags.
 * A file opened so has no FD_WRITE (uvwasi opens it O_RDONLY), and its writes fail with
 * ENOTCAPABLE, as a C program's already did (wasi-libc masks its own request the same way).
 */
import { ERRNO } from './errno.js';

const R = (bit: number): bigint => 1n << BigInt(bit);
const FD_READ = R(1), FD_SEEK = R(2), FD_TELL = R(5), FD_ADVISE = R(7);
const PATH_OPEN = R(13), FD_READDIR = R(14), PATH_READLINK = R(15), PATH_FILESTAT_GET = R(18);
const FD_FILESTAT_GET = R(21), POLL_FD_READWRITE = R(27);

/** A read-only directory's own rights: look things up, list, read links, stat. */
export const READ_ONLY_DIR_BASE = PATH_OPEN | FD_READDIR | PATH_READLINK | PATH_FILESTAT_GET | FD_FILESTAT_GET;
/** What it passes on to what is opened beneath it: the same, plus reading and seeking a file. */
export const READ_ONLY_INHERITING = READ_ONLY_DIR_BASE | FD_READ | FD_SEEK | FD_TELL | FD_ADVISE | POLL_FD_READWRITE;

const O_CREAT = 1, O_TRUNC = 8;
const FDFLAGS_APPEND = 1, FDFLAGS_DSYNC = 2, FDFLAGS_RSYNC = 8, FDFLAGS_SYNC = 16;
const WRITING_OFLAGS = O_CREAT | O_TRUNC;
const WRITING_FDFLAGS = FDFLAGS_APPEND | FDFLAGS_DSYNC | FDFLAGS_RSYNC | FDFLAGS_SYNC;

export interface Request {
  oflags: number;
  base: bigint;
  inheriting: bigint;
  fdflags: number;
}

/**
 * The rights to ask uvwasi for beneath a directory that can pass on no more than `ceiling`, or
 * ENOTCAPABLE for an open that would write however its rights were masked.
 */
export function fitReadOnly(request: Request, ceiling: bigint): { base: bigint; inheriting: bigint } | number {
  if ((request.oflags & WRITING_OFLAGS) !== 0 || (request.fdflags & WRITING_FDFLAGS) !== 0) return ERRNO.NOTCAPABLE;
  return { base: request.base & ceiling, inheriting: request.inheriting & ceiling };
}
