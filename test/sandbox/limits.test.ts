// Kernel limits and death with the parent, through the real binary, with the OS sandbox
// required and with it off: a table bomb stays bounded and is a memory_limit, a killed CLI
// leaves no worker behind, and compiling WebAssembly text is under the job's time limit.
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, WAT } from '../helpers/cli.js';
import { envFor, MODES } from '../helpers/modes.js';
import { descendants, isGone, isWorker, peakRss } from '../helpers/procs.js';
import { until } from '../helpers/poll.js';

const MB = 1024 * 1024;

/** CPU time a process has used, in clock ticks (utime + stime). */
function cpuTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

describe.each(MODES)('PLASM_OS_SANDBOX=%s', (mode) => {
  it('caps the bytes a job can write into one file of a read-write dir (max_file_bytes, RLIMIT_FSIZE): EFBIG, not a kill', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plasm-fsize-'));
    const config = mkdtempSync(join(tmpdir(), 'plasm-fsize-config-'));
    mkdirSync(join(config, 'plasm-tui'));
    writeFileSync(join(config, 'plasm-tui', 'config.json'), JSON.stringify({ max_file_bytes: 1024 * 1024 }));
    const r = await cli(['run', '--json', '--dir', `${dir}::/out`, join(WAT, 'fill-file.wat')], { env: { ...envFor(mode), XDG_CONFIG_HOME: config } });
    const report = JSON.parse(r.stdout as string);
    expect(report).toMatchObject({ status: 'exit', exit_code: 22 }); // WASI EFBIG on the 17th 64 KiB write
    expect(statSync(join(dir, 'big')).size).toBe(1024 * 1024);
    expect(report.containment.find((l: { name: string }) => l.name === 'kernel_limits').detail).toMatch(/FSIZE 1 MiB/);
    // With the default (1 GiB) the same 4 MiB go through.
    const free = await cli(['run', '--json', '--dir', `${dir}::/out`, join(WAT, 'fill-file.wat')], { env: envFor(mode) });
    expect(JSON.parse(free.stdout as string)).toMatchObject({ status: 'ok', exit_code: 0 });
    expect(statSync(join(dir, 'big')).size).toBe(4 * 1024 * 1024);
  });

  it('stops a table bomb under --memory 64 below 400 MB of RSS, as memory_limit', async () => {
    const run = cli(['run', '--json', '--memory', '64', join(WAT, 'table-bomb.wat')], { env: envFor(mode) });
    let peak = 0;
    const workers = new Set<number>();
    while (run.exitCode === null) {
      for (const pid of descendants(run.pid as number)) if (isWorker(pid)) workers.add(pid);
      for (const pid of workers) peak = Math.max(peak, peakRss(pid) ?? 0);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const r = await run;
    const report = JSON.parse(r.stdout as string);
    expect(report.status).toBe('memory_limit');
    expect(r.exitCode).toBe(125);
    expect(report.message).toBe("The job needed more memory than its 64 MiB cap allows (tables and the runtime's own included) and was stopped.");
    expect(workers.size).toBe(1);
    expect(peak).toBeGreaterThan(100 * MB); // the bomb did grow while we watched…
    expect(peak).toBeLessThan(400 * MB); // …and the kernel stopped it (unbounded it passes 1.5 GB)
  });

  it('leaves no worker behind when the CLI is killed with SIGKILL mid-job', async () => {
    const run = cli(['run', '--timeout', '60', join(WAT, 'loop.wat')], { env: envFor(mode) });
    const cliPid = run.pid as number;
    // Mid-job: the worker has spun the loop for a fifth of a second of CPU time.
    const worker = await until(() => descendants(cliPid).find((pid) => isWorker(pid) && cpuTicks(pid) >= 20), 'the worker to be mid-job');
    expect(isWorker(worker)).toBe(true);
    const family = descendants(cliPid); // the worker and, under bwrap, bwrap's own processes
    process.kill(cliPid, 'SIGKILL');
    await run;
    await until(() => family.every(isGone), 'every process of the job to be gone', 5_000);
    expect(family.filter((pid) => !isGone(pid))).toEqual([]);
  });

  it('compiles WebAssembly text inside the time limit: a huge .wat with --timeout 1 is a timeout', async () => {
    // 600,000 small functions, ~54 MB: wabt needs about 2 s for it here, and ~600 MB.
    const dir = mkdtempSync(join(tmpdir(), 'plasm-big-wat-'));
    const lines = ['(module (memory (export "memory") 1) (func (export "_start"))'];
    for (let i = 0; i < 600_000; i++) lines.push(`  (func $f${i} (param $a i32) (result i32) (i32.add (local.get $a) (i32.const ${i})))`);
    lines.push(')');
    const file = join(dir, 'huge.wat');
    writeFileSync(file, lines.join('\n'));

    const r = await cli(['run', '--json', '--memory', '1024', '--timeout', '1', file], { env: envFor(mode) });
    const report = JSON.parse(r.stdout as string);
    expect(report.status).toBe('timeout');
    expect(r.exitCode).toBe(124);
    expect(report.message).toBe('The job ran past its 1 s time limit and was killed.');
    // Stopped by the limit, not before it (how soon after is the machine's business: npm run bench).
    expect(report.timing.run_ms).toBeGreaterThanOrEqual(950);
  });

  it("refuses text whose initial memory is over the cap in the worker; wabt's own heap is not the guest's", async () => {
    const big = await cli(['run', '--json', join(WAT, 'big-initial.wat')], { env: envFor(mode) });
    expect(JSON.parse(big.stdout as string).message).toBe('The module asks for 256 MiB of initial memory, over its 128 MiB cap; raise the memory limit to run it.');
    expect(big.exitCode).toBe(125);
    const small = await cli(['run', '--json', '--memory', '16', join(WAT, 'grow.wat')], { env: envFor(mode) });
    expect(JSON.parse(small.stdout as string)).toMatchObject({ status: 'ok', stdout: '256\n' }); // wabt's own heap is not the guest's
  });
});
