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

/**
 * The tail of a run's stdout and stderr as display lines, in arrival order. Bytes are decoded
 * per stream (a UTF-8 character may straddle two chunks) and each line is sanitised once, when
 * it is complete; memory stays bounded however much a module prints.
 */
export class OutputLog {
  private readonly lines: OutputLine[] = [];
  private chars = 0;
  private readonly decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
  private readonly partial = { stdout: '', stderr: '' };
  /** Characters cut from the front of each stream's unfinished line, said where it is shown. */
  private readonly partialCut = { stdout: 0, stderr: 0 };
  /** Lines dropped from the front to stay under `maxLines`. */
  dropped = 0;
  readonly bytes = { stdout: 0, stderr: 0 };
  /** Bumped on every append, so views can tell the log changed without comparing it. */
  version = 0;

  constructor(private readonly limits: OutputLimits = DEFAULT_OUTPUT_LIMITS) {}

  append(stream: Stream, chunk: Uint8Array): void {
    this.bytes[stream] += chunk.length;
    this.version++;
    const text = this.decoders[stream].write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    this.take(stream, text);
  }

  /** Flushes a dangling partial UTF-8 sequence at the end of a run. */
  end(): void {
    for (const stream of ['stdout', 'stderr'] as const) this.take(stream, this.decoders[stream].end());
    this.version++;
  }

  /** Complete lines, then any unfinished line of each stream. */
  view(): OutputLine[] {
    const tail: OutputLine[] = [];
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.partial[stream] !== '') tail.push({ stream, text: this.partialText(stream) });
    }
    return tail.length === 0 ? this.lines : [...this.lines, ...tail];
  }

  private take(stream: Stream, text: string): void {
    if (text === '') return;
    const pieces = text.split('\n');
    const last = pieces.pop() ?? '';
    for (const piece of pieces) {
      this.push({ stream, text: this.partialText(stream, piece) });
      this.partial[stream] = '';
      this.partialCut[stream] = 0;
    }
    this.partial[stream] += last;
    if (this.partial[stream].length > this.limits.maxPartial) {
      this.partialCut[stream] += this.partial[stream].length - this.limits.maxPartial;
      this.partial[stream] = this.partial[stream].slice(-this.limits.maxPartial);
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
    this.dropped += drop;
  }
}
