// The launcher's exec chain and layer report for each combination of host tools, the bwrap
// command line it builds, and the kernel limits it sets; then the layers a real job reports.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Layer } from '../../src/sandbox/containment.js';
import { holdGrants } from '../../src/engine/hold-grants.js';
import { bwrapArgs } from '../../src/sandbox/launch/bwrap.js';
import type { HostTools } from '../../src/sandbox/launch/detect.js';
import { osSandboxMode } from '../../src/sandbox/launch/detect.js';
import { planLaunch, type LaunchRequest } from '../../src/sandbox/launch/launcher.js';
import { kernelLimits, prlimitArgs, runtimeReservationBytes } from '../../src/sandbox/launch/rlimits.js';
import { maxTableEntries } from '../../src/sandbox/node-flags.js';
import { runInSandbox } from '../../src/sandbox/spawn.js';
import { MODES } from '../helpers/modes.js';

const MIB = 1024 * 1024;
const all: HostTools = { bwrap: { ok: true, path: '/usr/bin/bwrap', version: 'bubblewrap 0.8.0' }, prlimit: '/usr/bin/prlimit', setpriv: '/usr/bin/setpriv' };
const noBwrap: HostTools = { ...all, bwrap: { ok: false, problem: 'bwrap is not installed' } };
const nothing: HostTools = { bwrap: { ok: false, problem: 'bwrap is not installed' }, prlimit: null, setpriv: null };
const request: LaunchRequest = {
  nodeFlags: ['--flag'],
  workerPath: '/pkg/dist/sandbox/worker.js',
  readDirs: ['/tmp'],
  dirs: [],
  limits: kernelLimits({ memoryCapBytes: 64 * MIB, timeoutMs: 30_000 }),
};
const byName = (layers: Layer[]): Record<string, Layer> => Object.fromEntries(layers.map((l) => [l.name, l]));

describe('the exec chain', () => {
  it('with every tool: setpriv (bwrap dies with this program), prlimit, then bwrap (the sandbox dies with bwrap), then node', () => {
    const plan = planLaunch(request, all, 'auto');
    if ('problem' in plan) throw new Error(plan.problem);
    const command = [plan.file, ...plan.args];
    expect(command.slice(0, 5)).toEqual(['/usr/bin/setpriv', '--pdeathsig', 'KILL', '--', '/usr/bin/prlimit']);
    expect(command.indexOf('/usr/bin/bwrap')).toBeGreaterThan(command.lastIndexOf('--', command.indexOf('/usr/bin/bwrap')));
    expect(command.slice(-3)).toEqual([process.execPath, '--flag', '/pkg/dist/sandbox/worker.js']);
    const layers = byName(plan.layers);
    expect(Object.values(layers).every((l) => l.active)).toBe(true);
    expect(layers.os_sandbox?.detail).toMatch(/^bubblewrap 0\.8\.0: user, mount, network, PID/);
    expect(layers.die_with_parent?.detail).toBe('bwrap --die-with-parent; bwrap itself by PR_SET_PDEATHSIG SIGKILL, set by setpriv');
  });

  it('with bwrap but no setpriv: bwrap alone says it dies with its parent', () => {
    const plan = planLaunch(request, { ...all, setpriv: null }, 'auto');
    if ('problem' in plan) throw new Error(plan.problem);
    expect(plan.file).toBe('/usr/bin/prlimit');
    expect(byName(plan.layers).die_with_parent?.detail).toBe('bwrap --die-with-parent');
  });

  it('without bwrap, or with it turned off: setpriv --pdeathsig KILL, then prlimit, then node — and says so', () => {
    for (const [tools, mode, why] of [[noBwrap, 'auto', 'bwrap is not installed'], [all, 'off', 'turned off (PLASM_OS_SANDBOX=off)']] as const) {
      const plan = planLaunch(request, tools, mode);
      if ('problem' in plan) throw new Error(plan.problem);
      expect([plan.file, ...plan.args].slice(0, 5)).toEqual(['/usr/bin/setpriv', '--pdeathsig', 'KILL', '--', '/usr/bin/prlimit']);
      expect(plan.args).not.toContain('/usr/bin/bwrap');
      expect(byName(plan.layers).os_sandbox).toEqual({ name: 'os_sandbox', active: false, detail: why });
      expect(byName(plan.layers).die_with_parent?.detail).toBe('PR_SET_PDEATHSIG SIGKILL, set by setpriv');
    }
  });

  it('with no tools at all: plain node, every missing layer named with its reason', () => {
    const plan = planLaunch(request, nothing, 'auto');
    if ('problem' in plan) throw new Error(plan.problem);
    expect([plan.file, ...plan.args]).toEqual([process.execPath, '--flag', '/pkg/dist/sandbox/worker.js']);
    expect(byName(plan.layers)).toMatchObject({
      os_sandbox: { active: false, detail: 'bwrap is not installed' },
      kernel_limits: { active: false, detail: 'prlimit is not installed' },
      die_with_parent: { active: false, detail: 'neither bwrap nor setpriv is installed' },
      node_permissions: { active: true },
    });
  });

  it('refuses to run when bwrap is required and missing, in one sentence', () => {
    const plan = planLaunch(request, { ...all, bwrap: { ok: false, problem: 'user namespaces are disabled' } }, 'bwrap');
    expect(plan).toMatchObject({ problem: 'PLASM_OS_SANDBOX=bwrap asks for the bubblewrap sandbox, but user namespaces are disabled; refusing to run without it.' });
  });

  it('reads the mode from PLASM_OS_SANDBOX, auto by default, and names a bad value', () => {
    expect(osSandboxMode({})).toBe('auto');
    expect(osSandboxMode({ PLASM_OS_SANDBOX: 'OFF' })).toBe('off');
    expect(osSandboxMode({ PLASM_OS_SANDBOX: 'yes' })).toEqual({ problem: 'PLASM_OS_SANDBOX must be auto, bwrap or off, not "yes".' });
  });
});

