/**
 * The immediates of every non-control instruction the fuel meter accepts, so a function body
 * can be walked one instruction at a time. Accepted: the MVP, sign extension, saturating
 * float-to-int and bulk memory (0xFC 0–17), reference types, multi-value, SIMD and relaxed
 * SIMD (0xFD), threads (0xFE). Anything else (exceptions, GC, typed function references) is
 * refused by name rather than guessed at: a wrong guess would shift every later instruction.
 * Control instructions (0x00–0x15) are decoded by ./blocks.ts, which needs their labels, and
 * so are local.* and global.* (0x20–0x24), whose index it checks.
 */
import { type Reader, unmeterable } from './leb128.js';

export function skipImmediates(op: number, r: Reader): void {
  if (op >= 0x45 && op <= 0xc4) return; // numeric operators, sign extension included
  if (op >= 0x28 && op <= 0x3e) return memArg(r); // loads and stores
  switch (op) {
    case 0x01: // nop
    case 0x1a: // drop
    case 0x1b: // select
    case 0xd1: // ref.is_null
      return;
    case 0x1c: {
      // select with explicit result types
      const count = r.u32();
      for (let i = 0; i < count; i++) r.valType();
      return;
    }
    case 0x25: // table.get
    case 0x26: // table.set
    case 0x3f: // memory.size (memory index)
    case 0x40: // memory.grow
    case 0x41: // i32.const
    case 0xd2: // ref.func
      return r.skipLeb(5);
    case 0x42: // i64.const
      return r.skipLeb(10);
    case 0x43: // f32.const
      return r.skip(4);
    case 0x44: // f64.const
      return r.skip(8);
    case 0xd0: // ref.null heaptype
      return r.skipLeb(5);
    case 0xfc:
      return misc(r);
    case 0xfd:
      return simd(r);
    case 0xfe:
      return atomic(r);
    default:
      throw unsupported(op, r.pos - 1);
  }
}

/** Alignment (with a memory index when bit 6 is set: multi-memory), then an offset (64-bit for memory64). */
function memArg(r: Reader): void {
  const align = r.u32();
  if (align & 0x40) r.skipLeb(5);
  r.skipLeb(10);
}

function misc(r: Reader): void {
  const at = r.pos - 1;
  const sub = r.u32();
  if (sub <= 7) return; // saturating float-to-int
  switch (sub) {
    case 8: // memory.init data mem
    case 10: // memory.copy mem mem
    case 12: // table.init elem table
    case 14: // table.copy table table
      r.skipLeb(5);
      return r.skipLeb(5);
    case 9: // data.drop
    case 11: // memory.fill
    case 13: // elem.drop
    case 15: // table.grow
    case 16: // table.size
    case 17: // table.fill
      return r.skipLeb(5);
    default:
      throw unmeterable(`the instruction 0xFC ${sub} at byte ${at} is not supported`);
  }
}

function simd(r: Reader): void {
  const at = r.pos - 1;
  const sub = r.u32();
  if (sub <= 11 || sub === 92 || sub === 93) return memArg(r); // v128 loads and stores, load_zero
  if (sub === 12 || sub === 13) return r.skip(16); // v128.const, i8x16.shuffle
  if (sub >= 21 && sub <= 34) return r.skip(1); // extract_lane / replace_lane
  if (sub >= 84 && sub <= 91) {
    memArg(r); // load_lane / store_lane
    return r.skip(1);
  }
  if (sub <= 0x113) return; // every other SIMD and relaxed SIMD operator has no immediates
  throw unmeterable(`the instruction 0xFD ${sub} at byte ${at} is not supported`);
}

function atomic(r: Reader): void {
  const at = r.pos - 1;
  const sub = r.u32();
  if (sub === 0x03) return r.skip(1); // atomic.fence 0x00
  if (sub <= 0x02 || (sub >= 0x10 && sub <= 0x4e)) return memArg(r);
  throw unmeterable(`the instruction 0xFE ${sub} at byte ${at} is not supported`);
}

const PROPOSALS: Record<number, string> = {
  0x06: 'exception handling', 0x07: 'exception handling', 0x08: 'exception handling',
  0x09: 'exception handling', 0x0a: 'exception handling', 0x18: 'exception handling',
  0x19: 'exception handling', 0x1f: 'exception handling',
  0x14: 'typed function references', 0x15: 'typed function references', 0xd3: 'typed function references',
  0xd4: 'typed function references', 0xd5: 'typed function references', 0xd6: 'typed function references',
  0xfb: 'garbage collection',
};

export function unsupported(op: number, at: number): Error {
  const hex = `0x${op.toString(16).padStart(2, '0').toUpperCase()}`;
  const proposal = PROPOSALS[op];
  return unmeterable(
    proposal
      ? `it uses ${proposal} (instruction ${hex} at byte ${at}), which the fuel meter does not support`
      : `byte ${at} (${hex}) is not an instruction the fuel meter knows`,
  );
}
