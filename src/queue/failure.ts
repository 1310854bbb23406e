/**
 * How a queued job that ends without a result says why. A BullMQ failed job keeps one string,
 * its reason: a worker writes `<status>: <sentence>` there, so the failed set reads plainly and a
 * client gets a classified result back (status "invalid" for a job the worker refused, "error"
 * for one it failed to run however often it tried, "cancelled" for one cancelled before it ran).
 * A failure is not signed: it gives a client no output to trust, only a reason.
 */
import { STATUSES, type Status } from '../core/status.js';

/** A job a worker will not run, whoever asks again: it goes to the failed set without retries. */
export class Refusal extends Error {
  constructor(
    readonly status: Status,
    message: string,
  ) {
    super(message);
    this.name = 'Refusal';
  }
}

export function failureReason(status: Status, message: string): string {
  return `${status}: ${message}`;
}

/** A failed job's reason as a status and a sentence; a reason from BullMQ itself is an "error". */
export function parseFailure(reason: string | undefined): { status: Status; message: string } {
  const match = /^([a-z_]+): ([\s\S]*)$/.exec(reason ?? '');
  if (match && STATUSES.includes(match[1] as Status)) return { status: match[1] as Status, message: match[2] ?? '' };
  const said = (reason ?? '').trim() || 'no reason given';
  return { status: 'error', message: `The queue gave the job up: ${said.replace(/\.$/, '')}.` };
}
