import { sha256, type Hash } from '../core/hash.js';
import type { NodeKey } from '../core/keys.js';
import { signReceipt, type Receipt, type ReceiptV01, type ReceiptV02, type ReceiptV03, type ReceiptVersion } from '../core/receipt.js';
import { jobHash, type PortableJob } from '../core/portable-job.js';
import { exitCodeFor, type Status } from '../core/status.js';
import type { Layer } from '../sandbox/containment.js';
import type { JobSpec } from './job.js';
import { RUNTIME } from './runtime.js';

export interface ReceiptFacts {
  spec: JobSpec;
  moduleHash: Hash;
  inputHash: Hash;
  argv: string[];
  status: Status;
  exitCode: number | null;
  stdout: Uint8Array;
  stderr: Uint8Array;
  wallTimeMs: number;
  memoryPeakBytes: number | null;
  /** Instructions charged when the job was metered (--fuel), else null. */
  fuelConsumed?: number | null;
  containment: Layer[];
  /** The portable job that ran (argv, env, dirs with their tree hashes, mode, seed): what a v0.3 receipt binds. */
  job: PortableJob;
}

/** The attest stage: a signed receipt of what ran, on what input, with what result. */
export function attest(facts: ReceiptFacts, key: NodeKey, version: ReceiptVersion): Receipt {
  const timestamp = new Date().toISOString();
  if (version === '0.1') {
    return signReceipt<ReceiptV01>(
      {
        version: '0.1',
        module_hash: facts.moduleHash,
        // v0.1 has no status field: a run that did not exit records its status's exit code.
        exit_code: exitCodeFor(facts.status, facts.exitCode),
        wall_time_ms: Math.round(facts.wallTimeMs),
        timestamp,
      },
      key,
    );
  }
  const v02: Omit<ReceiptV02, 'version' | 'signature' | 'node_pubkey'> = {
    job: facts.spec.name,
    module_hash: facts.moduleHash,
    manifest_hash: facts.spec.manifestHash,
    input_hash: facts.inputHash,
    stdout_hash: sha256(facts.stdout),
    stderr_hash: sha256(facts.stderr),
    args: facts.argv,
    exit_code: facts.exitCode,
    status: facts.status,
    wall_time_ms: Math.round(facts.wallTimeMs * 1000) / 1000,
    fuel_consumed: facts.fuelConsumed ?? null,
    memory_peak_bytes: facts.memoryPeakBytes,
    limits: facts.spec.limits,
    timestamp,
    runtime: RUNTIME,
    containment: facts.containment.map(({ name, active, detail }) => ({ name, active, detail })),
  };
  if (version === '0.2') return signReceipt<ReceiptV02>({ version: '0.2', ...v02 }, key);
  const { job } = facts;
  return signReceipt<ReceiptV03>(
    {
      version: '0.3',
      ...v02,
      env: job.env,
      dirs: job.dirs.map(({ guest, readonly, tree_hash }) => ({ guest, readonly, tree_hash })),
      mode: job.mode,
      seed: job.seed,
      job_hash: jobHash(job),
    },
    key,
  );
}
