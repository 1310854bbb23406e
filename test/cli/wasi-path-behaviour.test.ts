// WASI preview 1 path behaviour as wasmtime gives it (and the Rust cases of the upstream
// wasi-testsuite accept): symlinks inside a grant work, links that are not to be followed are
// not, odd paths get the errno the spec's hosts agree on. Played through the real binary.
import { describe, expect, it } from 'vitest';
import { existsSync, lstatSync, readFileSync, readlinkSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { ERRNO, fsOps, hostTree } from '../helpers/fs-ops.js';
import { cli, WAT } from '../helpers/cli.js';

const SYMLINK_TYPE = 7;
const DIRECTORY_TYPE = 3;
const REGULAR_FILE_TYPE = 4;
const O_DIRECTORY = '2';
/** A directory's size depends on the host filesystem. */
const dirStat = expect.stringMatching(new RegExp(`^stat=0 type=${DIRECTORY_TYPE} size=\\d+$`));
const O_CREAT_EXCL = '5';

/** A granted dir `box` at guest `/`, holding `a/b/f` ("inner"), with the decoy beside it. */
function box() {
  const t = hostTree(['box/a/b'], { 'box/a/b/f': 'inner' });
  return { ...t, grant: ['--dir', `${t.at('box')}::/`] };
}

describe('symlinks that stay inside', () => {
  it('are followed in the middle of a path and, when asked, at its end', async () => {
    const t = box();
    const lines = await fsOps(t.grant, [
      'symlink', 'a/b', '3', 'ab', 'read', '3', '1', 'ab/f',
      'symlink', '../b/f', '3', 'a/b/up', 'read', '3', '1', 'a/b/up',
      'symlink', 'b', '3', 'a/lb', 'read', '3', '1', 'a/lb/../b/f', // `..` after a link is the link target's parent
      'read', '3', '1', 'a/./b//../b/f',
    ], t.secret);
    expect(lines).toEqual(['symlink=0', 'read=0:inner', 'symlink=0', 'read=0:inner', 'symlink=0', 'read=0:inner', 'read=0:inner']);
  });

  it('are stat-ed as links without LOOKUPFLAGS_SYMLINK_FOLLOW and as their targets with it', async () => {
    const t = box();
    const lines = await fsOps(t.grant, ['symlink', 'a/b/f', '3', 'lf', 'stat', '3', '0', 'lf', 'stat', '3', '1', 'lf', 'stat', '3', '1', 'a']);
    expect(lines).toEqual(['symlink=0', `stat=0 type=${SYMLINK_TYPE} size=5`, `stat=0 type=${REGULAR_FILE_TYPE} size=5`, dirStat]);
  });

  it('are read with path_readlink, which never follows the last component', async () => {
    const t = box();
    const lines = await fsOps(t.grant, ['symlink', 'a/b', '3', 'ab', 'symlink', 'f', '3', 'a/b/g', 'readlink', '3', 'ab', 'readlink', '3', 'ab/g', 'readlink', '3', 'a']);
    expect(lines).toEqual(['symlink=0', 'symlink=0', 'readlink=0:a/b', 'readlink=0:f', `readlink=${ERRNO.INVAL}`]);
    expect(readlinkSync(t.at('box/ab'))).toBe('a/b');
  });

  it('are hard-linked as links, and path_link refuses LOOKUPFLAGS_SYMLINK_FOLLOW (wasmtime: EINVAL)', async () => {
    const t = box();
    const lines = await fsOps(t.grant, ['symlink', 'a/b/f', '3', 'lf', 'link', '3', '1', 'lf', '3', 'h1', 'link', '3', '0', 'lf', '3', 'h2', 'link', '3', '0', 'a/b/f', '3', 'h3']);
    expect(lines).toEqual(['symlink=0', `link=${ERRNO.INVAL}`, 'link=0', 'link=0']);
    expect(lstatSync(t.at('box/h2')).isSymbolicLink()).toBe(true);
    expect(readFileSync(t.at('box/h3'), 'utf8')).toBe('inner');
    expect(existsSync(t.at('box/h1'))).toBe(false);
  });
});

describe('links that are not to be followed (nofollow_errors, dangling_symlink, symlink_loop)', () => {
  it('cannot be opened: ELOOP, with or without O_DIRECTORY; following one to a file with O_DIRECTORY is ENOTDIR', async () => {
    const t = box();
    const lines = await fsOps(t.grant, [
      'symlink', 'a', '3', 'to-dir', 'open', '3', '0', O_DIRECTORY, 'to-dir', 'open', '3', '0', '0', 'to-dir', 'open', '3', '1', O_DIRECTORY, 'to-dir',
      'symlink', 'a/b/f', '3', 'to-file', 'open', '3', '0', '0', 'to-file', 'open', '3', '1', O_DIRECTORY, 'to-file', 'open', '3', '0', O_CREAT_EXCL, 'to-file',
    ]);
    expect(lines).toEqual([
      'symlink=0', `open=${ERRNO.LOOP}`, `open=${ERRNO.LOOP}`, 'open=0',
      'symlink=0', `open=${ERRNO.LOOP}`, `open=${ERRNO.NOTDIR}`, `open=${ERRNO.EXIST}`,
    ]);
  });

  it('dangling: ELOOP when not followed, ENOENT when followed, and a link type to stat', async () => {
    const t = box();
    const lines = await fsOps(t.grant, ['symlink', 'nowhere', '3', 'd', 'open', '3', '0', O_DIRECTORY, 'd', 'open', '3', '0', '0', 'd', 'read', '3', '1', 'd', 'stat', '3', '0', 'd', 'stat', '3', '1', 'd', 'unlink', '3', 'd']);
    expect(lines).toEqual(['symlink=0', `open=${ERRNO.LOOP}`, `open=${ERRNO.LOOP}`, `read=${ERRNO.NOENT}`, `stat=0 type=${SYMLINK_TYPE} size=7`, `stat=${ERRNO.NOENT}`, 'unlink=0']);
  });

  it('a loop is ELOOP however it is reached', async () => {
    const t = box();
    const lines = await fsOps(t.grant, ['symlink', 'loop', '3', 'loop', 'symlink', 'pong', '3', 'ping', 'symlink', 'ping', '3', 'pong', 'open', '3', '0', '0', 'loop', 'read', '3', '1', 'loop', 'read', '3', '1', 'ping', 'stat', '3', '1', 'ping/x']);
    expect(lines).toEqual(['symlink=0', 'symlink=0', 'symlink=0', `open=${ERRNO.LOOP}`, `read=${ERRNO.LOOP}`, `read=${ERRNO.LOOP}`, `stat=${ERRNO.LOOP}`]);
  });
});

describe('unusual paths (interesting_paths, *_trailing_slashes)', () => {
  it('a trailing slash needs a directory: ENOTDIR on a file, fine on a dir', async () => {
    const t = box();
    const lines = await fsOps(t.grant, ['open', '3', '0', '0', 'a/b/f/', 'open', '3', '0', '0', 'a/b/f///', 'open', '3', '0', '0', 'a/b/', 'open', '3', '0', '0', 'a/b///', 'unlink', '3', 'a/b/f/', 'stat', '3', '0', 'a/b/f/']);
    expect(lines).toEqual([`open=${ERRNO.NOTDIR}`, `open=${ERRNO.NOTDIR}`, 'open=0', 'open=0', `unlink=${ERRNO.NOTDIR}`, `stat=${ERRNO.NOTDIR}`]);
    expect(readFileSync(t.at('box/a/b/f'), 'utf8')).toBe('inner');
  });

  it('a new link whose name ends in a slash: ENOENT if nothing is there, EEXIST on a dir, ENOTDIR on a file', async () => {
    const t = box();
    const lines = await fsOps(t.grant, ['symlink', 'source', '3', 'target/', 'symlink', 'source', '3', 'a/', 'symlink', 'source', '3', 'a/b/f/', 'link', '3', '0', 'a/b/f', '3', 'link/']);
    expect(lines).toEqual([`symlink=${ERRNO.NOENT}`, `symlink=${ERRNO.EXIST}`, `symlink=${ERRNO.NOTDIR}`, `link=${ERRNO.NOENT}`]);
    expect(existsSync(t.at('box/target'))).toBe(false);
    expect(existsSync(t.at('box/link'))).toBe(false);
  });

  it('an empty path is ENOENT; `..` that comes back inside is fine', async () => {
    const t = box();
    const lines = await fsOps(t.grant, ['stat', '3', '0', '', 'open', '3', '0', '0', '', 'read', '3', '0', 'a/../a/b/../b/f', 'stat', '3', '0', '.']);
    expect(lines).toEqual([`stat=${ERRNO.NOENT}`, `open=${ERRNO.NOENT}`, 'read=0:inner', dirStat]);
  });
});

describe('descriptors opened beneath a grant', () => {
  it('are a boundary of their own: `..` out of them is EPERM, through fd_renumber and up to fd_close', async () => {
    const t = box();
    const lines = await fsOps(t.grant, [
      'opendir', '3', 'a/b', 'opendir', '3', 'a', 'renumber', '4', '5',
      'read', '5', '1', 'f', 'read', '5', '1', '../b/f', 'read', '5', '1', '../../a/b/f', 'close', '5', 'read', '5', '1', 'f',
    ], t.secret);
    expect(lines).toEqual(['opendir=0 fd=4', 'opendir=0 fd=5', 'renumber=0', 'read=0:inner', `read=${ERRNO.PERM}`, `read=${ERRNO.PERM}`, 'close=0', `read=${ERRNO.BADF}`]);
  });

  it('stop working when their directory is renamed and replaced by a link out (uvwasi would follow its old path through it)', async () => {
    const t = box();
    symlinkSync(t.at('outside/secret.txt'), t.at('box/a/b/s')); // a pre-existing escape, for good measure
    const lines = await fsOps(t.grant, [
      'opendir', '3', 'a', 'symlink', '../../outside', '3', 'away', 'rename', '3', 'a', '3', 'a2', 'rename', '3', 'away', '3', 'a',
      'read', '4', '1', 'secret.txt', 'stat', '4', '1', '.', 'write', '4', 'dropped.txt', 'x',
    ], t.secret);
    expect(lines).toEqual(['opendir=0 fd=4', 'symlink=0', 'rename=0', 'rename=0', `read=${ERRNO.PERM}`, `stat=${ERRNO.PERM}`, `write=${ERRNO.PERM}`]);
    expect(existsSync(t.at('outside/dropped.txt'))).toBe(false);
  });

  it('path calls on stdio or a closed descriptor: ENOTDIR and EBADF', async () => {
    const t = box();
    const lines = await fsOps(t.grant, ['read', '1', '1', 'x', 'mkdir', '0', 'x', 'read', '7', '1', 'x']);
    expect(lines).toEqual([`read=${ERRNO.NOTDIR}`, `mkdir=${ERRNO.NOTDIR}`, `read=${ERRNO.BADF}`]);
  });
});

describe('descriptors are u32, as WASI says', () => {
  it('fd -31337 is EBADF for fd_write, fd_close and path_open, through every layer (no EINVAL)', async () => {
    const r = await cli(['run', '--json', join(WAT, 'negative-fds.wat')]);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'ok', exit_code: 0 });
  });
});