describe('the bwrap command line', () => {
  const args = bwrapArgs({ readDirs: ['/pkg/dist/sandbox'], dirs: [{ fd: 4, host: '/tmp/in', readonly: true }, { fd: 5, host: '/tmp/out', readonly: false }] });
  const joined = args.join(' ');

  it('unshares every namespace, drops capabilities and the environment, dies with its parent', () => {
    for (const flag of ['--unshare-all', '--die-with-parent', '--new-session', '--clearenv']) expect(args).toContain(flag);
    expect(joined).toContain('--cap-drop ALL');
  });

  it('binds granted dirs from their descriptors at their host paths, read-only ones with --ro-bind-fd, after the /tmp tmpfs', () => {
    expect(joined).toContain('--ro-bind-fd 4 /tmp/in');
    expect(joined).toContain('--bind-fd 5 /tmp/out');
    expect(args.indexOf('--tmpfs')).toBeLessThan(args.indexOf('/tmp/in'));
    // No granted dir is bound by name: a name is resolved when bwrap starts, maybe after a swap.
    expect(args.filter((arg, i) => ['--bind', '--ro-bind'].includes(args[i - 1] ?? '') && ['/tmp/in', '/tmp/out'].includes(arg))).toEqual([]);
  });

  it('binds a folder before any granted folder inside it, whatever the order of the grants', () => {
    const nested = bwrapArgs({ readDirs: [], dirs: [{ fd: 4, host: '/srv/a/b', readonly: false }, { fd: 5, host: '/srv/a', readonly: true }] });
    expect(nested.indexOf('/srv/a')).toBeLessThan(nested.indexOf('/srv/a/b'));
  });

  it('binds nothing else of the host: no /etc, /home, /root, /usr/bin or /', () => {
    const sources = args.flatMap((arg, i) => (['--bind', '--ro-bind'].includes(args[i - 1] ?? '') ? [arg] : []));
    expect(sources.sort()).toEqual(['/pkg/dist/sandbox', process.execPath, ...sources.filter((s) => /^\/(usr\/)?lib/.test(s))].sort());
    const granted = args.flatMap((arg, i) => (['--bind-fd', '--ro-bind-fd'].includes(args[i - 2] ?? '') ? [arg] : []));
    expect(granted.sort()).toEqual(['/tmp/in', '/tmp/out']);
  });
});

