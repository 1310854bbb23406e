import { loadConfig } from '../../core/config.js';
import { isPlasmError, PlasmError } from '../../core/errors.js';
import { sha256 } from '../../core/hash.js';
import { exitCodeFor, USAGE_EXIT_CODE } from '../../core/status.js';
import { summarizeGrants } from '../../engine/index.js';
import { loadOrCreateNodeKey, type NodeKey } from '../../core/keys.js';
import { createEngine, createWarmPool, type RunResult } from '../../engine/index.js';
import { sanitizeLabel } from '../../core/sanitize.js';
import { RUN_HELP } from '../help.js';
import { flushStdout, moduleOutput, printJson, reportError } from '../output.js';
import { readInputFile, readPipedStdin } from '../read-input.js';
import { onStdoutGone } from '../stdout-gone.js';
import { checkReceiptTarget, writeReceipt } from '../receipt-target.js';
import { parseRunOptions, type RunCommandOptions } from '../run-options.js';
import { REPORT_VERSION, runReport } from '../../engine/index.js';
import type { DaemonUse } from '../../daemon/client.js';
import { daemonOrLocal } from '../../daemon/daemon-or-local.js';

export async function runCommand(argv: string[]): Promise<number> {
  let options: RunCommandOptions;
  try {
    options = parseRunOptions(argv);
  } catch (error) {
    return reportError(error);
  }
  if (options.help) {
    process.stdout.write(RUN_HELP);
    return 0;
  }
  // Everything that can be refused is refused before the module runs.
  let spec;
  let stdin: Buffer | undefined;
  let daemon: DaemonUse | undefined;
  try {
    // No spares (this process runs one job), but its worker starts as soon as the job is known,
    // while stdin is read and the key is loaded.
    let key: NodeKey | undefined;
    const loadKey = (): NodeKey => (key ??= loadOrCreateNodeKey());
    const config = loadConfig();
    // A running daemon's warm sandbox, unless told not to; else a worker of this process's own.
    // The daemon is asked while the job is resolved, the key loads and stdin is read.
    const sandbox = daemonOrLocal({
      daemon: !options.noDaemon && config.daemon,
      why: options.noDaemon ? '--no-daemon was given' : 'the config says "daemon": false',
      local: () => createWarmPool({ spares: 0 }),
      onChange: (_use, warning) => {
        // Said once, when the choice is made (a daemon gone mid-run ends the run with its own message).
        if (warning && daemon === undefined && !options.quiet) process.stderr.write(`plasm-tui: ${sanitizeLabel(warning)}; running the job here.\n`);
      },
    });
    const engine = createEngine({ config, key: loadKey, sandbox });
    spec = engine.resolve(options.target, options.overrides);
    const pending = options.allowGrants ? null : engine.pendingGrants(spec);
    if (pending) {
      const manifest = options.target;
      return reportError(
        new PlasmError('consent', `${manifest} asks for ${summarizeGrants(pending)}; allow it with \`plasm-tui allow ${manifest}\` (or run once with --allow-grants).`),
      );
    }
    if (options.receipt) {
      // Not the job's fault: an I/O error (74), before anything runs.
      try {
        checkReceiptTarget(options.receipt);
      } catch (error) {
        return reportError(error);
      }
    }
    // Everything refusable is checked: the worker boots while stdin is read and the key loads
    // (a worker of this process's own; the daemon's are warm already).
    daemon = await sandbox.use();
    engine.warm(spec);
    loadKey();
    if (options.stdinText !== undefined) stdin = Buffer.from(options.stdinText, 'utf8');
    else if (options.stdinFile !== undefined) stdin = readInputFile(options.stdinFile);
    else {
      const piped = await readPipedStdin();
      // An empty pipe (e.g. </dev/null in CI) leaves a manifest's default stdin in place.
      if (piped && (piped.length > 0 || spec.defaultStdin === null)) stdin = piped;
    }
    const stdout = moduleOutput(process.stdout, options.raw);
    const stderr = moduleOutput(process.stderr, options.raw);
    const run = engine.start(spec, {
      stdin,
      allowGrants: options.allowGrants,
      receiptVersion: options.receiptVersion,
      onEvent: options.json
        ? undefined
        : (event) => {
            if (event.type === 'stdout') stdout.write(event.chunk);
            else if (event.type === 'stderr') stderr.write(event.chunk);
          },
    });
    const cancel = (): void => run.cancel();
    process.once('SIGINT', cancel);
    process.once('SIGTERM', cancel);
    // A reader that goes away (`… | head`) ends the job instead of crashing on EPIPE.
    let stdoutClosed = false;
    const onStdoutError = (): void => {
      stdoutClosed = true;
      run.cancel();
    };
    const forget = onStdoutGone(onStdoutError);
    const result = await run.result;
    void engine.close(); // a daemon connection is let go; a worker of this process's own is done already
    forget();
    stdout.end();
    stderr.end();
    process.off('SIGINT', cancel);
    process.off('SIGTERM', cancel);
    if (stdoutClosed) {
      if (!options.quiet) process.stderr.write(`plasm-tui: ${result.job} · stdout was closed, so the job was stopped.\n`);
      return exitCodeFor('cancelled', null);
    }
    let receiptPath: string | null = null;
    if (options.receipt && result.receipt) receiptPath = writeReceipt(options.receipt, result.receipt);
    if (options.json) printJson(runReport(result, receiptPath, daemon));
    else if (!options.quiet) printSummary(result, receiptPath);
    await flushStdout();
    return exitCodeFor(result.status, result.exit_code);
  } catch (error) {
    if (isPlasmError(error) && (error.kind === 'usage' || error.kind === 'consent')) return reportError(error);
    // A job that cannot even be set up (missing or broken manifest, bad dir) is an invalid run.
    if (options.json && isPlasmError(error)) {
      printJson({ report_version: REPORT_VERSION, status: 'invalid', exit_code: null, message: error.message, details: error.details, input_hash: stdin ? sha256(stdin) : null });
      await flushStdout();
      return exitCodeFor('invalid', null);
    }
    const code = reportError(error);
    return code === USAGE_EXIT_CODE ? code : isPlasmError(error) ? exitCodeFor('invalid', null) : code;
  }
}

function printSummary(result: RunResult, receiptPath: string | null): void {
  const ms = result.timing.total_ms.toFixed(1);
  const head = result.status === 'ok' || result.status === 'exit' ? `exit ${String(result.exit_code)}` : result.status;
  const detail = result.status === 'ok' ? '' : ` · ${result.message}`;
  const saved = receiptPath ? ` · receipt ${receiptPath}` : '';
  // The job's name, the message (which may quote import names) and paths come from files an
  // attacker may have written: no escape sequence of theirs reaches the terminal.
  process.stderr.write(`${sanitizeLabel(`plasm-tui: ${result.job} · ${head} · ${ms} ms${detail}${saved}`)}\n`);
}

