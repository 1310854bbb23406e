// Known ways out of node:wasi's directory grants, each played by a guest through the real
// binary against a host tree with a secret outside the grant. Every one of them worked before
// plasm-tui had its own WASI path layer; each test says what the guest saw and what it did not get.
import { describe, expect, it } from 'vitest';
import { existsSync, lstatSync, readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { cli } from '../helpers/cli.js';
import { ERRNO, FS_OPS, fsOps, hostTree } from '../helpers/fs-ops.js';

describe('a guest-made symlink', () => {
  it('cannot climb out of a dir mapped at guest / (the link is checked from the guest path, the kernel follows it from the host dir)', async () => {
    const t = hostTree(['empty']);
    const lines = await fsOps(
      ['--dir', `${t.at('empty')}::/`],
      ['symlink', '../../../../../../../..', '3', 'r', 'read', '3', '1', `r${t.at('outside/secret.txt')}`, 'stat', '3', '1', `r${t.at('outside')}`],
      t.secret,
    );
    // Making the link is allowed, as in wasmtime (a relative link is inert until followed);
    // following it out is refused with EPERM, as wasmtime refuses a path that leaves its dir.
    expect(lines).toEqual(['symlink=0', `read=${ERRNO.PERM}`, `stat=${ERRNO.PERM}`]);
  });

  it('cannot reach a sibling dir whose name extends the preopen\'s (the inside test was a string prefix)', async () => {
    const t = hostTree(['box', 'box2'], { 'box2/secret.txt': 'SIBLING-SECRET' });
    const lines = await fsOps(['--dir', `${t.at('box')}::/box`], ['symlink', '../box2', '3', 's', 'read', '3', '1', 's/secret.txt'], 'SIBLING-SECRET');
    expect(lines).toEqual(['symlink=0', `read=${ERRNO.PERM}`]);
  });

  it('cannot be absolute', async () => {
    const t = hostTree(['box']);
    const lines = await fsOps(['--dir', `${t.at('box')}::/`], ['symlink', t.at('outside'), '3', 'abs', 'read', '3', '1', 'abs/secret.txt'], t.secret);
    expect(lines).toEqual([`symlink=${ERRNO.PERM}`, `read=${ERRNO.NOENT}`]);
    expect(readdirSync(t.at('box'))).toEqual([]);
  });
});

describe('a symlink already in a granted dir that points out of it', () => {
  const tree = () => {
    const t = hostTree(['box']);
    symlinkSync(t.at('outside'), t.at('box/latest'));
    symlinkSync('../outside/secret.txt', t.at('box/relative'));
    return t;
  };

  it('is not followed to read, in a read-only dir', async () => {
    const t = tree();
    const lines = await fsOps(
      ['--ro-dir', `${t.at('box')}::/`],
      ['read', '3', '1', 'latest/secret.txt', 'read', '3', '1', 'relative', 'stat', '3', '1', 'latest/secret.txt', 'readlink', '3', 'latest/secret.txt'],
      t.secret,
    );
    expect(lines).toEqual([`read=${ERRNO.PERM}`, `read=${ERRNO.PERM}`, `stat=${ERRNO.PERM}`, `readlink=${ERRNO.PERM}`]);
  });

  it('is not followed to hard-link, rename, unlink, write or create under it, in a read-write dir', async () => {
    const t = tree();
    const lines = await fsOps(
      ['--dir', `${t.at('box')}::/`],
      [
        'link', '3', '0', 'latest/secret.txt', '3', 'stolen',
        'rename', '3', 'latest/secret.txt', '3', 'moved',
        'unlink', '3', 'latest/secret.txt',
        'write', '3', 'latest/secret.txt', 'OVERWRITTEN',
        'write', '3', 'relative', 'OVERWRITTEN',
        'mkdir', '3', 'latest/made',
        'touch', '3', '1', 'relative',
      ],
      t.secret,
    );
    expect(lines).toEqual([
      `link=${ERRNO.PERM}`, `rename=${ERRNO.PERM}`, `unlink=${ERRNO.PERM}`, `write=${ERRNO.PERM}`,
      // `write` opens without LOOKUPFLAGS_SYMLINK_FOLLOW: a link as the last component is ELOOP.
      `write=${ERRNO.LOOP}`, `mkdir=${ERRNO.PERM}`, `touch=${ERRNO.PERM}`,
    ]);
    expect(readdirSync(t.at('outside'))).toEqual(['secret.txt']);
    expect(readFileSync(t.at('outside/secret.txt'), 'utf8')).toBe(t.secret);
    expect(readdirSync(t.at('box')).sort()).toEqual(['latest', 'relative']);
  });

  it('can itself be removed, renamed and read as a link, as wasmtime allows', async () => {
    const t = tree();
    const before = statSync(t.at('outside/secret.txt')).mtimeMs;
    const lines = await fsOps(
      ['--dir', `${t.at('box')}::/`],
      ['readlink', '3', 'relative', 'touch', '3', '0', 'relative', 'rename', '3', 'latest', '3', 'old', 'unlink', '3', 'old'],
      t.secret,
    );
    expect(lines).toEqual(['readlink=0:../outside/secret.txt', 'touch=0', 'rename=0', 'unlink=0']);
    expect(existsSync(t.at('outside/secret.txt'))).toBe(true);
    // Setting times without LOOKUPFLAGS_SYMLINK_FOLLOW set the link's own, not its target's.
    expect(statSync(t.at('outside/secret.txt')).mtimeMs).toBe(before);
    expect(lstatSync(t.at('box/relative')).mtimeMs).toBe(1000);
  });
});

describe('.. and absolute paths', () => {
  it('refuses to leave the descriptor with .. or a leading /, even through a subdirectory', async () => {
    const t = hostTree(['box/sub']);
    const lines = await fsOps(
      ['--dir', `${t.at('box')}::/`],
      ['read', '3', '1', '../outside/secret.txt', 'read', '3', '1', 'sub/../../outside/secret.txt', 'read', '3', '1', t.at('outside/secret.txt'),
        'opendir', '3', 'sub', 'read', '4', '1', '../sub/../../outside/secret.txt'],
      t.secret,
    );
    expect(lines).toEqual([`read=${ERRNO.PERM}`, `read=${ERRNO.PERM}`, `read=${ERRNO.PERM}`, 'opendir=0 fd=4', `read=${ERRNO.PERM}`]);
  });
});

describe('read-only dirs', () => {
  it('stay read-only when another grant is numbered first (integer-like guest names come first in node:wasi)', async () => {
    const t = hostTree(['x', 'robox'], { 'robox/keep.txt': 'original' });
    const lines = await fsOps(
      ['--dir', `${t.at('x')}::/x`, '--ro-dir', `${t.at('robox')}::7`],
      // node:wasi gives "7" fd 3 and "/x" fd 4, whatever order they were granted in.
      ['write', '3', 'pwned.txt', 'PWNED', 'write', '3', 'keep.txt', 'PWNED', 'write', '4', 'ok.txt', 'fine'],
    );
    expect(lines).toEqual([`write=${ERRNO.NOTCAPABLE}`, `write=${ERRNO.NOTCAPABLE}`, 'write=0']);
    expect(readdirSync(t.at('robox'))).toEqual(['keep.txt']);
    expect(readFileSync(t.at('robox/keep.txt'), 'utf8')).toBe('original');
    expect(readFileSync(t.at('x/ok.txt'), 'utf8')).toBe('fine');
  });
});

describe('socket calls on non-sockets', () => {
  it.each(['accept', 'recv', 'send'])('sock_%s answers EBADF or ENOTSOCK instead of crashing the worker', async (op) => {
    const t = hostTree(['box']);
    const lines = await fsOps(['--dir', `${t.at('box')}::/`], [op, '0', op, '1', op, '2', op, '3', op, '9']);
    expect(lines).toEqual([`${op}=${ERRNO.NOTSOCK}`, `${op}=${ERRNO.NOTSOCK}`, `${op}=${ERRNO.NOTSOCK}`, `${op}=${ERRNO.NOTSOCK}`, `${op}=${ERRNO.BADF}`]);
  });

  it('sock_recv on stdin leaves the job a normal exit', async () => {
    const r = await cli(['run', FS_OPS, '--', 'recv', '0'], { input: 'data' });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(`recv=${ERRNO.NOTSOCK}\n`);
  });
});
