/** The engine's public surface, used by the CLI, the TUI and the SDK. */
export { createEngine, type Engine, type EngineInputs } from './engine.js';
export { resolveJob, jobFromModule, jobFromManifest, isModulePath, isPlainName, type JobSpec, type JobDir, type JobOverrides } from './job.js';
export type { RunEvent, RunHandle, RunOptions, RunPhase, RunResult } from './run.js';
export { describeGrants, summarizeGrants, grantRequest, type GrantRequest } from './grants.js';
export { openReceiptFolder, receiptFolder, saveReceipt, writeReceiptFile, type ReceiptFolder } from './receipt-store.js';
export { IGNORED_DIRS } from './find-module.js';
export { RUNTIME } from './runtime.js';
export type { Layer, LayerName } from '../sandbox/containment.js';
export { runReport, REPORT_VERSION } from './report.js';
export { runPortable, type PortableSources } from './portable-run.js';
export { replayReceipt, notReplayable, type ReplayInputs, type ReplayReport } from './replay.js';
export { RunLedger, type LedgerRun, type LedgerJob, type LedgerListener } from './ledger/run-ledger.js';
export { createWarmPool, processSandbox, type WarmPool, type WarmPoolOptions, type Sandbox } from '../sandbox/sandbox.js';
export { JobFolder, type FolderSnapshot, type JobFolderOptions } from './folder/job-folder.js';
export type { JobEntry } from './folder/job-entry.js';
export { FolderRunner, type FolderRunnerOptions } from './watch/folder-runner.js';
export { EVENT_VERSION, type WatchEvent, type WatchEventType, type EventJob } from './watch/events.js';
