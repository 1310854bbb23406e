/**
 * A reader that goes away (`plasm-tui watch --json | head -1`, `… | jq` then Ctrl-C) makes the
 * next write to stdout fail with EPIPE. As SIGPIPE ends `yes` in `yes | head`, that ends the
 * command quietly: no stack trace, and exit 0, since nobody is left to tell. A command with work
 * in flight (a watcher, a run) registers how to stop it; any other ends at once.
 */
let gone = false;
let goneExitCode = 0;
let stopWork: (() => void) | null = null;

/** Installed once, before any command prints. */
export function endQuietlyWhenReaderGoes(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (gone) return; // the writes already queued fail too
    gone = true;
    if (error.code !== 'EPIPE') {
      // Not a reader leaving but a failing disk or terminal: that is worth an exit code (EX_IOERR).
      goneExitCode = 74;
      process.stderr.write(`plasm-tui: cannot write to stdout (${error.code ?? error.message}); stopping.\n`);
    }
    if (stopWork) stopWork();
    else process.exit(goneExitCode);
  });
  // `2>&1 | head`: stderr goes away with stdout; there is nowhere left to say anything.
  process.stderr.on('error', () => {});
}

/** True once stdout's reader has gone: print nothing more. */
export function stdoutGone(): boolean {
  return gone;
}

/** The exit code of a command its stdout ended: 0 for a reader that went away. */
export function exitCodeWhenStdoutGone(): number {
  return goneExitCode;
}

/** While `stop` is registered, a reader going away calls it instead of ending the process. Returns the unregistering. */
export function onStdoutGone(stop: () => void): () => void {
  stopWork = stop;
  if (gone) queueMicrotask(stop);
  return () => {
    if (stopWork === stop) stopWork = null;
  };
}
