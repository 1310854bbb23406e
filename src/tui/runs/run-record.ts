import type { Hash } from '../../core/hash.js';
import type { Receipt, ReceiptVersion } from '../../core/receipt.js';
import type { Status } from '../../core/status.js';
import type { RunPhase } from '../../engine/index.js';
import type { Layer } from '../../engine/index.js';
import type { OutputLog } from './output-log.js';

/** What the receipt pane shows about one run's signed receipt. */
export interface ReceiptView {
  version: ReceiptVersion;
  /** It binds stdin, stdout and stderr (core/receipt.ts bindsOutput). */
  bindsOutput: boolean;
  moduleHash: string;
  inputHash: string | null;
  stdoutHash: string | null;
  stderrHash: string | null;
  signer: string;
  verified: boolean;
  /** Why verification failed (empty when it passed). */
  problem: string;
  /** Where it was saved, relative to the watched folder; null if saving failed. */
  savedTo: string | null;
  saveError: string | null;
  /** A deterministic run's receipt (core/receipt.ts replayable): `v` runs it again and compares. */
  replayable: boolean;
  /** The last replay of it: running, or how it ended (the fields that differed when it failed). */
  replay: { state: 'running' | 'ok' | 'failed'; detail: string } | null;
  /** The receipt itself, for a replay (null in a view made without one). */
  signed: Receipt | null;
}

export interface RunOutcome {
  status: Status;
  exitCode: number | null;
  message: string;
  timing: { start_ms: number; compile_ms: number; run_ms: number; total_ms: number };
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
  /** Hash of stdout and stderr together, to tell whether a rerun changed the output. */
  outputHash: Hash;
  /** The containment layers the run was held by. */
  containment: Layer[];
}

/** One run of one job, from start to receipt. Mutated by the run store only. */
export interface RunRecord {
  jobId: string;
  /** 1, 2, 3… per job in this session. */
  no: number;
  stdin: string;
  /** The module and manifest the job list knew when the run started (watch compares against these). */
  moduleHash: Hash | null;
  manifestHash: Hash | null;
  why: 'user' | 'watch';
  startedAt: number;
  phase: RunPhase;
  output: OutputLog;
  /** Cancelled because a newer run of the same job replaced it. */
  superseded: boolean;
  outcome: RunOutcome | null;
  /** Output differs from the previous finished run's: `≠` true, `=` false, null for a first run. */
  changed: boolean | null;
  receipt: ReceiptView | null;
  /** The run has ended and its receipt is being saved and checked (shown a moment after the outcome). */
  receiptPending?: boolean;
  /** The whole output, saved beside the receipt (relative to the watched folder); null until then, or if it could not be. */
  fullOutput: string | null;
  finishedAt: number | null;
  /** Read back from a receipt saved before this session (its phases and message are not kept). */
  saved?: true;
}
