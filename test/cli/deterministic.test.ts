// Deterministic mode and replayable receipts, through the real binary and the SDK: a C program
// that prints the time, random bytes, how long a sleep took and a directory listing with inode
// numbers and times gives the very same output and fuel on every run — cold and warm, with and
// without the OS sandbox — and `verify --replay` checks its receipt by running it again, failing
// with the field's name when the receipt, the module or an input tree was changed.
import { closeSync, cpSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../src/core/hash.js';
import { USAGE_EXIT_CODE } from '../../src/core/status.js';
import { loadOrCreateNodeKey, type NodeKey } from '../../src/core/keys.js';
import { jobFromFields, jobHash } from '../../src/core/portable-job.js';
import { signReceipt, type ReceiptV03 } from '../../src/core/receipt.js';
import { Client, Receipt, VerifyError } from '../../src/sdk/index.js';
import { cli, EXAMPLES } from '../helpers/cli.js';
import { envFor, MODES } from '../helpers/modes.js';

const CLOCK = join(EXAMPLES, 'clock-random', 'clock-random.wasm');
const DATA = join(EXAMPLES, 'clock-random', 'data');
const HELLO = join(EXAMPLES, 'hello', 'hello.wasm');
const EPOCH_NS = 946_684_800_000_000_000n;

interface Report {
  status: string;
  exit_code: number | null;
  message: string;
  stdout: string;
  stderr: string;
  usage: { fuel_consumed: number | null };
  receipt: ReceiptV03;
}

async function run(args: string[], mode?: string): Promise<{ exitCode: number | undefined; report: Report; stderr: string }> {
  const r = await cli(['run', '--json', ...args], mode ? { env: envFor(mode) } : {});
  return { exitCode: r.exitCode, report: JSON.parse(r.stdout) as Report, stderr: r.stderr };
}

const clockArgs = (...extra: string[]) => ['--deterministic', '--ro-dir', `${DATA}::/data`, ...extra, CLOCK, '--', '/data'];
const line = (stdout: string, name: string): string => stdout.split('\n').find((l) => l.startsWith(`${name} `))?.slice(name.length + 1) ?? '';

let key: NodeKey;
let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'plasm-tui-det-'));
  key = loadOrCreateNodeKey(join(work, 'other-key', 'node.key'));
});

