/** Keeps at most `cap` bytes of a stream, passes each kept chunk on, and reports the overflow once. */
export class OutputCapture {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  /** Every byte that arrived, kept or not. */
  received = 0;
  truncated = false;

  constructor(
    private readonly cap: number,
    private readonly onChunk: ((chunk: Buffer) => void) | undefined,
    private readonly onOverflow: () => void,
  ) {}

  push(chunk: Buffer): void {
    this.received += chunk.length;
    if (this.truncated) return;
    const room = this.cap - this.size;
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    if (kept.length > 0) {
      this.chunks.push(kept);
      this.size += kept.length;
    }
    // The job is stopped the moment it passes the cap, before whoever follows the output sees the
    // last kept bytes: however long that takes, the cap is what ended it, and nothing else.
    if (chunk.length > room) {
      this.truncated = true;
      this.onOverflow();
    }
    if (kept.length > 0) this.onChunk?.(kept);
  }

  bytes(): Buffer {
    return Buffer.concat(this.chunks, this.size);
  }
}
