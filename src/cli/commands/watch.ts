import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '../../core/config.js';
import { PlasmError } from '../../core/errors.js';
import { loadOrCreateNodeKey } from '../../core/keys.js';
import { createEngine, createWarmPool, FolderRunner, type WatchEvent } from '../../engine/index.js';
import { WATCH_HELP } from '../help.js';
import { printJson, reportError } from '../output.js';
import { parseCommand } from '../parse.js';
import { WatchPrinter } from '../watch-printer.js';
import { daemonOrLocal } from '../../daemon/daemon-or-local.js';
import { sanitizeLabel } from '../../core/sanitize.js';
import { exitCodeWhenStdoutGone, onStdoutGone, stdoutGone } from '../stdout-gone.js';

/**
 * `plasm-tui watch [DIR] [--json]`: the TUI's watch mode without a screen, for scripts and CI.
 * Runs every job once, then again on each rebuild, and reports each event on its own line with
 * --json (schemas/event.schema.json), or each run's output framed for a reader (watch-printer.ts).
 * SIGINT or SIGTERM stops it cleanly, and so does a reader going away.
 */
export async function watchCommand(argv: string[]): Promise<number> {
  let runner: FolderRunner;
  let json = false;
  try {
    const { values, positionals } = parseCommand('watch', argv, {
      json: { type: 'boolean' },
      'no-initial': { type: 'boolean' },
      concurrency: { type: 'string' },
      'no-daemon': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      process.stdout.write(WATCH_HELP);
      return 0;
    }
    if (positionals.length > 1) throw new PlasmError('usage', 'watch takes one folder. See `plasm-tui watch --help`.');
    const dir = resolve(positionals[0] ?? '.');
    let isDir = false;
    try {
      isDir = statSync(dir).isDirectory();
    } catch {
      // reported below
    }
    if (!isDir) throw new PlasmError('not_found', `${positionals[0] ?? '.'} is not a folder.`);
    const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
    if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1)) {
      throw new PlasmError('usage', `--concurrency takes a whole number of at least 1, not "${values.concurrency}".`);
    }
    json = values.json ?? false;
    const config = loadConfig();
    const noDaemon = values['no-daemon'] ?? false;
    const sandbox = daemonOrLocal({
      daemon: !noDaemon && config.daemon,
      why: noDaemon ? '--no-daemon was given' : 'the config says "daemon": false',
      local: () => createWarmPool(),
      onChange: (use, warning) => {
        if (warning) process.stderr.write(`plasm-tui: ${sanitizeLabel(warning)}; running jobs here.\n`);
        // Said to a person; a script reading --json events gets no chatter on stderr.
        else if (use.used && !json) process.stderr.write(`plasm-tui: running jobs in the daemon (pid ${use.pid}).\n`);
      },
    });
    const engine = createEngine({ config, key: loadOrCreateNodeKey(), sandbox });
    engine.warm();
    const printer = json ? null : new WatchPrinter();
    runner = new FolderRunner(engine, dir, printer ? (event) => printer.event(event) : printEvent, {
      runOnStart: !values['no-initial'],
      concurrency,
      ...(printer ? { onOutput: (run, stream, chunk) => printer.output(run, stream, chunk) } : {}),
    });
    runner.start();
    // Held until the runner has stopped: closing releases every handle the process waits on.
    const alive = setInterval(() => {}, 1 << 30);
    await new Promise<void>((done) => {
      const stop = (reason: string): void => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        forget();
        void runner
          .close(reason)
          .then(() => engine.close())
          .then(() => {
            clearInterval(alive);
            done();
          });
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
      // A reader that went away (`| head -1`) ends the watch as Ctrl-C does, quietly.
      const forget = onStdoutGone(() => stop('stdout closed'));
    });
    return stdoutGone() ? exitCodeWhenStdoutGone() : 0;
  } catch (error) {
    return reportError(error);
  }
}

/** One event per line; names from files reach it, so C1 and bidi are escaped like in every JSON the CLI prints. */
function printEvent(event: WatchEvent): void {
  if (!stdoutGone()) printJson(event, 0);
}
