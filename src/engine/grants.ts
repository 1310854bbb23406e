/**
 * Who may grant what: a manifest's `dirs` and `env` are requests, and a job runs with them only
 * once the user has allowed exactly that set (remembered by its hash, so any change to what is
 * asked — a new dir, read-only becoming read-write, another env value — asks again).
 */
import { canonicalJson } from '../core/canonical.js';
import { sha256, type Hash } from '../core/hash.js';
import { grantProblem } from './hold-grants.js';
import type { JobDir, JobSpec } from './job.js';

export interface GrantRequest {
  /** The manifest that asks. */
  manifestPath: string;
  /** Each dir with its host path resolved (real path, no symlinks). */
  dirs: JobDir[];
  env: Record<string, string>;
  /** Identity of this exact request: manifest path + dirs + env. */
  hash: Hash;
}

/** What `spec`'s manifest asks for, or null when it asks for nothing. */
export function grantRequest(spec: JobSpec): GrantRequest | null {
  if (!spec.requested || !spec.manifestPath) return null;
  const dirs = spec.requested.dirs.map((d) => ({ host: d.host, guest: d.guest, readonly: d.readonly }));
  const env = { ...spec.requested.env };
  const hash = sha256(canonicalJson({ manifest: spec.manifestPath, dirs, env }));
  return { manifestPath: spec.manifestPath, dirs, env, hash };
}

/** One line per grant, for a confirmation dialog or the `allow` command; a set that will be refused says why. */
export function describeGrants(request: GrantRequest): string[] {
  const problem = grantProblem(request.dirs);
  return [
    ...request.dirs.map((d) => `${d.readonly ? 'read-only ' : 'read-write'} ${d.host}  (as ${d.guest})`),
    ...Object.keys(request.env).map((name) => `env        ${name}`),
    ...(problem ? [`refused    ${problem}`] : []),
  ];
}

/** The request in one phrase: "read-write /home/me (as /), env TOKEN". */
export function summarizeGrants(request: GrantRequest): string {
  return [
    ...request.dirs.map((d) => `${d.readonly ? 'read-only' : 'read-write'} ${d.host} (as ${d.guest})`),
    ...Object.keys(request.env).map((name) => `env ${name}`),
  ].join(', ');
}