describe('deterministic mode', () => {
  it('gives the same stdout, stderr and fuel on every run, with and without the OS sandbox, and a v0.3 receipt', async () => {
    const runs = await Promise.all(MODES.flatMap((mode) => [run(clockArgs(), mode), run(clockArgs(), mode)]));
    const first = runs[0]!.report;
    expect(first.status, first.message).toBe('ok');
    for (const { report } of runs) {
      expect(report.stdout).toBe(first.stdout);
      expect(report.stderr).toBe(first.stderr);
      expect(report.usage.fuel_consumed).toBe(first.usage.fuel_consumed);
      expect(report.receipt.stdout_hash).toBe(first.receipt.stdout_hash);
      expect(report.receipt.job_hash).toBe(first.receipt.job_hash);
    }
    // What the guest saw is the job's, not the host's: the virtual clock starts at 2000-01-01
    // and moves with fuel (a 1 s sleep takes no wall time but moves it 1 s), stat times are the
    // epoch, inode numbers agree between readdir and stat, and entries come sorted.
    const realtime = BigInt(line(first.stdout, 'realtime'));
    expect(realtime).toBeGreaterThan(EPOCH_NS);
    expect(realtime - EPOCH_NS).toBeLessThanOrEqual(BigInt(first.usage.fuel_consumed!));
    expect(line(first.stdout, 'time()')).toBe('946684800');
    expect(BigInt(line(first.stdout, 'slept_ns'))).toBeGreaterThanOrEqual(1_000_000_000n);
    const listed = first.stdout.split('\n').filter((l) => l.startsWith('/data/'));
    expect(listed.map((l) => l.split(' ')[0])).toEqual(['/data/a.txt', '/data/m.txt', '/data/sub', '/data/sub/n.txt', '/data/z.txt']);
    expect(listed.every((l) => l.includes('mtime=946684800 ') && l.endsWith('inode_matches=yes'))).toBe(true);
    const receipt = first.receipt;
    expect(receipt.version).toBe('0.3');
    expect(receipt.mode).toBe('deterministic');
    expect(receipt.seed).toMatch(/^[a-f0-9]{64}$/);
    expect(receipt.dirs).toEqual([{ guest: '/data', readonly: true, tree_hash: expect.stringMatching(/^sha256:[a-f0-9]{64}$/) }]);
    expect(receipt.fuel_consumed).toBe(first.usage.fuel_consumed);
    expect(jobHash(jobFromFields(receipt))).toBe(receipt.job_hash);
  });

  it('runs on the host clock and entropy without it', async () => {
    const before = BigInt(Date.now()) * 1_000_000n;
    const normal = await run(['--ro-dir', `${DATA}::/data`, CLOCK, '--', '/data']);
    expect(normal.report.status).toBe('ok');
    expect(BigInt(line(normal.report.stdout, 'realtime'))).toBeGreaterThanOrEqual(before - 1_000_000_000n);
    expect(normal.report.receipt.version).toBe('0.2');
  });

  it('draws random bytes from the seed: the same seed the same bytes, another seed others', async () => {
    const [a, b, c] = await Promise.all([run(clockArgs('--seed', '1')), run(clockArgs('--seed', '0x01')), run(clockArgs('--seed', '2'))]);
    expect(line(a.report.stdout, 'random')).toMatch(/^[0-9a-f]{32}$/);
    expect(line(b.report.stdout, 'random')).toBe(line(a.report.stdout, 'random'));
    expect(line(c.report.stdout, 'random')).not.toBe(line(a.report.stdout, 'random'));
    expect(a.report.receipt.seed).toBe(`${'0'.repeat(63)}1`);
    const bad = await cli(['run', '--deterministic', '--seed', 'xyz', CLOCK]);
    expect(bad.exitCode).toBe(USAGE_EXIT_CODE);
    expect(bad.stderr).toMatch(/a seed is 1 to 64 hex digits, not "xyz"/);
  });

  it('lists a directory sorted by name, whatever order the file system keeps', async () => {
    const dir = mkdtempSync(join(work, 'many-'));
    const names = Array.from({ length: 40 }, (_, i) => `f${String((i * 17) % 40).padStart(2, '0')}`);
    for (const name of names) writeFileSync(join(dir, name), name);
    const r = await run(['--deterministic', '--ro-dir', `${dir}::/d`, CLOCK, '--', '/d']);
    const listed = r.report.stdout.split('\n').filter((l) => l.startsWith('/d/')).map((l) => l.split(' ')[0]);
    expect(listed).toEqual([...names].sort().map((n) => `/d/${n}`));
  });

  it('refuses an input tree too big to hash (a 20 GB sparse file), at once and in one sentence, instead of reading it', async () => {
    const dir = mkdtempSync(join(work, 'huge-'));
    const big = openSync(join(dir, 'big'), 'w');
    ftruncateSync(big, 20 * 1024 ** 3);
    closeSync(big);
    const r = await run(['--deterministic', '--ro-dir', `${dir}::/data`, CLOCK, '--', '/data']);
    expect(r.exitCode).toBe(65);
    expect(r.report.status).toBe('invalid');
    expect(r.report.message).toMatch(/^The input tree at \/data \(.*huge-\w+\) cannot be hashed: it holds more than 1 GiB or 100,000 entries, and a deterministic run hashes all of its input: grant a smaller folder\.$/);
  });

  it('refuses a read-write dir, in one sentence', async () => {
    const r = await cli(['run', '--deterministic', '--dir', `${DATA}::/data`, CLOCK]);
    expect(r.exitCode).toBe(USAGE_EXIT_CODE);
    expect(r.stderr).toMatch(/deterministic mode takes read-only dirs only, and .*data \(for \/data\) is read-write; grant it with --ro-dir/);
  });

  it('is the same cold (a fresh process) and warm (the SDK on a warm worker)', async () => {
    const cold = await run(clockArgs());
    const client = new Client();
    try {
      const job = client.createJob(CLOCK).deterministic().withDir(DATA, '/data', { readonly: true }).withArgs('/data');
      const warm = await Promise.all([job.submit(), job.submit()]);
      for (const result of warm) {
        expect(result.stdout()).toBe(cold.report.stdout);
        expect(result.usage().fuelConsumed).toBe(cold.report.usage.fuel_consumed);
        expect(result.receipt().replayable).toBe(true);
      }
      // And the SDK replays its receipt.
      const report = await warm[0]!.receipt().replay(client.publicKey(), { module: CLOCK, dirs: { '/data': DATA } });
      expect(report.ok).toBe(true);
      expect(report.checks.map((c) => c.name)).toEqual(expect.arrayContaining(['signature', 'module', 'stdin', 'dir /data', 'stdout', 'fuel_consumed']));
      const other = mkdtempSync(join(work, 'sdk-data-'));
      cpSync(DATA, other, { recursive: true });
      writeFileSync(join(other, 'z.txt'), 'changed\n');
      const failed = await warm[1]!.receipt().replay(client.publicKey(), { module: CLOCK, dirs: { '/data': other } }).catch((error: unknown) => error);
      expect(failed).toBeInstanceOf(VerifyError);
      expect((failed as VerifyError).message).toMatch(/dir \/data \(the input tree at \/data is sha256:\w+ on replay, the receipt says sha256:\w+\)/);
    } finally {
      await client.close();
    }
  });
});

