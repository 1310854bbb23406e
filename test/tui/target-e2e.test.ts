/**
 * A Rust project's layout in a real terminal: the manifest names the module cargo writes under
 * target/, a folder the job list's walk skips. A rebuild there reruns the job on screen.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { cargoBuild, helloBuild } from '../helpers/hello-build.js';
import { KEYS } from '../helpers/pty.js';
import { tuiFixtures } from '../helpers/tui-folders.js';

const { folderWith, open } = tuiFixtures();

describe('a module under target/', () => {
  it('reruns its manifest\'s job when cargo rebuilds it', async () => {
    const dir = folderWith();
    const app = join(dir, 'target', 'wasm32-wasi', 'debug', 'app.wasm');
    cargoBuild(app, await helloBuild(1), 1);
    writeFileSync(join(dir, 'app.manifest.json'), JSON.stringify({ version: '0.2', name: 'app', module: 'target/wasm32-wasi/debug/app.wasm' }));
    const tui = open(dir);
    await tui.waitForText('▶ app');
    await tui.press(KEYS.enter);
    await tui.waitFor((s) => s.includes('build number 1') && s.includes('✓ verified'), 'the first run');
    cargoBuild(app, await helloBuild(2), 2);
    await tui.waitFor((s) => s.includes('build number 2') && s.includes('✓ verified'), 'the rerun of the rebuilt module');
  });
});
