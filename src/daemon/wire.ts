/**
 * The daemon's wire protocol (schemas/daemon.schema.json): one JSON object per line on a Unix
 * socket, bytes in base64. This file frames lines and turns a sandbox request and its result
 * into messages and back; the client (client.ts) and the daemon (server.ts) share it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import { PACKAGE_ROOT } from '../core/paths.js';
import type { DaemonMessage, DaemonResult, DaemonRun } from '../core/schema-types/daemon.js';
import type { PortableJob } from '../core/portable-job.js';
import type { SandboxRequest, SandboxResult } from '../sandbox/sandbox.js';
import { RUNTIME } from '../engine/runtime.js';

export type { DaemonMessage, DaemonRun, DaemonResult };

/** Bumped when a message changes meaning; a daemon and a client of different versions never talk. */
export const PROTOCOL = 1;

/**
 * The version a daemon and its clients must share: the package's, and the build it came from
 * (a daemon started from an older build of the same version runs other code).
 */
export const DAEMON_VERSION = ((): string => {
  const stamp = join(PACKAGE_ROOT, 'dist', '.build-inputs');
  const build = existsSync(stamp) ? readFileSync(stamp, 'utf8').trim().slice(0, 12) : 'source';
  return `${RUNTIME.version}+${build}`;
})();

/** The longest line either side reads: a module at the largest size allowed, in base64, and change. */
export const MAX_LINE_BYTES = 400 * 1024 * 1024;

/** Calls `onMessage` with each line's JSON; `onProblem` once, for a line that is too long or not JSON. */
export function readMessages(socket: Socket, onMessage: (message: unknown) => void, onProblem: (why: string) => void): void {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let broken = false;
  socket.on('data', (chunk: Buffer) => {
    if (broken) return;
    let start = 0;
    for (let newline = chunk.indexOf(10); newline !== -1; newline = chunk.indexOf(10, start)) {
      const piece = chunk.subarray(start, newline);
      const line = pending.length === 0 ? piece : Buffer.concat([...pending, piece]);
      pending = [];
      pendingBytes = 0;
      start = newline + 1;
      let message: unknown;
      try {
        message = JSON.parse(line.toString('utf8'));
      } catch {
        broken = true;
        onProblem('a line that is not JSON');
        return;
      }
      onMessage(message);
    }
    if (start < chunk.length) {
      pending.push(chunk.subarray(start));
      pendingBytes += chunk.length - start;
      if (pendingBytes > MAX_LINE_BYTES) {
        broken = true;
        onProblem(`a line longer than ${MAX_LINE_BYTES} bytes`);
      }
    }
  });
}

export function send(socket: Socket, message: DaemonMessage): void {
  if (!socket.destroyed) socket.write(`${JSON.stringify(message)}\n`);
}

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

/** A request as a `run` message (the dirs as descriptors this process holds open). */
export function runMessage(id: number, request: SandboxRequest, job: PortableJob): DaemonRun {
  return {
    type: 'run',
    id,
    job,
    module: b64(request.module),
    stdin: b64(request.stdin),
    wat_file: request.wat?.fileName ?? null,
    sandbox: {
      memory_cap_bytes: request.memoryCapBytes,
      timeout_ms: request.timeoutMs,
      max_output_bytes: request.maxOutputBytes,
      stack_kb: request.stackKb,
      max_file_bytes: request.maxFileBytes ?? 1024 * 1024 * 1024,
      fuel: request.fuel ?? null,
      os_sandbox: request.osSandbox ?? 'auto',
    },
    dirs: request.preopens.map((d) => ({ host: d.host, guest: d.guest, readonly: d.readonly, pid: process.pid, fd: d.fd, dev: d.dev, ino: d.ino })),
  };
}

export function resultMessage(id: number, result: SandboxResult): DaemonResult {
  return {
    type: 'result',
    id,
    result: {
      status: result.status,
      exit_code: result.exitCode,
      message: result.message,
      stdout: result.stdout.toString('base64'),
      stderr: result.stderr.toString('base64'),
      stdout_truncated: result.stdoutTruncated,
      stderr_truncated: result.stderrTruncated,
      timing: result.timing,
      memory_peak_bytes: result.memoryPeakBytes,
      fuel_consumed: result.fuelConsumed,
      output_order: result.outputOrder,
      layers: result.layers,
    },
  };
}

export function fromResultMessage(message: DaemonResult): SandboxResult {
  const r = message.result;
  return {
    status: r.status,
    exitCode: r.exit_code,
    message: r.message,
    stdout: Buffer.from(r.stdout, 'base64'),
    stderr: Buffer.from(r.stderr, 'base64'),
    stdoutTruncated: r.stdout_truncated,
    stderrTruncated: r.stderr_truncated,
    timing: r.timing,
    memoryPeakBytes: r.memory_peak_bytes,
    fuelConsumed: r.fuel_consumed,
    outputOrder: r.output_order,
    layers: r.layers,
  };
}