// Real programs: QuickJS printing Date.now() and Math.random() (seeded from the clock), and
// SQLite answering queries on a read-only database.
const QUICKJS = join(EXAMPLES, 'quickjs', 'quickjs.wasm');
const SQLITE = join(EXAMPLES, 'sqlite', 'sqlite.wasm');
const PROGRAMS = [
  { name: 'QuickJS', module: QUICKJS, stdin: join(EXAMPLES, 'quickjs', 'clock-random.js'), dirs: {} as Record<string, string>, args: [] as string[] },
  { name: 'SQLite', module: SQLITE, stdin: join(EXAMPLES, 'sqlite', 'queries.sql'), dirs: { '/data': join(EXAMPLES, 'sqlite', 'data') }, args: ['/data/shop.db'] },
];

describe('real programs in deterministic mode', () => {
  it.each(PROGRAMS)('$name gives the same stdout, stderr and fuel cold and warm, with and without the OS sandbox, and its receipt replays', async (program) => {
    const dirFlags = Object.entries(program.dirs).flatMap(([guest, host]) => ['--ro-dir', `${host}::${guest}`]);
    const args = ['--deterministic', '--stdin-file', program.stdin, ...dirFlags, program.module, '--', ...program.args];
    const cold = await Promise.all(MODES.flatMap((mode) => [run(args, mode), run(args, mode)]));
    const first = cold[0]!.report;
    expect(first.status, first.message + first.stderr).toBe('ok');
    expect(first.stdout.length).toBeGreaterThan(0);
    if (program.name === 'QuickJS') expect(first.stdout).toMatch(/^946684800\d{3}\n0\.\d+\n$/);
    for (const { report } of cold) {
      expect([report.stdout, report.stderr, report.usage.fuel_consumed]).toEqual([first.stdout, first.stderr, first.usage.fuel_consumed]);
    }
    const client = new Client();
    try {
      let job = client.createJob(program.module).deterministic().withArgs(...program.args);
      for (const [guest, host] of Object.entries(program.dirs)) job = job.withDir(host, guest, { readonly: true });
      const warm = await job.submit(readFileSync(program.stdin));
      expect([warm.stdout(), warm.stderr(), warm.usage().fuelConsumed]).toEqual([first.stdout, first.stderr, first.usage.fuel_consumed]);
    } finally {
      await client.close();
    }
    const file = join(work, `${program.name}.json`);
    writeFileSync(file, JSON.stringify(first.receipt));
    const dirArgs = Object.entries(program.dirs).flatMap(([guest, host]) => ['--dir', `${host}::${guest}`]);
    const replayed = await cli(['verify', '--replay', file, '--pubkey', first.receipt.node_pubkey, '--module', program.module, '--stdin', program.stdin, ...dirArgs]);
    expect(replayed.exitCode, replayed.stdout + replayed.stderr).toBe(0);
    expect(replayed.stdout).toContain(`✓ fuel_consumed: the fuel consumed matches: ${first.usage.fuel_consumed}`);
  });
});

