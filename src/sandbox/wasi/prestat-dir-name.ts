/**
 * fd_prestat_dir_name into a buffer shorter than the preopen's name: wasmtime says
 * ENAMETOOLONG, and the wasi-testsuite accepts that or EINVAL; uvwasi says ENOBUFS.
 */
import { ERRNO } from './errno.js';

export function prestatDirName(dirName: (fd: number, path: number, len: number) => number) {
  return (fd: number, path: number, len: number): number => {
    const errno = dirName(fd, path, len);
    return errno === ERRNO.NOBUFS ? ERRNO.NAMETOOLONG : errno;
  };
}