describe('kernel limits', () => {
  it('sets RLIMIT_DATA to the cap plus 256 MiB (plus what newer Node reserves), and the rest in plain numbers prlimit reads right', () => {
    expect(request.limits.dataBytes).toBe(64 * MIB + 256 * MIB + Math.max(0, runtimeReservationBytes() - 48 * MIB));
    expect(prlimitArgs(request.limits)).toEqual([`--data=${request.limits.dataBytes}`, `--fsize=${1024 * MIB}`, '--nofile=512', '--cpu=40:45']);
  });

  it('adds what this Node version reserves up front beyond Node 20\'s (Node 24 reserves about 0.5 GB)', () => {
    const extra = Math.max(0, runtimeReservationBytes() - 48 * MIB);
    expect(kernelLimits({ memoryCapBytes: 64 * MIB, timeoutMs: 1000 }).dataBytes).toBe(64 * MIB + 256 * MIB + extra);
    if (Number(process.versions.node.split('.')[0]) < 24) expect(extra).toBeLessThan(96 * MIB);
    else expect(extra).toBeGreaterThan(256 * MIB);
  });

  it('lets one wasm table hold as many entries as the cap has 8-byte words, within V8\'s 10 million', () => {
    expect(maxTableEntries(64 * MIB)).toBe(8 * MIB);
    expect(maxTableEntries(1024 * MIB)).toBe(10_000_000);
  });
});

describe.each(MODES)('layers of a real job (PLASM_OS_SANDBOX=%s)', (mode) => {
  const saved = process.env.PLASM_OS_SANDBOX;
  afterEach(() => {
    if (saved === undefined) delete process.env.PLASM_OS_SANDBOX;
    else process.env.PLASM_OS_SANDBOX = saved;
  });

  it('reports each layer the launcher provides, active or not and why', async () => {
    process.env.PLASM_OS_SANDBOX = mode;
    const dir = mkdtempSync(join(tmpdir(), 'plasm-layers-'));
    const hello = new Uint8Array(Buffer.from('(module (memory (export "memory") 1) (func (export "_start")))'));
    const grants = holdGrants([{ host: dir, guest: '/out', readonly: false }]);
    const result = await runInSandbox({
      module: hello,
      wat: { fileName: 'empty.wat' },
      argv: ['empty.wat'],
      env: {},
      preopens: grants.dirs,
      stdin: new Uint8Array(),
      memoryCapBytes: 64 * MIB,
      timeoutMs: 10_000,
      maxOutputBytes: 1024,
      stackKb: 984,
    }).finally(() => grants.close());
    expect(result.status).toBe('ok');
    const layers = byName(result.layers);
    expect(Object.keys(layers)).toEqual(['os_sandbox', 'kernel_limits', 'die_with_parent', 'node_permissions', 'wasi_paths']);
    expect(layers.wasi_paths).toMatchObject({ active: true });
    expect(layers.os_sandbox).toMatchObject(mode === 'off' ? { active: false, detail: 'turned off (PLASM_OS_SANDBOX=off)' } : { active: true });
    const dataMib = Math.round(kernelLimits({ memoryCapBytes: 64 * MIB, timeoutMs: 10_000 }).dataBytes / MIB);
    expect(layers.kernel_limits).toMatchObject({ active: true, detail: expect.stringMatching(new RegExp(`^RLIMIT_DATA ${dataMib} MiB, FSIZE 1024 MiB, NOFILE 512, CPU 20 s; no RLIMIT_NPROC`)) });
    expect(layers.die_with_parent).toMatchObject({ active: true, detail: mode === 'off' ? 'PR_SET_PDEATHSIG SIGKILL, set by setpriv' : 'bwrap --die-with-parent; bwrap itself by PR_SET_PDEATHSIG SIGKILL, set by setpriv' });
  });
});
