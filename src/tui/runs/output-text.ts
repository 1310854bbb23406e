import { StringDecoder } from 'node:string_decoder';
import { sanitizeLine } from '../../core/sanitize.js';
import { STDERR_MARK } from '../format.js';
import type { Stream } from './output-log.js';

/** Printable ASCII and line breaks, which sanitising leaves as they are. */
const PLAIN = /^[\x20-\x7e\n]*$/;
/** Control characters other than the line break: a block holding one is sanitised line by line. */
const CONTROLS = /[\x00-\x09\x0b-\x1f\x7f-\x9f]/;

/**
 * Whether sanitising leaves every line of `block` as it is. Without control characters nothing
 * can span lines (no escape sequence, no carriage return), so the lines are unchanged exactly
 * when the block, its line breaks as spaces, is unchanged as one line.
 */
function unchanged(block: string): boolean {
  if (PLAIN.test(block)) return true;
  if (CONTROLS.test(block)) return false;
  const flat = block.replaceAll('\n', ' ');
  return sanitizeLine(flat) === flat;
}

/**
 * All of a run's output as display text (what `p` pages through): lines in arrival order, each
 * sanitised as a whole line, stderr's behind the gutter, unfinished lines last. The same text as
 * an unbounded OutputLog would show, built in one pass: runs of whole lines that sanitising
 * leaves alone are copied as they are, so 16 MiB of line breaks is a few string operations, not
 * 16 million line objects.
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
    const lines = unchanged(block) ? block : block.split('\n').map(sanitizeLine).join('\n');
    parts.push(stream === 'stderr' ? STDERR_MARK + lines.replaceAll('\n', `\n${STDERR_MARK}`) : lines);
  };
  for (const { stream, chunk } of chunks) take(stream, decoders[stream].write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
  for (const stream of ['stdout', 'stderr'] as const) {
    take(stream, decoders[stream].end());
    if (partial[stream] !== '') take(stream, '\n');
  }
  return parts.length === 0 ? '' : `${parts.join('\n')}\n`;
}
