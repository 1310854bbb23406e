import { StringDecoder } from 'node:string_decoder';
import { sanitizeLine } from '../../core/sanitize.js';

export type Stream = 'stdout' | 'stderr';

export interface OutputLine {
  stream: Stream;
  /** Already sanitised: safe to render. */
  text: string;
}

export interface OutputLimits {
  /** Complete lines kept; older ones are dropped (the engine keeps the full bytes for the receipt). */
  maxLines: number;
  /** Characters kept over all complete lines, for output made of very long lines. */
  maxChars: number;
  /** Characters kept of a line still being written (a module printing megabytes without `\n`). */
  maxPartial: number;
}

export const DEFAULT_OUTPUT_LIMITS: OutputLimits = { maxLines: 5000, maxChars: 1024 * 1024, maxPartial: 64 * 1024 };

/** Decoded text waiting to be cut into lines, at most about this many characters. */
const PENDING_CHARS = 1024 * 1024;

interface Pending {
  stream: Stream;
  text: string;
  /** How many `\n` it holds. */
  breaks: number;
}

/**
 * The tail of a run's stdout and stderr as display lines, in arrival order. Bytes are decoded
 * per stream (a UTF-8 character may straddle two chunks) and each line is sanitised once, when
 * it is complete; memory stays bounded however much a module prints.
 *
 * A chunk costs its decoding and a count of its line breaks, nothing more: decoded text waits
 * (up to about 1 MiB) until someone looks, and is then cut into lines from the point where the
 * last `maxLines` begin. A flood of 16 MiB of line breaks makes at most `maxLines` line objects
 * per MiB, not 16 million, and the sandbox reading the guest's pipes is never kept waiting.
 */
export class OutputLog {
  private lines: OutputLine[] = [];
  private chars = 0;
  private readonly decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
  private readonly partial = { stdout: '', stderr: '' };
  /** Characters cut from the front of each stream's unfinished line, said where it is shown. */
  private readonly partialCut = { stdout: 0, stderr: 0 };
  private pending: Pending[] = [];
  private pendingChars = 0;
  private pendingBreaks = 0;
  private droppedLines = 0;
  private shown: { version: number; lines: OutputLine[] } | null = null;
  readonly bytes = { stdout: 0, stderr: 0 };
  /** Bumped on every append, so views can tell the log changed without comparing it. */
  version = 0;

  constructor(private readonly limits: OutputLimits = DEFAULT_OUTPUT_LIMITS) {}

  /** Lines dropped from the front to stay under the limits. */
  get dropped(): number {
    this.settle();
    return this.droppedLines;
  }

