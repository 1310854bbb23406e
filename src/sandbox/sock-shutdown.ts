/**
 * uvwasi answers `sock_shutdown` with ENOTSUP for every descriptor. node:wasi never gives a
 * guest a socket, so the answer WASI specifies is EBADF for a descriptor that is not open and
 * ENOTSOCK for any that is. `fd_advise` with POSIX_FADV_NORMAL is a harmless probe of whether
 * a descriptor is open: it fails with EBADF exactly when it is not.
 */
const ERRNO_BADF = 8;
const ERRNO_NOTSOCK = 57;
const ADVICE_NORMAL = 0;

type WasiFunction = (...args: unknown[]) => unknown;

export function withSockShutdown(imports: Record<string, Record<string, unknown>>): Record<string, Record<string, unknown>> {
  const wasi = imports.wasi_snapshot_preview1 as Record<string, WasiFunction> | undefined;
  const fdAdvise = wasi?.fd_advise;
  if (!wasi || !fdAdvise) return imports;
  const sockShutdown = (fd: unknown): number => (fdAdvise(fd, 0n, 0n, ADVICE_NORMAL) === ERRNO_BADF ? ERRNO_BADF : ERRNO_NOTSOCK);
  return { ...imports, wasi_snapshot_preview1: { ...wasi, sock_shutdown: sockShutdown } };
}
