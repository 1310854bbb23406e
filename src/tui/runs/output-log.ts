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

/** Bytes waiting to be cut into lines, at most about this many. */
const PENDING_BYTES = 1024 * 1024;
const NEWLINE = 0x0a;

interface Pending {
  stream: Stream;
  bytes: Buffer;
  /** How many `\n` it holds. */
  breaks: number;
}

/**
 * The tail of a run's stdout and stderr as display lines, in arrival order. Bytes are decoded
 * per stream (a UTF-8 character may straddle two chunks) and each line is sanitised once, when
 * it is complete; memory stays bounded however much a module prints.
 *
 * A chunk costs a count of its line breaks, nothing more: its bytes wait (up to about 1 MiB)
 * until someone looks, and are then decoded and cut into lines from the point where the last
 * `maxLines` begin (a line break always ends a UTF-8 character, so decoding can start after
 * one). A flood of 16 MiB of line breaks makes at most `maxLines` line objects per MiB, not 16
 * million, and the sandbox reading the guest's pipes is never kept waiting.
 */
export class OutputLog {
  private lines: OutputLine[] = [];
  private chars = 0;
  private decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
  private readonly partial = { stdout: '', stderr: '' };
  /** Characters cut from the front of each stream's unfinished line, said where it is shown. */
  private readonly partialCut = { stdout: 0, stderr: 0 };
  private pending: Pending[] = [];
  private pendingBytes = 0;
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
    if (chunk.length === 0) return;
    const breaks = countBreaks(chunk);
    this.pending.push({ stream, bytes: Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength), breaks });
    this.pendingBytes += chunk.length;
    this.pendingBreaks += breaks;
    if (this.pendingBytes > PENDING_BYTES) this.settle();
  }

  /** Flushes a dangling partial UTF-8 sequence at the end of a run. */
  end(): void {
    this.settle();
    for (const stream of ['stdout', 'stderr'] as const) this.take(stream, this.decoders[stream].end());
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

  /**
   * Decodes the waiting bytes and cuts them into lines. Of their complete lines only the last
   * `maxLines` can be kept: those before are counted as dropped without being decoded or made
   * (their stream's unfinished line is all that carries over).
   */
  private settle(): void {
    if (this.pending.length === 0) return;
    const pending = this.pending;
    let skip = Math.max(0, this.pendingBreaks - this.limits.maxLines);
    this.pending = [];
    this.pendingBytes = 0;
    this.pendingBreaks = 0;
    if (skip > 0) {
      // The waiting bytes alone fill the window: nothing kept so far stays.
      this.droppedLines += this.lines.length;
      this.lines = [];
      this.chars = 0;
    }
    for (const { stream, bytes, breaks } of pending) {
      if (skip === 0 || breaks === 0) {
        this.take(stream, this.decoders[stream].write(bytes));
        continue;
      }
      // The first line that can be kept starts after this chunk's `skip`-th line break, or
      // after its last if it holds fewer: decoding starts afresh there.
      const taken = Math.min(skip, breaks);
      const at = nthBreak(bytes, taken, breaks);
      skip -= taken;
      this.droppedLines += taken;
      this.decoders[stream] = new StringDecoder('utf8');
      this.restartPartial(stream, '');
      this.take(stream, this.decoders[stream].write(bytes.subarray(at + 1)));
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

/** The number of `\n` bytes in `bytes`. */
function countBreaks(bytes: Uint8Array): number {
  let count = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === NEWLINE) count++;
  return count;
}

/** Where the `n`-th (1-based) of the `breaks` line breaks in `bytes` is, searched from the nearer end. */
function nthBreak(bytes: Buffer, n: number, breaks: number): number {
  let at = -1;
  if (n <= breaks - n) {
    for (let i = 0; i < n; i++) at = bytes.indexOf(NEWLINE, at + 1);
    return at;
  }
  at = bytes.length;
  for (let i = breaks; i >= n; i--) at = bytes.lastIndexOf(NEWLINE, at - 1);
  return at;
}
