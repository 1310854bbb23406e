/**
 * Module and stdin bytes travel by content hash: a client stores them once under their hash
 * (bytes already there are not sent again, only their time to live renewed; SET NX), and a
 * worker reads them back and checks them against the hash before anything runs. Both sides hold
 * a size cap, so neither a client nor a forged job makes the other read more than it allows.
 */
import type { Redis } from 'ioredis';
import { PlasmError } from '../core/errors.js';
import { sha256, type Hash } from '../core/hash.js';
import { formatBytes } from '../engine/module-file.js';
import { blobKey, KEEP_SECONDS } from './names.js';

export class BlobStore {
  constructor(private readonly redis: Redis) {}

  /** Stores `bytes` under their hash (once); refuses bytes over `maxBytes` in one sentence naming `what`. */
  async put(bytes: Uint8Array, maxBytes: number, what: string): Promise<Hash> {
    const [hash] = await this.putAll([{ bytes, maxBytes, what }]);
    return hash as Hash;
  }

  /** Several at once, in two round trips: which are there already (their time renewed), then the rest. */
  async putAll(blobs: readonly { bytes: Uint8Array; maxBytes: number; what: string }[]): Promise<Hash[]> {
    for (const { bytes, maxBytes, what } of blobs) {
      if (bytes.byteLength > maxBytes) {
        throw new PlasmError('invalid', `${what} is ${formatBytes(bytes.byteLength)}, over the ${formatBytes(maxBytes)} a queued job may carry.`);
      }
    }
    const hashes = blobs.map(({ bytes }) => sha256(bytes));
    const renewed = await this.pipeline(hashes.map((hash) => ['expire', blobKey(hash), KEEP_SECONDS]));
    const missing = blobs.filter((_, i) => renewed[i] !== 1);
    // SET NX: another client storing the same bytes in between stored the same hash, the same bytes.
    if (missing.length > 0) {
      await this.pipeline(missing.map(({ bytes }) => ['set', blobKey(sha256(bytes)), Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'EX', KEEP_SECONDS, 'NX']));
    }
    return hashes;
  }

  private async pipeline(commands: (string | number | Buffer)[][]): Promise<unknown[]> {
    const replies = (await this.redis.pipeline(commands as [string, ...(string | number | Buffer)[]][]).exec()) ?? [];
    return replies.map(([error, value]) => {
      if (error) throw error;
      return value;
    });
  }

  /**
   * The bytes stored under `hash`, checked against it; a PlasmError ("invalid") when they are
   * missing, over `maxBytes` or not what the hash names. A Redis that cannot be reached throws
   * its own error (the caller may try again later).
   */
  async get(hash: Hash, maxBytes: number, what: string): Promise<Buffer> {
    const key = blobKey(hash);
    const size = await this.redis.strlen(key);
    if (size > maxBytes) throw new PlasmError('invalid', `${what} ${hash} is ${formatBytes(size)}, over the ${formatBytes(maxBytes)} this worker takes.`);
    const bytes = await this.redis.getBuffer(key);
    if (bytes === null) throw new PlasmError('invalid', `${what} ${hash} is not in Redis (never uploaded, or expired).`);
    const actual = sha256(bytes);
    if (actual !== hash) throw new PlasmError('invalid', `${what} stored under ${hash} has hash ${actual}; refusing to run it.`);
    return bytes;
  }
}
