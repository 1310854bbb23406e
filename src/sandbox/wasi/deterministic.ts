/**
 * Deterministic mode's WASI calls: what a guest could otherwise learn from the host (the time,
 * randomness, scheduling) becomes a function of the job itself.
 *
 * - Clocks read a virtual clock driven by the fuel the guest has consumed: one unit of fuel is
 *   one nanosecond. The realtime clock starts at VIRTUAL_EPOCH_NS (2000-01-01T00:00:00Z), the
 *   monotonic and CPU-time clocks at 0; every clock's resolution is 1 ns. The fuel count is exact
 *   at every import call (the meter writes it back before calls), so the same run reads the
 *   same times.
 * - poll_oneoff: a clock subscription advances the virtual clock to its deadline instead of
 *   sleeping (the earliest one wins, as a real poll would wake for it); descriptor
 *   subscriptions are all ready at once, with no bytes promised, and do not move the clock.
 * - random_get: a keystream of AES-256-CTR keyed by SHA-256 of the seed, so the bytes are the
 *   same for the same seed, however the guest asks for them (one call of 64 bytes or 64 of one).
 * - sched_yield does nothing (there is nothing else to run).
 *
 * File stat times, inode numbers and readdir order are made deterministic by the path layer
 * (confine-paths.ts with `deterministic`), which knows each descriptor's guest path.
 */
import { createCipheriv, createHash, type Cipher } from 'node:crypto';
import { ERRNO } from './errno.js';

type Imports = Record<string, Record<string, unknown>>;

/** 2000-01-01T00:00:00Z in nanoseconds: where the virtual realtime clock starts. */
export const VIRTUAL_EPOCH_NS = 946_684_800_000_000_000n;
/** Virtual nanoseconds per unit of fuel. */
export const NS_PER_FUEL = 1n;

const CLOCK = { REALTIME: 0, MONOTONIC: 1, PROCESS_CPUTIME: 2, THREAD_CPUTIME: 3 } as const;
const EVENTTYPE_CLOCK = 0;
const SUBCLOCK_ABSTIME = 1;
const SUBSCRIPTION_SIZE = 48;
const EVENT_SIZE = 32;

export interface DeterministicOptions {
  /** The seed, 64 hex digits. */
  seed: string;
  /** Fuel consumed so far (exact at an import call). */
  fuelNow: () => number;
  memory: () => unknown;
}

/** The keystream every random_get draws from, in order. */
export function seededRandom(seed: string): (length: number) => Buffer {
  const key = createHash('sha256').update(`plasm-tui/random/v1\n${seed}`).digest();
  const cipher: Cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  return (length) => cipher.update(Buffer.alloc(length));
}

export function deterministicCalls(imports: Imports, options: DeterministicOptions): Imports {
  const raw = imports.wasi_snapshot_preview1 as Record<string, unknown>;
  const random = seededRandom(options.seed);
  /** Virtual nanoseconds slept in poll_oneoff, on top of the fuel's. */
  let slept = 0n;
  const view = (): DataView => {
    const memory = options.memory();
    if (!(memory instanceof WebAssembly.Memory)) throw new Error('WASI was called before the module started');
    return new DataView(memory.buffer);
  };
  const fits = (memory: DataView, pointer: number, length: number): boolean => pointer >= 0 && length >= 0 && pointer + length <= memory.byteLength;
  const cpuNs = (): bigint => BigInt(options.fuelNow()) * NS_PER_FUEL;
  const now = (clock: number): bigint | null => {
    switch (clock) {
      case CLOCK.REALTIME:
        return VIRTUAL_EPOCH_NS + cpuNs() + slept;
      case CLOCK.MONOTONIC:
        return cpuNs() + slept;
      case CLOCK.PROCESS_CPUTIME:
      case CLOCK.THREAD_CPUTIME:
        return cpuNs();
      default:
        return null;
    }
  };

  const calls = {
    clock_time_get(clock: number, _precision: bigint, out: number): number {
      const memory = view();
      const time = now(clock);
      if (time === null) return ERRNO.INVAL;
      if (!fits(memory, out, 8)) return ERRNO.FAULT;
      memory.setBigUint64(out, time, true);
      return ERRNO.SUCCESS;
    },
    clock_res_get(clock: number, out: number): number {
      const memory = view();
      if (now(clock) === null) return ERRNO.INVAL;
      if (!fits(memory, out, 8)) return ERRNO.FAULT;
      memory.setBigUint64(out, 1n, true);
      return ERRNO.SUCCESS;
    },
    random_get(buf: number, length: number): number {
      const memory = view();
      if (!fits(memory, buf, length)) return ERRNO.FAULT;
      new Uint8Array(memory.buffer, buf, length).set(random(length));
      return ERRNO.SUCCESS;
    },
    sched_yield(): number {
      return ERRNO.SUCCESS;
    },
    poll_oneoff(input: number, output: number, count: number, eventsOut: number): number {
      const memory = view();
      if (count === 0) return ERRNO.INVAL;
      if (!fits(memory, input, count * SUBSCRIPTION_SIZE) || !fits(memory, output, count * EVENT_SIZE) || !fits(memory, eventsOut, 4)) return ERRNO.FAULT;
      const subscriptions = Array.from({ length: count }, (_, i) => {
        const at = input + i * SUBSCRIPTION_SIZE;
        const userdata = memory.getBigUint64(at, true);
        const tag = memory.getUint8(at + 8);
        if (tag !== EVENTTYPE_CLOCK) return { userdata, tag, wait: null, error: ERRNO.SUCCESS };
        const current = now(memory.getUint32(at + 16, true));
        if (current === null) return { userdata, tag, wait: 0n, error: ERRNO.INVAL };
        const timeout = memory.getBigUint64(at + 24, true);
        const absolute = (memory.getUint16(at + 40, true) & SUBCLOCK_ABSTIME) !== 0;
        const wait = absolute ? (timeout > current ? timeout - current : 0n) : timeout;
        return { userdata, tag, wait, error: ERRNO.SUCCESS };
      });
      // Descriptors are ready at once; else the clock moves to the first deadline.
      const anyDescriptor = subscriptions.some((s) => s.wait === null);
      const waits = subscriptions.flatMap((s) => (s.wait === null ? [] : [s.wait]));
      const step = anyDescriptor ? 0n : waits.reduce((a, b) => (b < a ? b : a));
      slept += step;
      let events = 0;
      for (const s of subscriptions) {
        if (s.wait !== null && s.wait > step) continue;
        const at = output + events * EVENT_SIZE;
        for (let b = 0; b < EVENT_SIZE; b++) memory.setUint8(at + b, 0);
        memory.setBigUint64(at, s.userdata, true);
        memory.setUint16(at + 8, s.error, true);
        memory.setUint8(at + 10, s.tag);
        events++;
      }
      memory.setUint32(eventsOut, events, true);
      return ERRNO.SUCCESS;
    },
  };
  return { ...imports, wasi_snapshot_preview1: { ...raw, ...calls } };
}
