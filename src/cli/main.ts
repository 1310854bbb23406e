/**
 * The command line: `plasm-tui [DIR]` opens the TUI, `plasm-tui <command> …` runs a command.
 * Commands are loaded on demand, so `run` never loads React or Ink.
 */
import { statSync } from 'node:fs';
import { PlasmError } from '../core/errors.js';
import { USAGE_EXIT_CODE } from '../core/status.js';
import { RUNTIME } from '../engine/runtime.js';
import { MAIN_HELP } from './help.js';
import { reportError } from './output.js';
import { sanitizeLabel } from '../core/sanitize.js';
import { endQuietlyWhenReaderGoes } from './stdout-gone.js';

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  endQuietlyWhenReaderGoes();
  try {
    switch (command) {
      case 'run':
        return await (await import('./commands/run.js')).runCommand(rest);
      case 'verify':
        return await (await import('./commands/verify.js')).verifyCommand(rest);
      case 'validate':
        return (await import('./commands/validate.js')).validateCommand(rest);
      case 'watch':
        return await (await import('./commands/watch.js')).watchCommand(rest);
      case 'serve':
        return await (await import('./commands/serve.js')).serveCommand(rest);
      case 'worker':
        return await (await import('./commands/worker.js')).workerCommand(rest);
      case 'allow':
        return (await import('./commands/allow.js')).allowCommand(rest);
      case 'key':
        return (await import('./commands/key.js')).keyCommand(rest);
      case 'version':
      case '--version':
      case '-V':
        process.stdout.write(`${RUNTIME.name} ${RUNTIME.version} (node ${RUNTIME.node})\n`);
        return 0;
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(MAIN_HELP);
        return 0;
      default:
        return await openTui(argv);
    }
  } catch (error) {
    return reportError(error);
  }
}

async function openTui(argv: string[]): Promise<number> {
  if (argv.length > 1 || argv[0]?.startsWith('-')) {
    throw new PlasmError('usage', `Unknown command or option "${argv[0] ?? ''}". See \`plasm-tui --help\`.`);
  }
  const dir = argv[0] ?? '.';
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    // reported below
  }
  if (!isDir) throw new PlasmError('usage', `"${dir}" is neither a command nor a folder. See \`plasm-tui --help\`.`);
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    process.stderr.write('plasm-tui: the terminal UI needs an interactive terminal; in scripts use `plasm-tui run <module.wasm|manifest.json>` (see `plasm-tui --help`).\n');
    return USAGE_EXIT_CODE;
  }
  // Loading the terminal UI (Ink, React) takes a moment: say so, so the terminal is never blank.
  // start.ts erases the line before it takes the screen.
  process.stdout.write(`plasm-tui: opening ${sanitizeLabel(dir)}…`);
  try {
    return await (await import('../tui/start.js')).startTui(dir);
  } catch (error) {
    process.stdout.write('\r\x1b[2K'); // the error goes on a line of its own
    throw error;
  }
}
