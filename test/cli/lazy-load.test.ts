// `plasm-tui run` must start fast: loading the CLI for a run never loads React, Ink or the TUI,
// and the command line is bundled (scripts/bundle.mjs): a few chunks rather than a tree of modules.
// The real binary runs with a resolve hook (test/fixtures/trace-imports.mjs) that records every
// module URL the process resolves.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { describe, expect, test } from 'vitest';
import { BIN, EXAMPLES, ROOT } from '../helpers/cli.js';
import { until } from '../helpers/poll.js';

const HOOK = join(ROOT, 'test', 'fixtures', 'trace-imports.mjs');
const UI_MODULES = /\/node_modules\/(ink|react|react-reconciler|ink-text-input)\//;
const CLI_BUNDLE = join(ROOT, 'dist', 'cli', 'bundle.js');
const TUI_BUNDLE = join(ROOT, 'dist', 'tui', 'bundle.js');
const CHUNKS = pathToFileURL(join(ROOT, 'dist', 'chunks')).href + '/';
/** The URLs that are not Node's built-ins, each once, shared chunks left out. */
const ownModules = (urls: string[]) => [...new Set(urls.filter((url) => !url.startsWith('node:') && !url.startsWith(CHUNKS)))];

/** Runs `node --import HOOK …args` and returns the resolved URLs, in order. */
async function traced(args: string[]) {
  const trace = join(mkdtempSync(join(tmpdir(), 'plasm-tui-trace-')), 'imports.txt');
  const result = await execa(process.execPath, ['--import', HOOK, ...args], {
    cwd: ROOT,
    reject: false,
    input: '',
    env: { XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME, PLASM_TRACE_IMPORTS: trace },
    extendEnv: false,
  });
  const urls = readFileSync(trace, 'utf8').split('\n').filter(Boolean);
  return { result, urls };
}

describe('`plasm-tui run` loads no UI code', () => {
  // Started with nothing but XDG_CONFIG_HOME in its environment, as under `env -i`.
  test('hello.wasm runs, and neither React, Ink nor dist/tui/ is loaded', async () => {
    const { result, urls } = await traced([BIN, 'run', join(EXAMPLES, 'hello', 'hello.wasm'), '--stdin', 'hi']);
    expect(result.exitCode, String(result.stderr)).toBe(0);
    expect(result.stdout).toBe('ih');
    // The trace saw the bundle that holds the command line: the hook works on this path. Besides
    // Node's built-ins, the bin, the bundle and its chunks are the only modules a run loads.
    expect(ownModules(urls)).toEqual([pathToFileURL(BIN).href, pathToFileURL(CLI_BUNDLE).href]);
    expect(urls.some((url) => url.startsWith(CHUNKS))).toBe(true);
    expect(urls.filter((url) => UI_MODULES.test(url))).toEqual([]);
    expect(urls.filter((url) => url.includes('/dist/tui/'))).toEqual([]);
  });

  test('the bundle leaves the TUI out: it imports dist/tui/bundle.js only when the TUI opens', () => {
    const bundle = readFileSync(CLI_BUNDLE, 'utf8');
    expect(bundle).toContain('await import("../tui/bundle.js")');
    expect(bundle).not.toMatch(/node_modules\/(ink|react|react-reconciler|chokidar)\//);
    // Nor does any chunk: Ink and React are in the TUI's bundle alone.
    const chunks = readdirSync(join(ROOT, 'dist', 'chunks'));
    expect(chunks.length).toBeGreaterThan(0);
    for (const chunk of chunks) expect(readFileSync(join(ROOT, 'dist', 'chunks', chunk), 'utf8'), chunk).not.toMatch(/node_modules\/(ink|react|react-reconciler|yoga-layout)\//);
  });

  test('the other commands load none either', async () => {
    for (const args of [['key'], ['version'], ['validate', join(EXAMPLES, 'sieve', 'sieve.manifest.json')]]) {
      const { result, urls } = await traced([BIN, ...args]);
      expect(result.exitCode, args.join(' ')).toBe(0);
      expect(urls.filter((url) => UI_MODULES.test(url) || url.includes('/dist/tui/')), args.join(' ')).toEqual([]);
    }
  });
});

describe('the TUI', () => {
  test('is one bundle too: Ink and React inside it, nothing read from node_modules module by module', async () => {
    const { default: pty } = await import('@lydell/node-pty');
    const trace = join(mkdtempSync(join(tmpdir(), 'plasm-tui-trace-')), 'imports.txt');
    const tui = pty.spawn(process.execPath, ['--import', HOOK, BIN, join(EXAMPLES, 'hello')], {
      cols: 100,
      rows: 30,
      cwd: ROOT,
      env: { XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME ?? '', PLASM_TRACE_IMPORTS: trace, TERM: 'xterm-256color', PATH: process.env.PATH ?? '' },
    });
    let screen = '';
    tui.onData((data) => (screen += data));
    const exited = new Promise<number>((resolve) => tui.onExit(({ exitCode }) => resolve(exitCode)));
    await until(() => screen.includes('Jobs'), 'the TUI to draw');
    tui.write('q');
    expect(await exited).toBe(0);
    const urls = readFileSync(trace, 'utf8').split('\n').filter((url) => url && !url.startsWith('node:'));
    expect(ownModules(urls)).toEqual([pathToFileURL(BIN).href, pathToFileURL(CLI_BUNDLE).href, pathToFileURL(TUI_BUNDLE).href]);
  });
});

test('control: the same trace does show Ink and React when they are loaded', async () => {
  const { result, urls } = await traced(['--input-type=module', '-e', "await import('ink'); await import('react');"]);
  expect(result.exitCode, String(result.stderr)).toBe(0);
  expect(urls.some((url) => url.includes('/node_modules/ink/'))).toBe(true);
  expect(urls.some((url) => url.includes('/node_modules/react/'))).toBe(true);
});
