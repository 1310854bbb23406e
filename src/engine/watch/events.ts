/**
 * What a watched folder reports, one event at a time: `plasm-tui watch --json` prints each as a
 * line of JSON, and the SDK's `client.watch()` yields the same objects. The contract is
 * schemas/event.schema.json (snake_case, with `event_version`).
 */
import type { Job, WatchEvent } from '../../core/schema-types/event.js';

export const EVENT_VERSION = 1;

/** A job as events name it: `id` is its file's path relative to the watched folder. */
export type EventJob = Job;

/** One event (its type is generated from schemas/event.schema.json). */
export type { WatchEvent };

export type WatchEventType = WatchEvent['type'];
