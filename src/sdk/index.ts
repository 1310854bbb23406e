/**
 * `import { Client } from 'plasm-tui'`: run WebAssembly (WASI) jobs from programs — sandboxed,
 * limited, with signed receipts. The fluent client sits on the same engine as the CLI and the TUI,
 * whose building blocks are exported too.
 */
export { Client, type ClientOptions, type BatchItem, type FolderWatch, type SubmitAllOptions } from './client.js';
export { Job, type DirOptions, type RunningJob, type SubmitOptions } from './job.js';
export { Result, type Timing } from './result.js';
export { Receipt, type ReplayOptions } from './receipt.js';
export { VerifyError } from './verify-error.js';
export { LocalTransport, type LocalTransportOptions, type Transport, type TransportJob, type TransportRun, type StartOptions } from './transport.js';
export { QueueTransport, type QueueTransportOptions } from './queue-transport.js';
export type { DaemonUse } from '../daemon/client.js';

export { createEngine, resolveJob, jobFromModule, jobFromManifest, saveReceipt, writeReceiptFile, describeGrants, runReport, runPortable, replayReceipt, RunLedger, RUNTIME } from '../engine/index.js';
export type { PortableSources, ReplayInputs, ReplayReport, LedgerRun, LedgerJob, LedgerListener } from '../engine/index.js';
export { jobHash, type PortableJob } from '../core/portable-job.js';
export type { WatchEvent, WatchEventType, EventJob, FolderRunnerOptions } from '../engine/index.js';
export type { Engine, EngineInputs, GrantRequest, JobSpec, JobDir, JobOverrides, Layer, LayerName, RunEvent, RunHandle, RunOptions, RunPhase, RunResult } from '../engine/index.js';
export { loadConfig, DEFAULT_CONFIG, type Config } from '../core/config.js';
export { loadOrCreateNodeKey, publicKeyFromHex, type NodeKey } from '../core/keys.js';
export { verifyReceipt, parseReceipt, type Bindings, type Receipt as ReceiptData, type ReceiptV01, type ReceiptV02, type ReceiptV03, type VerifyReport, replayable, bindsOutput } from '../core/receipt.js';
export { loadManifest, type Manifest } from '../core/manifest.js';
export { PlasmError, type ErrorKind } from '../core/errors.js';
export { STATUSES, exitCodeFor, type Status } from '../core/status.js';
