/**
 * The sock_* calls, answered without uvwasi. uvwasi dereferences NULL in sock_accept, sock_recv
 * and sock_send for descriptors that are not sockets (the worker dies of SIGSEGV), and answers
 * sock_shutdown with ENOTSUP for everything. node:wasi never gives a guest a socket, so the
 * answer WASI specifies is EBADF for a descriptor that is not open and ENOTSOCK for any that
 * is. See is-open.ts for how "open" is told without touching the descriptor.
 */
import { ERRNO } from './errno.js';
import { isOpen } from './is-open.js';
const SOCK_CALLS = ['sock_accept', 'sock_recv', 'sock_send', 'sock_shutdown'] as const;

type WasiFunction = (...args: unknown[]) => unknown;
type Imports = Record<string, Record<string, unknown>>;

export function withSockCalls(imports: Imports): Imports {
  const wasi = imports.wasi_snapshot_preview1 as Record<string, WasiFunction> | undefined;
  if (!wasi) return imports;
  const answer = (fd: unknown): number => (isOpen(wasi, fd) ? ERRNO.NOTSOCK : ERRNO.BADF);
  const replaced = Object.fromEntries(SOCK_CALLS.map((name) => [name, answer]));
  return { ...imports, wasi_snapshot_preview1: { ...wasi, ...replaced } };
}
