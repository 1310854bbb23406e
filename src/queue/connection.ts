/**
 * Connections to Redis: one ioredis client per use (BullMQ's blocking reads need their own),
 * each retrying forever while Redis is away (`maxRetriesPerRequest: null`, which BullMQ workers
 * require), so that a Redis restart delays jobs and loses none. ioredis and BullMQ are loaded
 * when a queue is first used: `import { Client } from 'plasm-tui'` does not pay for them.
 */
import type { Redis } from 'ioredis';
import { PlasmError } from '../core/errors.js';

/** Checks a Redis URL at the edge: redis:// or rediss://, with a host. */
export function checkRedisUrl(url: string, where: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new PlasmError('usage', `${where} takes a Redis URL like redis://127.0.0.1:6379, not "${url}".`);
  }
  if ((parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') || parsed.hostname === '') {
    throw new PlasmError('usage', `${where} takes a Redis URL like redis://127.0.0.1:6379, not "${url}".`);
  }
  return url;
}

/** The URL as it may be shown: without a password. */
export function shownUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString().replace(/\/$/, '');
}

/** The copies BullMQ makes of a client for its blocking reads, closed with it. */
const copies = new WeakMap<Redis, Redis[]>();

/** A client; `onError` hears each connection error (ioredis would print them itself otherwise). */
export async function openRedis(url: string, onError: (error: Error) => void = () => {}): Promise<Redis> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, { maxRetriesPerRequest: null });
  redis.on('error', onError);
  const family: Redis[] = [];
  copies.set(redis, family);
  const duplicate = redis.duplicate.bind(redis);
  redis.duplicate = (...args: Parameters<Redis['duplicate']>): Redis => {
    const copy = duplicate(...args);
    copy.on('error', onError);
    family.push(copy);
    return copy;
  };
  return redis;
}

/**
 * Closes a client and the copies made of it, whether or not Redis is there: QUIT (and BullMQ's
 * close) would wait for a reconnect that may never come, its retry timer keeping the program up.
 */
export function closeRedis(redis: Redis): void {
  for (const client of [redis, ...(copies.get(redis) ?? [])]) client.disconnect(false);
}
