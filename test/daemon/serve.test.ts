// The local daemon through the real binary: `plasm-tui serve` in the background, `plasm-tui run`
// using it (and saying so), what travels with each job (limits, the OS-sandbox mode, grants held
// by descriptor), who signs, refusals (another version, a socket others can reach, a swapped
// folder), and stopping it (SIGTERM, `serve --stop`, a client that goes away) with no worker left.
import { execa, type ResultPromise } from 'execa';
import { createHash } from 'node:crypto';
import { chmodSync, closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { BIN, EXAMPLES, WAT, cli } from '../helpers/cli.js';
import { descendants, isGone, isWorker } from '../helpers/procs.js';
import { until } from '../helpers/poll.js';
import { MODES } from '../helpers/modes.js';
import { KEYS, TuiSession } from '../helpers/pty.js';

const HELLO = join(EXAMPLES, 'hello', 'hello.wasm');
const CAT = join(EXAMPLES, 'cat-file', 'cat-file.wasm');
const SOCKET_DIR = join(process.env.XDG_RUNTIME_DIR ?? '', 'plasm-tui');
const SOCKET = join(SOCKET_DIR, 'daemon.sock');

/** A running `plasm-tui serve` (not itself a promise: awaiting `serve()` must not wait for its end). */
interface Daemon {
  process: ResultPromise<{ reject: false; stdin: "ignore" }>;
  pid: number;
  log: () => string;
  kill: (signal: NodeJS.Signals) => void;
  exitCode: () => number | null;
  ended: () => Promise<{ exitCode?: number }>;
}
const started: Daemon[] = [];

/** `plasm-tui serve` in the foreground, once it says it listens. */
async function serve(env: Record<string, string | undefined> = {}): Promise<Daemon> {
  const child = execa(process.execPath, [BIN, 'serve'], { reject: false, env, stdin: 'ignore' as const });
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const daemon: Daemon = {
    process: child,
    pid: child.pid ?? 0,
    log: () => log,
    kill: (signal) => child.kill(signal),
    exitCode: () => child.exitCode,
    ended: async () => {
      const { exitCode } = await child;
      return { exitCode };
    },
  };
  started.push(daemon);
  await until(() => log.includes('listening on') || child.exitCode !== null, 'the daemon to listen', 20_000);
  expect(log, log).toContain(`listening on ${SOCKET}`);
  return daemon;
}

afterEach(async () => {
  for (const daemon of started.splice(0)) {
    if (daemon.exitCode() === null) daemon.kill('SIGTERM');
    await daemon.ended();
  }
});
afterAll(async () => {
  await cli(['serve', '--stop']);
});

interface Report {
  status: string;
  exit_code: number | null;
  stdout: string;
  message: string;
  daemon: { used: boolean; pid?: number; detail?: string };
  containment: { name: string; active: boolean }[];
  receipt: unknown;
}
const report = (stdout: string): Report => JSON.parse(stdout) as Report;
const sha = (bytes: Buffer | string): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const jobsRunning = async (n: number): Promise<boolean> => (await cli(['serve', '--status'])).stdout.includes(`, ${n} job${n === 1 ? '' : 's'} running`);

describe('plasm-tui serve, used by plasm-tui run', () => {
  test('run uses a running daemon and says so in --json; the receipt is signed by the client, with its own key', async () => {
    const daemonConfig = mkdtempSync(join(tmpdir(), 'daemon-config-'));
    const daemon = await serve({ XDG_CONFIG_HOME: daemonConfig });
    const run = await cli(['run', '--json', HELLO], { input: 'Hello, daemon' });
    expect(run.exitCode, run.stderr).toBe(0);
    const r = report(run.stdout);
    expect(r.stdout).toBe('nomead ,olleH');
    expect(r.daemon).toEqual({ used: true, pid: daemon.pid, socket: SOCKET, version: expect.stringMatching(/^\d+\.\d+\.\d+\+/) as unknown });
    // Signed in the client: its key verifies the receipt, and the daemon has no key at all.
    const key = (await cli(['key'])).stdout.trim();
    const dir = mkdtempSync(join(tmpdir(), 'receipt-'));
    writeFileSync(join(dir, 'r.json'), JSON.stringify(r.receipt));
    writeFileSync(join(dir, 'stdin.txt'), 'Hello, daemon');
    const verified = await cli(['verify', join(dir, 'r.json'), '--pubkey', key, '--module', HELLO, '--stdin', join(dir, 'stdin.txt')]);
    expect(verified.exitCode, verified.stdout + verified.stderr).toBe(0);
    expect(() => readFileSync(join(daemonConfig, 'plasm-tui', 'node.key'))).toThrow();
    // Without --json: the module's output and the one-line summary, as always.
    const plain = await cli(['run', HELLO], { input: 'abc' });
    expect(plain.stdout).toBe('cba');
    expect(plain.stderr).toMatch(/hello · exit 0/);
  });

  test('--no-daemon and "daemon": false run the job here, and --json says why', async () => {
    await serve();
    const off = await cli(['run', '--json', '--no-daemon', HELLO], { input: 'x' });
    expect(report(off.stdout).daemon).toEqual({ used: false, detail: '--no-daemon was given' });
    const config = mkdtempSync(join(tmpdir(), 'config-'));
    mkdirSync(join(config, 'plasm-tui'));
    writeFileSync(join(config, 'plasm-tui', 'config.json'), JSON.stringify({ daemon: false }));
    const configured = await cli(['run', '--json', HELLO], { input: 'x', env: { XDG_CONFIG_HOME: config } });
    expect(report(configured.stdout).daemon).toEqual({ used: false, detail: 'the config says "daemon": false' });
    await cli(['serve', '--stop']);
    const none = await cli(['run', '--json', HELLO], { input: 'x' });
    expect(report(none.stdout).daemon).toEqual({ used: false, detail: 'no daemon is running' });
    expect(none.stderr).toBe(''); // quiet: nothing is wrong
  });

  test("limits and the OS-sandbox mode travel with each job, not from the daemon's environment", async () => {
    const daemon = await serve({ PLASM_OS_SANDBOX: 'off' });
    const timed = await cli(['run', '--json', '--timeout', '1', join(WAT, 'loop.wat')], { env: { PLASM_OS_SANDBOX: 'off' } });
    const t = report(timed.stdout);
    expect(t.daemon.pid, timed.stdout + timed.stderr).toBe(daemon.pid);
    expect([t.status, timed.exitCode], t.message).toEqual(['timeout', 124]);
    for (const mode of MODES) {
      const run = await cli(['run', '--json', HELLO], { input: 'x', env: { PLASM_OS_SANDBOX: mode } });
      const r = report(run.stdout);
      expect(r.daemon.pid, run.stdout + run.stderr).toBe(daemon.pid);
      expect(r.containment.find((layer) => layer.name === 'os_sandbox')?.active, `${mode}: ${r.message} ${JSON.stringify(r.containment)}`).toBe(mode === 'bwrap');
    }
  });

  test('a granted folder reaches the job through the descriptor the client holds', async () => {
    const daemon = await serve();
    const run = await cli(['run', '--json', '--ro-dir', `${join(EXAMPLES, 'cat-file', 'data')}::/data`, CAT, '--', '/data/greeting.txt']);
    const r = report(run.stdout);
    expect(r.daemon.pid).toBe(daemon.pid);
    expect(r.status, r.message).toBe('ok');
    expect(r.stdout).toBe(readFileSync(join(EXAMPLES, 'cat-file', 'data', 'greeting.txt'), 'utf8'));
  });

  test('three clients at once each get their own job', async () => {
    const daemon = await serve();
    const runs = await Promise.all(['first', 'second', 'third'].map((text) => cli(['run', '--json', HELLO], { input: text })));
    expect(runs.map((run) => report(run.stdout).stdout)).toEqual(['tsrif', 'dnoces', 'driht']);
    expect(runs.map((run) => report(run.stdout).daemon.pid)).toEqual([daemon.pid, daemon.pid, daemon.pid]);
  });
});

describe('watch, the terminal UI and the SDK use it too', () => {
  test('watch runs its jobs in the daemon and says so; none in a worker of its own', async () => {
    const daemon = await serve();
    const dir = mkdtempSync(join(tmpdir(), 'watched-'));
    writeFileSync(join(dir, 'hello.wasm'), readFileSync(HELLO));
    const watch = execa(process.execPath, [BIN, 'watch', '--json', dir], { reject: false });
    let out = '';
    watch.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await until(() => out.includes('"run_finished"'), 'the first run to finish');
    const finished = out.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { type: string; status?: string }).find((e) => e.type === 'run_finished');
    expect(finished?.status).toBe('ok');
    expect(descendants(watch.pid ?? 0).filter(isWorker)).toEqual([]);
    watch.kill('SIGTERM');
    const ended = await watch;
    expect(ended.stderr).toBe(''); // --json: events only, no chatter
    // Without --json, a person is told where the jobs run.
    const human = execa(process.execPath, [BIN, 'watch', dir], { reject: false });
    let said = '';
    human.stderr?.on('data', (chunk: Buffer) => (said += chunk.toString()));
    await until(() => said.includes(`plasm-tui: running jobs in the daemon (pid ${daemon.pid}).`), 'watch to say it uses the daemon');
    human.kill('SIGTERM');
    await human;
    // --no-daemon: its own warm workers run the jobs.
    const own = execa(process.execPath, [BIN, 'watch', '--json', '--no-daemon', dir], { reject: false });
    let ownOut = '';
    own.stdout?.on('data', (chunk: Buffer) => (ownOut += chunk.toString()));
    await until(() => ownOut.includes('"run_finished"'), 'the first run to finish');
    await until(() => descendants(own.pid ?? 0).some(isWorker), 'a warm worker of its own');
    own.kill('SIGTERM');
    expect((await own).stderr).not.toContain('daemon');
  });

  test('the SDK: a Client uses the daemon (daemonUse says which), signs here, and falls back when told not to', async () => {
    const daemon = await serve();
    const { Client, LocalTransport } = await import('../../src/sdk/index.js');
    const transport = new LocalTransport();
    const client = new Client({ transport });
    try {
      expect(await transport.daemonUse()).toMatchObject({ used: true, pid: daemon.pid });
      const result = await client.createJob(HELLO).submit('sdk');
      expect(result.stdout()).toBe('kds');
      expect(result.receipt().verify(client.publicKey(), { stdin: Buffer.from('sdk'), stdout: result.stdoutBytes() }).ok).toBe(true);
    } finally {
      await client.close();
    }
    const local = new LocalTransport({ daemon: false });
    try {
      expect(await local.daemonUse()).toEqual({ used: false, detail: 'the client was made with daemon: false' });
    } finally {
      await local.close();
    }
  });

  test('the terminal UI runs jobs in the daemon, and its header says so', async () => {
    const daemon = await serve();
    const dir = mkdtempSync(join(tmpdir(), 'tui-'));
    writeFileSync(join(dir, 'hello.wasm'), readFileSync(HELLO));
    const tui = new TuiSession(dir);
    try {
      await tui.waitForText(`jobs run in the daemon (pid ${daemon.pid})`);
      await tui.waitForText('▶ hello');
      await tui.press(KEYS.enter);
      await tui.waitForText('✓ verified');
    } finally {
      await tui.kill();
    }
  });
});

