/**
 * Splits one function body into basic blocks, prices each one, and finds where the function's
 * fuel (kept in a local while the function runs, see ./instrument.ts) must be written back to
 * the global. A block's charge is placed before its first instruction (its leader) and pays for
 * the whole block, so a block is paid once per entry however it is reached.
 *
 * Leaders: the function's first instruction; the instruction after `loop` (the loop header, the
 * target of every backward branch), `if`, `else`, `br`, `br_if`, `br_table`, `return`,
 * `unreachable` and every call (so a call that exits or traps has not been charged for what
 * follows it); and the instruction after `end`, except where that `end` can only be reached by
 * falling into it — a `loop`'s end, or a `block`'s end that no branch targets — in which case
 * the code after it simply continues the current block.
 *
 * Checks ("has the fuel run out?") go at the function entry and at every loop header, so no
 * loop and no recursion can run unchecked; other blocks only subtract.
 *
 * Write-backs go before every way out of the function that the host can observe: calls (the
 * callee, or WASI's proc_exit, reads the global), `return`, branches to the function's own
 * label, its final `end`, and the guest's own `unreachable`.
 *
 * The fuel's local and global are the first index past the function's locals and past the
 * module's globals: an instruction of the original body that names either is refused here, so
 * the guest's code can never read or write its own fuel (a valid module never names them; see
 * ./meter.ts, which validates first).
 */
import { type Reader, unmeterable } from './leb128.js';
import { skipImmediates, unsupported } from './opcodes.js';

/** What to insert before an instruction. */
export const Insert = {
  /** Function entry: load the global into the local, charge, check. */
  Entry: 0,
  /** Loop header: charge, check. */
  Loop: 1,
  /** Any other block: charge. */
  Block: 2,
  /** After a call: reload the local from the global (the callee spent some), charge. */
  Resume: 3,
  /** Write the local back to the global. */
  Sync: 4,
} as const;
export type Insert = (typeof Insert)[keyof typeof Insert];

export interface Insertion {
  /** Offset in the module of the instruction before which the code is inserted. */
  at: number;
  kind: Insert;
  /** Instructions of the original body in the block this charge pays for (0 for Sync). */
  cost: number;
  /**
   * The block holds an instruction that may trap (a memory or table access, a division, a
   * float-to-integer conversion): its charge is written back at once, so a run that ends in that
   * trap reports the fuel it needed, not what the function had written back before.
   */
  traps: boolean;
}

/**
 * Instructions that cost nothing, as in wasmtime's fuel: structure (block, loop, else, end) and
 * nop, drop, unreachable, return. What is left is the work a program does; a block-heavy switch
 * (an interpreter's dispatch) is no longer charged per nesting level.
 */
const FREE = new Set([0x00, 0x01, 0x02, 0x03, 0x05, 0x0b, 0x0f, 0x1a]);

/** Single-byte opcodes that may trap, besides calls and `unreachable` (written back anyway). */
const TRAPPING = new Set([
  0x25, 0x26, // table.get, table.set
  ...Array.from({ length: 0x3e - 0x28 + 1 }, (_, i) => 0x28 + i), // loads and stores
  0x6d, 0x6e, 0x6f, 0x70, 0x7f, 0x80, 0x81, 0x82, // integer division and remainder
  0xa8, 0xa9, 0xaa, 0xab, 0xae, 0xaf, 0xb0, 0xb1, // float to integer, trapping
  0xfc, 0xfd, // bulk memory and table operations, SIMD loads and stores: any, to be safe
]);

const FUNCTION = 0;
const BLOCK = 1;
const LOOP = 2;
const IF = 3;
const ELSE = 4;

/** Where the fuel lives: indices the original code must stay below. */
export interface FuelIndices {
  /** The fuel's local: the function's parameter and local count. */
  local: number;
  /** The fuel's global: the module's global count, imported ones included. */
  global: number;
}

