/**
 * What a watched folder reports, one event at a time: `plasm-tui watch --json` prints each as a
 * line of JSON, and the SDK's `client.watch()` yields the same objects. The contract is
 * schemas/event.schema.json (snake_case, with `event_version`).
 */
import type { Layer } from '../../sandbox/containment.js';
import type { Status } from '../../core/status.js';

export const EVENT_VERSION = 1;

/** A job as events name it: `id` is its file's path relative to the watched folder. */
export interface EventJob {
  id: string;
  name: string;
  kind: 'module' | 'manifest';
}

interface Base {
  event_version: typeof EVENT_VERSION;
  /** ISO 8601 time of the event. */
  at: string;
}

export type WatchEvent = Base &
  (
    | { type: 'watching'; dir: string; jobs: number }
    | { type: 'job_added'; job: EventJob }
    | { type: 'job_changed'; job: EventJob }
    | { type: 'job_removed'; job: EventJob }
    | { type: 'job_invalid'; job: EventJob; message: string; details: string[] }
    /** The module a manifest names cannot be followed: its rebuilds are not seen (and, outside the folder, it is not run). */
    | { type: 'job_unwatched'; job: EventJob; message: string }
    | { type: 'grants_needed'; job: EventJob; manifest: string; dirs: { host: string; guest: string; readonly: boolean }[]; env: string[]; allow_with: string }
    | { type: 'run_started'; job: EventJob; run: number; why: 'initial' | 'rebuild' | 'user' }
    | {
        type: 'run_finished';
        job: EventJob;
        run: number;
        status: Status;
        exit_code: number | null;
        message: string;
        timing: { start_ms: number; compile_ms: number; run_ms: number; total_ms: number };
        fuel_consumed: number | null;
        stdout_bytes: number;
        stderr_bytes: number;
        containment: Layer[];
        /** Where the signed receipt was saved, relative to the watched folder; null if it was not. */
        receipt_path: string | null;
      }
    | { type: 'stopped'; reason: string }
  );

export type WatchEventType = WatchEvent['type'];
