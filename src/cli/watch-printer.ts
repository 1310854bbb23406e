/**
 * `plasm-tui watch` without --json, as nodemon and cargo-watch show a rebuild: each run's output
 * between a header line and its result line, and one line for anything else worth saying (a job
 * invalid, waiting for grants, removed). `added` and `changed` are not said: the run's header
 * says it (initial, rebuild), and saying both repeats it.
 *
 * The output is the module's, so it is sanitised for the terminal (escape sequences dropped,
 * controls shown as ^X; `plasm-tui run` and the receipts keep the bytes). Runs at once
 * (--concurrency) would mix their output: the first run in flight writes through as it comes,
 * the others' output is held and shown whole, framed, when their turn comes.
 */
import { createStreamSanitizer, sanitizeLabel } from '../core/sanitize.js';
import type { EventJob, WatchEvent } from '../engine/index.js';
import { stdoutGone } from './stdout-gone.js';

type Stream = 'stdout' | 'stderr';

interface Frame {
  /** `job #run`, sanitised. */
  name: string;
  header: string;
  /** Output not yet shown, in the order it came. */
  held: { stream: Stream; chunk: Buffer }[];
  result: string | null;
  sanitizers: Record<Stream, ReturnType<typeof createStreamSanitizer>>;
  /** Whether what was last shown of each stream ended its line. */
  atLineStart: Record<Stream, boolean>;
}

export class WatchPrinter {
  /** Runs started and not yet shown whole, in the order they started. */
  private readonly frames = new Map<string, Frame>();
  /** The run whose output goes through as it comes. */
  private live: string | null = null;

  event(event: WatchEvent): void {
    if (event.type === 'run_started') return this.started(event.job, event.run, `running (${event.why})`);
    if (event.type === 'run_finished') return this.finished(event.job, event.run, resultLine(event));
    if (event.type === 'stopped') this.flush();
    const text = describe(event);
    if (text !== null) line(text);
  }

  output(run: { job: EventJob; run: number }, stream: Stream, chunk: Buffer): void {
    const key = keyOf(run.job, run.run);
    const frame = this.frames.get(key);
    if (!frame) return;
    if (key === this.live) show(frame, stream, frame.sanitizers[stream].write(chunk));
    else frame.held.push({ stream, chunk });
  }

  private started(job: EventJob, run: number, what: string): void {
    const key = keyOf(job, run);
    const name = `${sanitizeLabel(job.id)} #${run}`;
    const frame: Frame = {
      name,
      header: `${name}: ${what}`,
      held: [],
      result: null,
      sanitizers: { stdout: createStreamSanitizer(), stderr: createStreamSanitizer() },
      atLineStart: { stdout: true, stderr: true },
    };
    this.frames.set(key, frame);
    if (this.live === null) this.goLive(key, frame);
  }

  private finished(job: EventJob, run: number, result: string): void {
    const key = keyOf(job, run);
    const frame = this.frames.get(key);
    if (!frame) return;
    frame.result = result;
    if (key !== this.live) return; // shown when its turn comes
    this.close(key, frame);
    // The next runs in start order: those already over are shown whole; the first still running goes live.
    for (const [next, waiting] of this.frames) {
      this.goLive(next, waiting);
      if (waiting.result === null) return;
      this.close(next, waiting);
    }
  }

  private goLive(key: string, frame: Frame): void {
    this.live = key;
    line(frame.header);
    for (const { stream, chunk } of frame.held.splice(0)) show(frame, stream, frame.sanitizers[stream].write(chunk));
  }

  private close(key: string, frame: Frame): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      show(frame, stream, frame.sanitizers[stream].end());
      // The result line starts a line of its own, whatever the module left unfinished.
      if (!frame.atLineStart[stream]) show(frame, stream, '\n');
    }
    line(frame.result ?? '');
    this.frames.delete(key);
    this.live = null;
  }

  /** Whatever is still held when the watch stops (every run has ended by then): shown, in order. */
  private flush(): void {
    for (const [key, frame] of [...this.frames]) {
      if (key !== this.live) this.goLive(key, frame);
      frame.result ??= `${frame.name}: stopped`;
      this.close(key, frame);
    }
  }
}

function keyOf(job: EventJob, run: number): string {
  return `${job.id}\0${run}`;
}

function show(frame: Frame, stream: Stream, text: string): void {
  if (!text) return;
  frame.atLineStart[stream] = text.endsWith('\n');
  if (stream === 'stdout' && stdoutGone()) return;
  (stream === 'stdout' ? process.stdout : process.stderr).write(text);
}

function line(text: string): void {
  if (!stdoutGone()) process.stdout.write(`plasm-tui: ${text}\n`);
}

function resultLine(event: Extract<WatchEvent, { type: 'run_finished' }>): string {
  const exit = event.exit_code === null ? '' : ` ${event.exit_code}`;
  const why = event.status === 'ok' ? '' : ` · ${sanitizeLabel(event.message)}`;
  const receipt = event.receipt_path ? ` · ${sanitizeLabel(event.receipt_path)}` : '';
  return `${sanitizeLabel(event.job.id)} #${event.run}: ${event.status}${exit} · ${event.timing.total_ms.toFixed(1)} ms${why}${receipt}`;
}

/** The line for any other event, or null for one a run's header already says. Names and messages come from files: sanitised. */
function describe(event: WatchEvent): string | null {
  const job = 'job' in event ? sanitizeLabel(event.job.id) : '';
  switch (event.type) {
    case 'watching':
      return `watching ${sanitizeLabel(event.dir)} (${event.jobs} jobs); Ctrl-C stops`;
    case 'job_invalid':
      return `${job}: invalid: ${sanitizeLabel(event.message)}`;
    case 'job_unwatched':
      return `${job}: not followed: ${sanitizeLabel(event.message)}`;
    case 'grants_needed':
      return `${job}: not run: it asks for grants; review and allow them with \`${sanitizeLabel(event.allow_with)}\``;
    case 'job_removed':
      return `${job}: removed`;
    case 'stopped':
      return `stopped (${sanitizeLabel(event.reason)})`;
    default:
      return null;
  }
}
