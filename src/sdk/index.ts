/**
 * `import … from 'plasm-tui'`: the engine the CLI and TUI share, for programs. A fluent client
 * will sit on top of these; they are stable building blocks already.
 */
export { createEngine, resolveJob, jobFromModule, jobFromManifest, saveReceipt, writeReceiptFile, describeGrants, RUNTIME } from '../engine/index.js';
export type { Engine, EngineInputs, GrantRequest, JobSpec, JobDir, JobOverrides, Layer, RunEvent, RunHandle, RunOptions, RunPhase, RunResult } from '../engine/index.js';
export { loadConfig, DEFAULT_CONFIG, type Config } from '../core/config.js';
export { loadOrCreateNodeKey, publicKeyFromHex, type NodeKey } from '../core/keys.js';
export { verifyReceipt, parseReceipt, type Receipt, type ReceiptV01, type ReceiptV02, type VerifyReport } from '../core/receipt.js';
export { loadManifest, type Manifest } from '../core/manifest.js';
export { PlasmError, type ErrorKind } from '../core/errors.js';
export { STATUSES, exitCodeFor, type Status } from '../core/status.js';
