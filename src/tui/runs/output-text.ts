import { StringDecoder } from 'node:string_decoder';
import { sanitizeLine } from '../../core/sanitize.js';
import { STDERR_MARK } from '../format.js';
import type { Stream } from './output-log.js';

/** Printable ASCII and line breaks: text that sanitising leaves as it is. */
const PLAIN = /^[\x20-\x7e\n]*$/;

/**
 * All of a run's output as display text (what `p` pages through): lines in arrival order, each
 * sanitised as a whole line, stderr's behind the gutter, unfinished lines last. The same text as
 * an unbounded OutputLog would show, built in one pass: plain runs of whole lines are copied as
 * they are, so 16 MiB of line breaks is a few string operations, not 16 million line objects.
 */
export function outputText(chunks: Iterable<{ stream: Stream; chunk: Uint8Array }>): string {
  const decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
  const partial = { stdout: '', stderr: '' };
  const parts: string[] = [];
  const take = (stream: Stream, text: string): void => {
    const end = text.lastIndexOf('\n');
    if (end < 0) {
      partial[stream] += text;
      return;
    }
    const block = partial[stream] + text.slice(0, end);
    partial[stream] = text.slice(end + 1);
    const lines = PLAIN.test(block) ? block : block.split('\n').map(sanitizeLine).join('\n');
    parts.push(stream === 'stderr' ? STDERR_MARK + lines.replaceAll('\n', `\n${STDERR_MARK}`) : lines);
  };
  for (const { stream, chunk } of chunks) take(stream, decoders[stream].write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
  for (const stream of ['stdout', 'stderr'] as const) {
    take(stream, decoders[stream].end());
    if (partial[stream] !== '') take(stream, '\n');
  }
  return parts.length === 0 ? '' : `${parts.join('\n')}\n`;
}
