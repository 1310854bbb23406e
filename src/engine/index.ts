/** The engine's public surface, used by the CLI, the TUI and the SDK. */
export { resolveJob, jobFromModule, jobFromManifest, isModulePath, type JobSpec, type JobDir, type JobOverrides } from './job.js';
export { startRun, runJob, type RunEvent, type RunHandle, type RunOptions, type RunPhase, type RunResult } from './run.js';
export { saveReceipt, writeReceiptFile } from './receipt-store.js';
export { IGNORED_DIRS } from './find-module.js';
export { RUNTIME } from './runtime.js';
