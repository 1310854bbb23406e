/**
 * The sandbox a long-lived program (the terminal UI, `watch`, the SDK) runs its jobs in: the
 * daemon's when one runs and may be used, else a sandbox of its own (a warm pool). The choice
 * is made once, at the start, without holding anything up: jobs and prestarts wait for it. If
 * the daemon goes away later (stopped, or upgraded), the jobs after that run in the program's
 * own sandbox, and `onChange` says so: a fallback is never silent.
 */
import type { Sandbox, SandboxRequest, SandboxResult, WorkerProfile } from '../sandbox/sandbox.js';
import { connectDaemon, type DaemonUse } from './client.js';

export interface DaemonOrLocal extends Sandbox {
  /** Where jobs run now (settles once the choice is made). */
  use(): Promise<DaemonUse>;
  close(): Promise<void>;
}

export interface DaemonOrLocalOptions {
  /** False: never the daemon (`--no-daemon`, config "daemon": false); `why` says so. */
  daemon: boolean;
  why?: string;
  /** The program's own sandbox, made when it is first needed. */
  local: () => Sandbox;
  /** Where jobs run from now on, and a warning when that is not where they would run. */
  onChange?: (use: DaemonUse, warning: string | null) => void;
}

export function daemonOrLocal(options: DaemonOrLocalOptions): DaemonOrLocal {
  let local: Sandbox | null = null;
  const ownSandbox = (): Sandbox => (local ??= options.local());
  let current: { sandbox: Sandbox; use: DaemonUse } | null = null;
  const choice = (async () => {
    if (!options.daemon) {
      current = { sandbox: ownSandbox(), use: { used: false, detail: options.why ?? 'the daemon is not to be used' } };
      options.onChange?.(current.use, null);
      return;
    }
    const connected = await connectDaemon();
    if ('sandbox' in connected) {
      const { pid, socket, version } = connected.sandbox.use;
      current = { sandbox: connected.sandbox, use: { used: true, pid, socket, version } };
      options.onChange?.(current.use, null);
      void connected.sandbox.closed.then(() => {
        if (closing) return;
        current = { sandbox: ownSandbox(), use: { used: false, detail: `the daemon (pid ${pid}) went away` } };
        options.onChange?.(current.use, `the daemon (pid ${pid}) went away; jobs run here from now on`);
      });
      return;
    }
    current = { sandbox: ownSandbox(), use: { used: false, detail: connected.unavailable } };
    options.onChange?.(current.use, connected.loud ? connected.unavailable : null);
  })();
  let closing = false;
  const pendingPrestarts: WorkerProfile[] = [];
  void choice.then(() => {
    for (const profile of pendingPrestarts.splice(0)) current?.sandbox.prestart?.(profile);
  });

  return {
    use: async () => {
      await choice;
      return (current as NonNullable<typeof current>).use;
    },
    run: async (request: SandboxRequest): Promise<SandboxResult> => {
      await choice;
      return (current as NonNullable<typeof current>).sandbox.run(request);
    },
    prestart: (profile) => {
      if (current) current.sandbox.prestart?.(profile);
      // A profile with granted dirs holds descriptors only for the length of this call: it is
      // never kept for later (the job will start its own worker).
      else if (profile.preopens.length === 0) pendingPrestarts.push(profile);
    },
    close: async () => {
      closing = true;
      await choice;
      const daemon = current?.sandbox !== local ? current?.sandbox : undefined;
      await Promise.all([daemon?.close?.(), local?.close?.()]);
    },
  };
}