describe('verify --replay', () => {
  let receiptFile: string;
  let receipt: ReceiptV03;
  let pubkey: string;
  beforeAll(async () => {
    receiptFile = join(work, 'clock.json');
    const r = await cli(['run', ...clockArgs('--receipt', receiptFile)]);
    expect(r.exitCode, r.stderr).toBe(0);
    receipt = JSON.parse(readFileSync(receiptFile, 'utf8')) as ReceiptV03;
    pubkey = (await cli(['key'])).stdout.trim();
  });

  /** The receipt with `change` made and signed again (by another key, trusted by `--trust-embedded-key`). */
  function tampered(name: string, change: (r: ReceiptV03) => Partial<ReceiptV03>): string {
    const { signature: _s, node_pubkey: _k, ...body } = receipt;
    const changed = { ...body, ...change(receipt) };
    const file = join(work, `${name}.json`);
    writeFileSync(file, JSON.stringify(signReceipt<ReceiptV03>(changed, key)));
    return file;
  }

  const replay = (file: string, ...extra: string[]) => cli(['verify', '--replay', file, ...extra]);

  it('passes on the receipt of a deterministic run, checking inputs and outputs bit for bit', async () => {
    const r = await replay(receiptFile, '--pubkey', pubkey, '--module', CLOCK, '--dir', `${DATA}::/data`);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    for (const field of ['signature', 'job', 'module', 'stdin', 'dir /data', 'status', 'exit_code', 'stdout', 'stderr', 'fuel_consumed', 'job_hash']) {
      expect(r.stdout).toContain(`✓ ${field}: `);
    }
    expect(r.stdout).toMatch(/: verified\n$/);
  });

  it('fails naming stdout when the stdout hash is changed', async () => {
    const file = tampered('stdout', () => ({ stdout_hash: sha256('something else') }));
    const r = await replay(file, '--trust-embedded-key', '--module', CLOCK, '--dir', `${DATA}::/data`);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain(`✗ stdout: the stdout's hash is ${receipt.stdout_hash} on replay, the receipt says ${sha256('something else')}`);
    expect(r.stdout).toMatch(/verification FAILED\n$/);
  });

  it('fails naming fuel_consumed when the fuel is changed', async () => {
    const file = tampered('fuel', (r) => ({ fuel_consumed: (r.fuel_consumed ?? 0) + 1 }));
    const r = await replay(file, '--trust-embedded-key', '--module', CLOCK, '--dir', `${DATA}::/data`);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain(`✗ fuel_consumed: the fuel consumed is ${receipt.fuel_consumed} on replay, the receipt says ${(receipt.fuel_consumed ?? 0) + 1}`);
    expect(r.stdout).toContain('✓ stdout: ');
  });

  it('fails when the seed is changed: the job hash, or (re-hashed) the output it draws', async () => {
    const seed = 'ab'.repeat(32);
    const stale = tampered('seed', () => ({ seed }));
    const r1 = await replay(stale, '--trust-embedded-key', '--module', CLOCK, '--dir', `${DATA}::/data`);
    expect(r1.exitCode).toBe(1);
    expect(r1.stdout).toMatch(/✗ job: the receipt's job fields hash to sha256:\w+, but its job_hash says/);
    const rehashed = tampered('seed-rehashed', (r) => ({ seed, job_hash: jobHash(jobFromFields({ ...r, seed })) }));
    const r2 = await replay(rehashed, '--trust-embedded-key', '--module', CLOCK, '--dir', `${DATA}::/data`);
    expect(r2.exitCode).toBe(1);
    expect(r2.stdout).toContain('✓ job: ');
    expect(r2.stdout).toMatch(/✗ stdout: the stdout's hash is sha256:\w+ on replay, the receipt says/);
  });

  it('fails naming the dir when an input tree is changed', async () => {
    const copy = join(work, 'data-copy');
    cpSync(DATA, copy, { recursive: true });
    writeFileSync(join(copy, 'a.txt'), 'alpha!\n');
    const r = await replay(receiptFile, '--pubkey', pubkey, '--module', CLOCK, '--dir', `${copy}::/data`);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`✗ dir /data: the input tree at /data is sha256:\\w+ on replay, the receipt says ${receipt.dirs[0]!.tree_hash}`));
    // A tree counts names too, not only contents.
    const renamed = join(work, 'data-renamed');
    cpSync(DATA, renamed, { recursive: true });
    mkdirSync(join(renamed, 'empty'));
    const r2 = await replay(receiptFile, '--pubkey', pubkey, '--module', CLOCK, '--dir', `${renamed}::/data`);
    expect(r2.stdout).toContain('✗ dir /data: ');
  });

  it('fails naming the module when another module is given, without running it', async () => {
    const r = await replay(receiptFile, '--pubkey', pubkey, '--module', HELLO, '--dir', `${DATA}::/data`);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain(`✗ module: the module's hash is ${sha256(readFileSync(HELLO))} on replay, the receipt says ${receipt.module_hash}`);
    expect(r.stdout).not.toContain('stdout:');
  });

  it('fails naming stdin when other input is given', async () => {
    const input = join(work, 'input.txt');
    writeFileSync(input, 'not the job\'s stdin');
    const r = await replay(receiptFile, '--pubkey', pubkey, '--module', CLOCK, '--stdin', input, '--dir', `${DATA}::/data`);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain(`✗ stdin: the stdin's hash is ${sha256('not the job\'s stdin')} on replay`);
  });

  it('says what is missing or why a receipt cannot be replayed, in one sentence', async () => {
    const noDir = await replay(receiptFile, '--pubkey', pubkey, '--module', CLOCK);
    expect(noDir.exitCode).toBe(USAGE_EXIT_CODE);
    expect(noDir.stderr).toMatch(/The receipt's job read a folder at \/data \(input tree sha256:\w+\): give it with --dir HOST::\/data\./);
    const noModule = await replay(receiptFile, '--pubkey', pubkey);
    expect(noModule.exitCode).toBe(USAGE_EXIT_CODE);
    expect(noModule.stderr).toMatch(/--replay needs the module: --module FILE/);
    const normalFile = join(work, 'normal.json');
    await cli(['run', '--receipt', normalFile, HELLO], { input: 'abc' });
    const normal = await replay(normalFile, '--pubkey', pubkey, '--module', HELLO);
    expect(normal.exitCode).toBe(USAGE_EXIT_CODE);
    expect(normal.stderr).toMatch(/only a v0\.3 receipt of a deterministic run \(run --deterministic\) binds everything a replay needs/);
    expect(() => Receipt.from(JSON.parse(readFileSync(normalFile, 'utf8')))).not.toThrow();
  });
});
