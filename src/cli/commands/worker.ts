import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { loadConfig } from '../../core/config.js';
import { PlasmError } from '../../core/errors.js';
import { loadOrCreateNodeKey } from '../../core/keys.js';
import { sanitizeLabel } from '../../core/sanitize.js';
import { checkRedisUrl, shownUrl } from '../../queue/connection.js';
import { DEFAULT_LOCK_SECONDS, DEFAULT_QUEUE } from '../../queue/names.js';
import { startQueueWorker } from '../../queue/queue-worker.js';
import { WORKER_HELP } from '../help.js';
import { reportError } from '../output.js';
import { parseCommand, positiveInteger, positiveNumber } from '../parse.js';

/**
 * `plasm-tui worker --redis URL`: takes portable jobs from a queue on Redis, runs each in its own
 * sandbox and signs its receipt with this worker's key (src/queue/queue-worker.ts). It says its
 * public key on start, for clients to pin. SIGINT or SIGTERM: no new jobs, those in flight
 * finish, then it exits 0.
 */
export async function workerCommand(argv: string[]): Promise<number> {
  try {
    const { values, positionals } = parseCommand('worker', argv, {
      redis: { type: 'string' },
      queue: { type: 'string' },
      concurrency: { type: 'string' },
      'allow-dir': { type: 'string', multiple: true },
      key: { type: 'string' },
      'lock-seconds': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      process.stdout.write(WORKER_HELP);
      return 0;
    }
    if (positionals.length > 0) throw new PlasmError('usage', `worker takes no arguments, only options, not "${positionals[0]}". See \`plasm-tui worker --help\`.`);
    if (values.redis === undefined) throw new PlasmError('usage', 'worker needs --redis redis://HOST:PORT (the Redis its queue lives on). See `plasm-tui worker --help`.');
    const redis = checkRedisUrl(values.redis, '--redis');
    const queue = values.queue ?? DEFAULT_QUEUE;
    if (!/^[A-Za-z0-9._-]{1,100}$/.test(queue)) throw new PlasmError('usage', `--queue takes a name of letters, digits, ".", "_" and "-", not "${queue}".`);
    const concurrency = positiveInteger(values.concurrency, '--concurrency') ?? availableParallelism();
    const lockSeconds = positiveNumber(values['lock-seconds'], '--lock-seconds') ?? DEFAULT_LOCK_SECONDS;
    const dirs = allowedDirs(values['allow-dir'] ?? []);
    const config = loadConfig();
    const key = loadOrCreateNodeKey(values.key === undefined ? undefined : resolve(values.key));

    const worker = await startQueueWorker({
      redis,
      queue,
      concurrency,
      key,
      config,
      dirs,
      lockMs: Math.round(lockSeconds * 1000),
      onProblem: (message) => process.stderr.write(`plasm-tui: worker: ${sanitizeLabel(message)}\n`),
    });
    const served = dirs.size > 0 ? `, serving ${[...dirs].map(([guest, host]) => `${host} at ${guest}`).join(', ')} read-only` : '';
    process.stderr.write(`plasm-tui: worker ${key.publicKeyHex} takes jobs from queue "${queue}" on ${sanitizeLabel(shownUrl(redis))}, ${concurrency} at a time${sanitizeLabel(served)}\n`);

    await new Promise<void>((done) => {
      const stop = (): void => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        process.stderr.write('plasm-tui: worker stopping: finishing the jobs in flight\n');
        void worker.close().then(done, (error: unknown) => {
          reportError(error);
          done();
        });
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    return 0;
  } catch (error) {
    return reportError(error);
  }
}

/** `--allow-dir HOST::GUEST`, each an existing folder, each guest path once: guest → host. */
function allowedDirs(specs: string[]): Map<string, string> {
  const dirs = new Map<string, string>();
  for (const spec of specs) {
    const [host, guest, extra] = spec.split('::');
    if (!host || !guest || extra !== undefined) throw new PlasmError('usage', `--allow-dir takes HOST::GUEST (e.g. --allow-dir ./data::/data), not "${spec}".`);
    const path = resolve(host);
    let isDir = false;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      // said below
    }
    if (!isDir) throw new PlasmError('not_found', `--allow-dir: ${host} is not a folder.`);
    if (dirs.has(guest)) throw new PlasmError('usage', `--allow-dir: the guest path ${guest} is given twice.`);
    dirs.set(guest, path);
  }
  return dirs;
}
