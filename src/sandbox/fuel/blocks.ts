/**
 * Splits one function body into basic blocks and prices each one. A block's charge is placed
 * before its first instruction (its leader) and pays for the whole block, so a block is paid
 * once per entry however it is reached.
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
 */
import { type Reader, unmeterable } from './leb128.js';
import { skipImmediates, unsupported } from './opcodes.js';

export interface Charge {
  /** Offset in the module of the leader before which the charge is inserted. */
  at: number;
  /** Instructions of the original body in this block. */
  cost: number;
  /** Whether the charge is followed by an exhaustion check. */
  check: boolean;
}

const FUNCTION = 0;
const BLOCK = 1;
const LOOP = 2;
const IF = 3;
const ELSE = 4;

/** Reads the instructions from `r.pos` to `r.end` (one function's expression) and returns its charges. */
export function chargesOf(r: Reader): Charge[] {
  const kinds: number[] = [FUNCTION];
  const targeted: boolean[] = [false];
  const target = (label: number): void => {
    if (label >= kinds.length) throw unmeterable(`the branch at byte ${r.pos} targets a block that does not exist`);
    targeted[kinds.length - 1 - label] = true;
  };
  let current: Charge = { at: r.pos, cost: 0, check: true };
  const charges = [current];
  let leaderNext = false; // the next instruction starts a block
  let checkNext = false; // ... and that block is a loop header

  while (r.pos < r.end) {
    if (leaderNext) {
      current = { at: r.pos, cost: 0, check: checkNext };
      charges.push(current);
      leaderNext = checkNext = false;
    }
    current.cost++;
    const op = r.byte();
    switch (op) {
      case 0x02: // block
      case 0x03: // loop
      case 0x04: // if
        r.blockType();
        kinds.push(op === 0x02 ? BLOCK : op === 0x03 ? LOOP : IF);
        targeted.push(false);
        leaderNext = op !== 0x02;
        checkNext = op === 0x03;
        break;
      case 0x05: // else
        if (kinds[kinds.length - 1] !== IF) throw unmeterable(`the else at byte ${r.pos - 1} has no if`);
        kinds[kinds.length - 1] = ELSE;
        leaderNext = true;
        break;
      case 0x0b: {
        // end
        const kind = kinds.pop()!;
        const wasTargeted = targeted.pop()!;
        if (kind === FUNCTION) {
          if (r.pos !== r.end) throw unmeterable(`a function body ends at byte ${r.pos - 1} before its declared size`);
          return charges;
        }
        leaderNext = kind === IF || kind === ELSE || (kind === BLOCK && wasTargeted);
        break;
      }
      case 0x0c: // br
      case 0x0d: // br_if
        target(r.u32());
        leaderNext = true;
        break;
      case 0x0e: {
        // br_table: the labels, then the default
        const count = r.u32();
        for (let i = 0; i <= count; i++) target(r.u32());
        leaderNext = true;
        break;
      }
      case 0x00: // unreachable
      case 0x0f: // return
        leaderNext = true;
        break;
      case 0x10: // call
      case 0x12: // return_call
        r.skipLeb(5);
        leaderNext = true;
        break;
      case 0x11: // call_indirect type table
      case 0x13: // return_call_indirect
        r.skipLeb(5);
        r.skipLeb(5);
        leaderNext = true;
        break;
      default:
        if (op < 0x1a && op !== 0x01) throw unsupported(op, r.pos - 1);
        skipImmediates(op, r);
    }
  }
  throw unmeterable(`a function body ending at byte ${r.end} has no final end`);
}
