#!/usr/bin/env node
// CI's check of examples/queue.mjs: starts a private redis-server and two `plasm-tui worker`
// processes with keys of their own (queue-rig.mjs), runs the example against them, prints its
// output and exits with its exit code. Everything it started is stopped and its temp folder
// removed, however it ends. Needs redis-server and a built dist/.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startProcess, startQueueRig } from './queue-rig.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
let rig = null;
let code = 1;
try {
  rig = await startQueueRig({ workers: 2, concurrency: 2 });
  const example = startProcess(process.execPath, [join(ROOT, 'examples', 'queue.mjs')], { ...rig.env, REDIS_URL: rig.redis, WORKER_KEYS: rig.keys.join(',') });
  rig.track(example);
  const ended = await example.done;
  process.stdout.write(example.output);
  code = typeof ended === 'number' ? ended : 1;
} catch (error) {
  console.error(`queue-example-check: ${error.message}`);
  code = 1;
} finally {
  await rig?.stop();
}
process.exit(code);
