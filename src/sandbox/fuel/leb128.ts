/**
 * Bounds-checked reading and growable writing of the wasm binary's primitives (bytes and
 * LEB128 numbers). Every read checks its limit and every LEB has a maximum length, so a
 * malformed or truncated module ends in a thrown error, never in a read past the end or a hang.
 */
import { PlasmError } from '../../core/errors.js';

/** The one error the fuel instrumenter throws: the module cannot be metered, and why. */
export function unmeterable(reason: string): PlasmError {
  return new PlasmError('invalid', `The module cannot be metered for fuel: ${reason}.`);
}

export class Reader {
  constructor(
    readonly bytes: Uint8Array,
    public pos: number,
    public end: number,
  ) {}

  byte(): number {
    if (this.pos >= this.end) throw unmeterable(`it ends early (at byte ${this.pos})`);
    return this.bytes[this.pos++]!;
  }

  skip(count: number): void {
    if (count > this.end - this.pos) throw unmeterable(`it ends early (at byte ${this.pos})`);
    this.pos += count;
  }

  /** An unsigned 32-bit LEB128. */
  u32(): number {
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const byte = this.byte();
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) {
        if (result > 0xffffffff) break;
        return result;
      }
    }
    throw unmeterable(`a number at byte ${this.pos} is longer than 32 bits`);
  }

  /** Any LEB128 of at most `maxBytes` bytes whose value is not needed (5 for 32 bits, 10 for 64). */
  skipLeb(maxBytes: number): void {
    for (let i = 0; i < maxBytes; i++) {
      if ((this.byte() & 0x80) === 0) return;
    }
    throw unmeterable(`a number at byte ${this.pos} is too long`);
  }

  /** A value type; the typed-reference forms (0x63/0x64) carry a heap type after them. */
  valType(): void {
    const byte = this.byte();
    if (byte === 0x63 || byte === 0x64) this.skipLeb(5);
    else if (byte & 0x80) throw unmeterable(`byte ${this.pos - 1} is not a value type`);
  }

  /** A block type: empty (0x40), one value type, or a type index (a positive s33). */
  blockType(): void {
    const byte = this.bytes[this.pos];
    if (byte === 0x63 || byte === 0x64) this.valType();
    else this.skipLeb(5);
  }

  /** A length-prefixed name, as its raw bytes. */
  name(): Uint8Array {
    const length = this.u32();
    const start = this.pos;
    this.skip(length);
    return this.bytes.subarray(start, this.pos);
  }
}

export class Writer {
  private buffer: Uint8Array;
  length = 0;

  constructor(capacity = 1024) {
    this.buffer = new Uint8Array(Math.max(16, capacity));
  }

  private ensure(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + extra) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }

  byte(value: number): void {
    this.ensure(1);
    this.buffer[this.length++] = value;
  }

  bytes(source: Uint8Array, start = 0, end = source.length): void {
    this.ensure(end - start);
    if (end - start < 64) {
      // Most copies are a few bytes between two insertions: a subarray costs more than the loop.
      for (let i = start; i < end; i++) this.buffer[this.length++] = source[i]!;
      return;
    }
    this.buffer.set(source.subarray(start, end), this.length);
    this.length += end - start;
  }

  u32(value: number): void {
    do {
      const byte = value % 128;
      value = Math.floor(value / 128);
      this.byte(value > 0 ? byte | 0x80 : byte);
    } while (value > 0);
  }

  /** A signed LEB128 of a non-negative 32-bit number (block costs), without a BigInt. */
  s32(value: number): void {
    for (;;) {
      const byte = value & 0x7f;
      value >>>= 7;
      if (value === 0 && (byte & 0x40) === 0) return this.byte(byte);
      this.byte(byte | 0x80);
    }
  }

  append(content: Writer): void {
    this.bytes(content.buffer, 0, content.length);
  }

  /** A section or body: its size as a LEB128, then its bytes. */
  sized(content: Writer): void {
    this.u32(content.length);
    this.append(content);
  }

  result(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

export function encodeU32(value: number): Uint8Array {
  const out: number[] = [];
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    out.push(byte);
  } while (value > 0);
  return Uint8Array.from(out);
}

/**
 * A non-negative integer as a signed LEB128 of exactly `width` bytes (continuation bits on all
 * but the last; a valid, if not the shortest, encoding), so it can be rewritten in place.
 */
export function encodeS64Padded(value: bigint, width: number): Uint8Array {
  if (value < 0n || value >= 1n << BigInt(7 * width - 1)) throw new RangeError(`${value} does not fit ${width} bytes`);
  const out = new Uint8Array(width);
  for (let i = 0; i < width; i++) {
    out[i] = Number(value & 0x7fn) | (i < width - 1 ? 0x80 : 0);
    value >>= 7n;
  }
  return out;
}

/** A signed LEB128 of any integer in the i64 range (i64.const immediates). */
export function encodeS64(value: bigint): Uint8Array {
  const out: number[] = [];
  for (;;) {
    const byte = Number(value & 0x7fn);
    value >>= 7n; // arithmetic shift: keeps the sign
    const done = (value === 0n && (byte & 0x40) === 0) || (value === -1n && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return Uint8Array.from(out);
  }
}
