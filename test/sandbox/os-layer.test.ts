// The OS sandbox (bubblewrap) seen from inside: the worker's process sees the Node runtime, its
// own code and the granted dirs — nothing else of the host — and the kernel refuses writes to a
// read-only grant. These hold whatever node:wasi's own path checks would let through.
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { holdGrants } from '../../src/engine/hold-grants.js';
import { hostTools } from '../../src/sandbox/launch/detect.js';
import { planLaunch } from '../../src/sandbox/launch/launcher.js';
import { kernelLimits } from '../../src/sandbox/launch/rlimits.js';
import { cli, EXAMPLES } from '../helpers/cli.js';
import { envFor } from '../helpers/modes.js';

const SECRET = 'decoy secret: the guest must never read this';

/** A secret outside every grant, and a read-only and a read-write grant beside it. */
function layout() {
  const root = mkdtempSync(join(tmpdir(), 'plasm-os-layer-'));
  const decoy = join(root, 'decoy');
  const ro = join(root, 'ro');
  const rw = join(root, 'rw');
  for (const dir of [decoy, ro, rw]) mkdirSync(dir);
  writeFileSync(join(decoy, 'secret.txt'), SECRET);
  writeFileSync(join(ro, 'given.txt'), 'given');
  return { root, decoy, ro, rw };
}

describe('bwrap, from inside the worker process', () => {
  it('shows only the runtime, the worker code and the grants; a read-only grant is EROFS', async () => {
    const { root, decoy, ro, rw } = layout();
    const code = join(root, 'code');
    mkdirSync(code);
    const probe = join(code, 'probe.cjs');
    // Plain Node, no permission model: only the kernel's view stands between it and the host.
    writeFileSync(probe, `
      const fs = require('node:fs');
      const attempt = (f) => { try { f(); return 'ok'; } catch (e) { return e.code; } };
      console.log(JSON.stringify({
        root: fs.readdirSync('/').sort(),
        etc: fs.existsSync('/etc'), home: fs.existsSync('/home'), rootHome: fs.existsSync('/root'),
        decoy: attempt(() => fs.readFileSync(${JSON.stringify(join(decoy, 'secret.txt'))})),
        readRo: fs.readFileSync(${JSON.stringify(join(ro, 'given.txt'))}, 'utf8'),
        writeRo: attempt(() => fs.writeFileSync(${JSON.stringify(join(ro, 'new.txt'))}, 'x')),
        writeRw: attempt(() => fs.writeFileSync(${JSON.stringify(join(rw, 'new.txt'))}, 'x')),
        env: Object.keys(process.env).sort(),
        processes: fs.readdirSync('/proc').filter((p) => /^\\d+$/.test(p)).length,
        rss: process.memoryUsage().rss > 0,
      }));`);
    // The grants reach bwrap as descriptors 3 and 4 (no IPC channel here), bound at their paths.
    const plan = planLaunch(
      { nodeFlags: [], workerPath: probe, readDirs: [code], dirs: [{ fd: 3, host: ro, readonly: true }, { fd: 4, host: rw, readonly: false }], limits: kernelLimits({ memoryCapBytes: 64 << 20, timeoutMs: 10_000 }) },
      hostTools(),
      'bwrap',
    );
    if ('problem' in plan) throw new Error(plan.problem);
    const grants = holdGrants([{ host: ro, guest: '/ro', readonly: true }, { host: rw, guest: '/rw', readonly: false }]);
    const r = await execa(plan.file, plan.args, { env: { PATH: '' }, extendEnv: false, reject: false, stdio: ['pipe', 'pipe', 'pipe', ...grants.dirs.map((dir) => dir.fd)] as unknown as ['pipe', 'pipe', 'pipe'] }).finally(() => grants.close());
    expect(r.stderr).toBe('');
    const seen = JSON.parse(r.stdout);
    expect(seen.root.filter((entry: string) => !/^(lib|lib32|lib64)$/.test(entry))).toEqual(['dev', 'proc', 'tmp', 'usr']);
    expect(seen).toMatchObject({ etc: false, home: false, rootHome: false, decoy: 'ENOENT', readRo: 'given', writeRo: 'EROFS', writeRw: 'ok', rss: true });
    expect(seen.env).toEqual(['PWD']); // --clearenv; bwrap sets PWD, Node takes its IPC variables out
    expect(seen.processes).toBeLessThanOrEqual(2); // its own PID namespace: bwrap's init and itself
    expect(readFileSync(join(rw, 'new.txt'), 'utf8')).toBe('x');
  });

  it('keeps a secret outside the grants unreadable even through a symlinked folder in a read-write grant', async () => {
    // node:wasi checks only the last path component's symlink: with neither layer,
    // /data/escape/secret.txt follows `escape` out of the grant to the decoy. Here both hold:
    // the WASI path layer answers first (EPERM); the probe above shows bwrap alone hides the decoy.
    const { decoy, rw } = layout();
    symlinkSync(decoy, join(rw, 'escape'));
    const r = await cli(['run', '--dir', `${rw}::/data`, join(EXAMPLES, 'cat-file', 'cat-file.wasm'), '--', '/data/escape/secret.txt'], { env: envFor('bwrap') });
    expect(r.stdout).not.toContain(SECRET);
    expect(r.stderr).toMatch(/\/data\/escape\/secret\.txt: Operation not permitted/);
    expect(r.exitCode).toBe(1);
  });
});