  append(stream: Stream, chunk: Uint8Array): void {
    this.bytes[stream] += chunk.length;
    this.version++;
    this.queue(stream, this.decoders[stream].write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
  }

  /** Flushes a dangling partial UTF-8 sequence at the end of a run. */
  end(): void {
    for (const stream of ['stdout', 'stderr'] as const) this.queue(stream, this.decoders[stream].end());
    this.version++;
  }

  /** Complete lines, then any unfinished line of each stream. */
  view(): OutputLine[] {
    if (this.shown?.version === this.version) return this.shown.lines;
    this.settle();
    const tail: OutputLine[] = [];
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.partial[stream] !== '') tail.push({ stream, text: this.partialText(stream) });
    }
    const lines = tail.length === 0 ? this.lines : [...this.lines, ...tail];
    this.shown = { version: this.version, lines };
    return lines;
  }

  private queue(stream: Stream, text: string): void {
    if (text === '') return;
    const breaks = countBreaks(text);
    this.pending.push({ stream, text, breaks });
    this.pendingChars += text.length;
    this.pendingBreaks += breaks;
    if (this.pendingChars > PENDING_CHARS) this.settle();
  }

  /**
   * Cuts the waiting text into lines. Of its complete lines only the last `maxLines` can be
   * kept: those before are counted as dropped without being made (their stream's unfinished
   * line is all that carries over).
   */
  private settle(): void {
    if (this.pending.length === 0) return;
    const pending = this.pending;
    let skip = Math.max(0, this.pendingBreaks - this.limits.maxLines);
    this.pending = [];
    this.pendingChars = 0;
    this.pendingBreaks = 0;
    if (skip > 0) {
      // The waiting text alone fills the window: nothing kept so far stays.
      this.droppedLines += this.lines.length;
      this.lines = [];
      this.chars = 0;
    }
    for (const { stream, text, breaks } of pending) {
      if (skip === 0) {
        this.take(stream, text);
        continue;
      }
      if (skip >= breaks) {
        skip -= breaks;
        this.droppedLines += breaks;
        if (breaks === 0) this.extendPartial(stream, text);
        else this.restartPartial(stream, text.slice(text.lastIndexOf('\n') + 1));
        continue;
      }
      // The first kept line starts after this text's `skip`-th line break.
      const at = nthBreak(text, skip, breaks);
      this.droppedLines += skip;
      skip = 0;
      this.restartPartial(stream, '');
      this.take(stream, text.slice(at + 1));
    }
  }

  private take(stream: Stream, text: string): void {
    if (text === '') return;
    const pieces = text.split('\n');
    const last = pieces.pop() ?? '';
    for (const piece of pieces) {
      this.push({ stream, text: this.partialText(stream, piece) });
      this.restartPartial(stream, '');
    }
    this.extendPartial(stream, last);
  }

  private restartPartial(stream: Stream, text: string): void {
    this.partial[stream] = '';
    this.partialCut[stream] = 0;
    this.extendPartial(stream, text);
  }

  private extendPartial(stream: Stream, text: string): void {
    if (text === '') return;
    const max = this.limits.maxPartial;
    if (text.length > max) {
      this.partialCut[stream] += this.partial[stream].length + text.length - max;
      this.partial[stream] = text.slice(-max);
      return;
    }
    this.partial[stream] += text;
    if (this.partial[stream].length > max) {
      this.partialCut[stream] += this.partial[stream].length - max;
      this.partial[stream] = this.partial[stream].slice(-max);
    }
  }

  private partialText(stream: Stream, more = ''): string {
    let raw = this.partial[stream] + more;
    let cut = this.partialCut[stream];
    if (raw.length > this.limits.maxPartial) {
      cut += raw.length - this.limits.maxPartial;
      raw = raw.slice(-this.limits.maxPartial);
    }
    return (cut > 0 ? `…[${cut.toLocaleString('en-US')} characters cut] ` : '') + sanitizeLine(raw);
  }

  private push(line: OutputLine): void {
    this.lines.push(line);
    this.chars += line.text.length;
    const { maxLines, maxChars } = this.limits;
    if (this.lines.length <= maxLines && this.chars <= maxChars) return;
    // Too many lines: drop a tenth more than needed, so this stays O(1) amortised for a module
    // printing millions of lines. Too many characters: drop just enough. The last line stays.
    let drop = this.lines.length > maxLines ? this.lines.length - maxLines + Math.ceil(maxLines / 10) : 0;
    drop = Math.min(drop, this.lines.length - 1);
    let freed = 0;
    for (let i = 0; i < drop; i++) freed += this.lines[i]?.text.length ?? 0;
    while (this.chars - freed > maxChars && drop < this.lines.length - 1) freed += this.lines[drop++]?.text.length ?? 0;
    this.lines.splice(0, drop);
    this.chars -= freed;
    this.droppedLines += drop;
  }
}

/** The number of `\n` in `text`. */
export function countBreaks(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) count++;
  return count;
}

/** Where the `n`-th (1-based) of the `breaks` line breaks in `text` is, searched from the nearer end. */
function nthBreak(text: string, n: number, breaks: number): number {
  let at = -1;
  if (n <= breaks - n) {
    for (let i = 0; i < n; i++) at = text.indexOf('\n', at + 1);
    return at;
  }
  at = text.length;
  for (let i = breaks; i >= n; i--) at = text.lastIndexOf('\n', at - 1);
  return at;
}