/** Reads the instructions from `r.pos` to `r.end` (one function's expression) and returns what to insert, in order. */
export function insertionsOf(r: Reader, fuel: FuelIndices): Insertion[] {
  const kinds: number[] = [FUNCTION];
  const targeted: boolean[] = [false];
  const out: Insertion[] = [];
  let syncAdded = -1; // the position of the last write-back, so a br_table adds one at most
  const target = (label: number, at: number): void => {
    if (label >= kinds.length) throw unmeterable(`the branch at byte ${at} targets a block that does not exist`);
    targeted[kinds.length - 1 - label] = true;
    if (label === kinds.length - 1 && syncAdded !== at) sync(at); // a branch out of the function
  };
  const sync = (at: number): void => {
    out.push({ at, kind: Insert.Sync, cost: 0, traps: false });
    syncAdded = at;
  };
  let current: Insertion = { at: r.pos, kind: Insert.Entry, cost: 0, traps: false };
  out.push(current);
  let next: Insert | undefined; // the next instruction starts a block of this kind

  while (r.pos < r.end) {
    const at = r.pos;
    if (next !== undefined) {
      current = { at, kind: next, cost: 0, traps: false };
      out.push(current);
      next = undefined;
    }
    const op = r.byte();
    if (!FREE.has(op)) current.cost++;
    if (TRAPPING.has(op)) current.traps = true;
    switch (op) {
      case 0x02: // block
        r.blockType();
        kinds.push(BLOCK);
        targeted.push(false);
        break;
      case 0x03: // loop
        r.blockType();
        kinds.push(LOOP);
        targeted.push(false);
        next = Insert.Loop;
        break;
      case 0x04: // if
        r.blockType();
        kinds.push(IF);
        targeted.push(false);
        next = Insert.Block;
        break;
      case 0x05: // else
        if (kinds[kinds.length - 1] !== IF) throw unmeterable(`the else at byte ${at} has no if`);
        kinds[kinds.length - 1] = ELSE;
        next = Insert.Block;
        break;
      case 0x0b: {
        // end
        if (kinds.length === 1) {
          if (r.pos !== r.end) throw unmeterable(`a function body ends at byte ${at} before its declared size`);
          sync(at);
          return out;
        }
        const kind = kinds.pop()!;
        const wasTargeted = targeted.pop()!;
        if (kind === IF || kind === ELSE || (kind === BLOCK && wasTargeted)) next = Insert.Block;
        break;
      }
      case 0x0c: // br
      case 0x0d: // br_if
        target(r.u32(), at);
        next = Insert.Block;
        break;
      case 0x0e: {
        // br_table: the labels, then the default
        const count = r.u32();
        for (let i = 0; i <= count; i++) target(r.u32(), at);
        next = Insert.Block;
        break;
      }
      case 0x00: // unreachable
      case 0x0f: // return
        sync(at);
        next = Insert.Block;
        break;
      case 0x10: // call
      case 0x12: // return_call
        r.skipLeb(5);
        sync(at);
        next = Insert.Resume;
        break;
      case 0x11: // call_indirect type table
      case 0x13: // return_call_indirect
        r.skipLeb(5);
        r.skipLeb(5);
        sync(at);
        next = Insert.Resume;
        break;
      case 0x20: // local.get
      case 0x21: // local.set
      case 0x22: // local.tee
        if (r.u32() >= fuel.local) throw unmeterable(`the instruction at byte ${at} names a local the function does not have`);
        break;
      case 0x23: // global.get
      case 0x24: // global.set
        if (r.u32() >= fuel.global) throw unmeterable(`the instruction at byte ${at} names a global the module does not have`);
        break;
      default:
        if (op < 0x1a && op !== 0x01) throw unsupported(op, at);
        skipImmediates(op, r);
    }
  }
  throw unmeterable(`a function body ending at byte ${r.end} has no final end`);
}