describe('serve on the command line', () => {
  test('--help says what it is and how to stop it; bad usage is one line and exit 2', async () => {
    const help = await cli(['serve', '--help']);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toMatch(/^Usage: plasm-tui serve \[--detach \| --stop \| --status\]\n/);
    expect(help.stdout).toContain('the signing key never reaches the daemon');
    expect(help.stdout).toContain('--no-daemon');
    for (const [args, line] of [
      [['serve', '--stop', '--status'], 'plasm-tui: Give one of --stop, --status and --detach. See `plasm-tui serve --help`.\n'],
      [['serve', 'now'], 'plasm-tui: serve takes no arguments, not "now". See `plasm-tui serve --help`.\n'],
      [['serve', '--bogus'], "plasm-tui: Unknown option '--bogus'. See `plasm-tui serve --help`.\n"],
    ] as const) {
      const r = await cli([...args]);
      expect([r.exitCode, r.stderr], args.join(' ')).toEqual([2, line]);
    }
    expect((await cli(['--help'])).stdout).toContain('plasm-tui serve [--detach|--stop|--status]');
  });
});

describe('refusals', () => {
  /** The daemon's answers to `lines`, sent on a connection of its own, once `enough` have come or it closed. */
  async function ask(lines: object[], enough: number): Promise<Record<string, unknown>[]> {
    const socket = createConnection(SOCKET);
    let text = '';
    let closed = false;
    socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
    socket.on('close', () => (closed = true));
    await new Promise((resolve) => socket.once('connect', resolve));
    for (const line of lines) socket.write(`${JSON.stringify(line)}\n`);
    await until(() => text.split('\n').filter(Boolean).length >= enough || closed, 'the daemon to answer');
    socket.destroy();
    return text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  test('the daemon refuses a client of another version, naming both; run falls back loudly', async () => {
    const daemon = await serve();
    const [answer] = await ask([{ type: 'hello', protocol: 1, version: '0.0.1+elsewhere' }], 1);
    expect(answer?.type).toBe('refused');
    expect(answer?.message).toMatch(/is plasm-tui \d+\.\d+\.\d+\+\w+ \(protocol 1\), this is 0\.0\.1\+elsewhere \(protocol 1\); stop it with `plasm-tui serve --stop`/);
    expect(answer?.pid).toBe(daemon.pid);
    await cli(['serve', '--stop']);
    // A daemon of another version, as a client meets it: it answers hello with a refusal.
    const stand = createServer((socket) => socket.once('data', () => socket.end(`${JSON.stringify({ type: 'refused', message: 'The daemon (pid 1) is plasm-tui 9.9.9+x (protocol 1), this is another.', pid: 1 })}\n`)));
    await new Promise<void>((resolve) => stand.listen(SOCKET, resolve));
    try {
      const run = await cli(['run', '--json', HELLO], { input: 'x' });
      expect(run.exitCode).toBe(0);
      expect(report(run.stdout).daemon).toEqual({ used: false, detail: 'not using the daemon: The daemon (pid 1) is plasm-tui 9.9.9+x (protocol 1), this is another.' });
      expect(run.stderr).toBe('plasm-tui: not using the daemon: The daemon (pid 1) is plasm-tui 9.9.9+x (protocol 1), this is another.; running the job here.\n');
    } finally {
      await new Promise((resolve) => stand.close(resolve));
    }
  });

  test('serve refuses a socket folder other users can reach, and run will not connect to one', async () => {
    await serve();
    chmodSync(SOCKET_DIR, 0o755);
    try {
      const run = await cli(['run', '--json', HELLO], { input: 'x' });
      expect(report(run.stdout).daemon).toEqual({ used: false, detail: `not using the daemon: ${SOCKET_DIR} can be reached by other users (mode 0755; it must be 0700)` });
      expect(run.stderr).toContain('not using the daemon');
      const second = await cli(['serve']);
      expect(second.exitCode).toBe(65);
      expect(second.stderr).toContain(`Refusing to use ${SOCKET_DIR} for the daemon's socket: ${SOCKET_DIR} can be reached by other users (mode 0755; it must be 0700).`);
    } finally {
      chmodSync(SOCKET_DIR, 0o700);
    }
  });

  test('a second daemon is refused while one runs', async () => {
    await serve();
    const second = await cli(['serve']);
    expect(second.exitCode).toBe(2);
    expect(second.stderr).toContain('A daemon is already running');
  });

  test('a folder that is not the one the client checked (device, inode) is refused unrun', async () => {
    await serve();
    const checked = mkdtempSync(join(tmpdir(), 'checked-'));
    const other = mkdtempSync(join(tmpdir(), 'other-'));
    // This process holds `other` open, but says the directory it checked was `checked`.
    const fd = openSync(other, 'r');
    try {
      const claimed = statSync(checked);
      const module = readFileSync(HELLO);
      const version = /plasm-tui (\S+) on /.exec((await cli(['serve', '--status'])).stdout)?.[1];
      const answers = await ask(
        [
          { type: 'hello', protocol: 1, version },
          {
            type: 'run',
            id: 1,
            job: {
              version: '0.1',
              module: { hash: sha(module) },
              argv: ['hello.wasm'],
              env: {},
              stdin: { hash: sha('') },
              limits: { memory_mb: 64, timeout_seconds: 10, max_output_bytes: 1024, cpu_cores: 1, fuel: null },
              mode: 'normal',
              seed: null,
              dirs: [{ guest: '/data', readonly: true, tree_hash: null }],
            },
            module: module.toString('base64'),
            stdin: '',
            wat_file: null,
            sandbox: { memory_cap_bytes: 64 * 1024 * 1024, timeout_ms: 10_000, max_output_bytes: 1024, stack_kb: 984, max_file_bytes: 1024, fuel: null, os_sandbox: 'off' },
            dirs: [{ host: checked, guest: '/data', readonly: true, pid: process.pid, fd, dev: claimed.dev, ino: claimed.ino }],
          },
        ],
        2,
      );
      expect(answers[0]?.type).toBe('welcome');
      const done = answers.find((m) => m.type === 'result') as { result: { status: string; message: string } } | undefined;
      expect(done?.result.status).toBe('invalid');
      expect(done?.result.message).toBe(`The folder the client holds for /data is not ${checked} as it was checked (it changed); nothing was run.`);
    } finally {
      closeSync(fd);
    }
  });

  test('a message that is not the protocol is refused in one sentence', async () => {
    await serve();
    const [answer] = await ask([{ type: 'hello', protocol: 1 }], 1);
    expect(answer?.type).toBe('refused');
    expect(answer?.message).toMatch(/^The daemon cannot take this message: message: \/ /);
  });
});

describe('stopping', () => {
  for (const how of ['serve --stop', 'SIGTERM'] as const) {
    test(`${how} cancels the daemon's jobs and leaves no worker`, async () => {
      const daemon = await serve();
      const run = cli(['run', '--json', '--timeout', '600', join(WAT, 'sleep.wat')]);
      await until(() => jobsRunning(1), 'the job to be running in the daemon');
      const workers = descendants(daemon.pid).filter(isWorker);
      expect(workers.length).toBeGreaterThanOrEqual(1);
      if (how === 'SIGTERM') daemon.kill('SIGTERM');
      else {
        const stop = await cli(['serve', '--stop']);
        expect(stop.stderr).toMatch(/^plasm-tui: stopped the daemon \(pid \d+\)/);
      }
      const result = await run;
      expect([report(result.stdout).status, result.exitCode]).toEqual(['cancelled', 130]);
      expect((await daemon.ended()).exitCode).toBe(0);
      expect(daemon.log()).toMatch(/stopping \(.*\): cancelling 1 job\n.*stopped; no worker is left/s);
      await until(() => workers.every(isGone), 'every worker to be gone');
      expect((await cli(['serve', '--status'])).exitCode).toBe(1);
    });
  }

  test('serve --detach starts it in the background once, --status and --stop say what they find', async () => {
    const first = await cli(['serve', '--detach']);
    expect(first.exitCode, first.stderr).toBe(0);
    const pid = Number(/started the daemon \(pid (\d+)\) on (\S+); its log is (\S+)\./.exec(first.stderr)?.[1]);
    expect(first.stderr).toContain(`on ${SOCKET}; its log is ${join(SOCKET_DIR, 'daemon.log')}.`);
    try {
      const again = await cli(['serve', '--detach']);
      expect([again.exitCode, again.stderr]).toEqual([0, `plasm-tui: a daemon is already running on ${SOCKET}.\n`]);
      const status = await cli(['serve', '--status']);
      expect(status.stdout).toMatch(new RegExp(`^running: pid ${pid}, plasm-tui \\S+ on ${SOCKET}, 0 jobs running\n$`));
      expect(report((await cli(['run', '--json', HELLO], { input: 'detached' })).stdout).daemon.pid).toBe(pid);
    } finally {
      const stop = await cli(['serve', '--stop']);
      expect(stop.stderr).toBe(`plasm-tui: stopped the daemon (pid ${pid}); its jobs were cancelled and its workers stopped.\n`);
    }
    await until(() => isGone(pid), 'the detached daemon to be gone');
    expect(readFileSync(join(SOCKET_DIR, 'daemon.log'), 'utf8')).toMatch(/listening on .*\n.*stopping \(asked by a client\).*\n.*stopped; no worker is left\n$/s);
    const none = await cli(['serve', '--stop']);
    expect([none.exitCode, none.stderr]).toEqual([0, 'plasm-tui: no daemon is running.\n']);
    const status = await cli(['serve', '--status']);
    expect([status.exitCode, status.stdout]).toEqual([1, 'no daemon is running\n']);
  });

  test('a client that goes away takes its job with it', async () => {
    const daemon = await serve();
    const run = cli(['run', '--timeout', '600', join(WAT, 'sleep.wat')]);
    await until(() => jobsRunning(1), 'the job to be running in the daemon');
    run.kill('SIGKILL');
    await run;
    // Its 600 s job is cancelled at once: the daemon runs nothing more, and goes on serving.
    await until(() => jobsRunning(0), 'the daemon to cancel the job');
    expect(daemon.exitCode()).toBe(null);
    expect(report((await cli(['run', '--json', HELLO], { input: 'on' })).stdout).stdout).toBe('no');
  });
});
