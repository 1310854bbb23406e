import { describe, expect, it } from 'vitest';
import { gitignored, parseGitignore } from '../../src/engine/folder/gitignore.js';

describe('.gitignore rules', () => {
  const rules = parseGitignore(['# build output', 'build/', '*.log', '/top.wasm', 'docs/**/*.wat', '!keep.log', 'a?c', ''].join('\n'));
  const ignored = (path: string, isDir = false) => gitignored(rules, path, isDir);

  it('matches names anywhere, folders only with a trailing slash, anchored paths from the folder', () => {
    expect(ignored('build', true)).toBe(true);
    expect(ignored('sub/build', true)).toBe(true);
    expect(ignored('build', false)).toBeNull();
    expect(ignored('x.log')).toBe(true);
    expect(ignored('deep/x.log')).toBe(true);
    expect(ignored('top.wasm')).toBe(true);
    expect(ignored('sub/top.wasm')).toBeNull();
    expect(ignored('docs/a/b/x.wat')).toBe(true);
    expect(ignored('docs/x.wat')).toBe(true);
    expect(ignored('abc')).toBe(true);
    expect(ignored('abbc')).toBeNull();
  });

  it('lets a later ! rule take a path back', () => {
    expect(ignored('keep.log')).toBe(false);
    expect(ignored('other.log')).toBe(true);
  });
});
