import { RUN_OPTIONS } from './run-options.js';

export const MAIN_HELP = `plasm-tui — run WebAssembly (WASI preview 1) jobs in sandboxed, limited subprocesses, with signed receipts

Usage:
  plasm-tui [DIR]                         open the terminal UI on DIR (default: the current folder)
  plasm-tui run [options] <module|manifest> [-- args…]
                                          run one job; its stdout is yours, a summary goes to stderr
  plasm-tui verify <receipt.json> --pubkey HEX [--module F] [--stdin F] [--stdout F]
                                          check a receipt's signature and what it binds
  plasm-tui watch [DIR] [--json]          run DIR's jobs and rerun them on rebuild, without a screen
  plasm-tui serve [--detach|--stop|--status]
                                          a local daemon with warm sandboxes: \`run\` uses it when it runs
  plasm-tui worker --redis redis://HOST:PORT [--concurrency N] [--allow-dir HOST::GUEST]…
                                          take jobs from a queue on Redis, sign with this worker's key
  plasm-tui allow [--revoke] <manifest>…  allow the dirs and env a manifest asks for (remembered)
  plasm-tui validate <file.json>…         check manifests, receipts or a config against the schemas
  plasm-tui key                           print this machine's public key (64 hex characters)
  plasm-tui version                       print the version

Each command takes --help. Exit codes: the module's own for a run that exits; 124 timeout,
125 a resource limit, 134 trap, 65 invalid module or manifest, 77 grants not allowed, 2 usage,
1 verification failed, 130 cancelled, 137 killed, 70 internal error; outside a run 65 invalid
file, 66 file not found, 74 I/O error.
`;

const RUN_SECTIONS = {
  input: 'Input:',
  limits: 'Limits (defaults from the config: 128 MiB, 30 s, 16 MiB per stream):',
  output: 'Output:',
} as const;

/** Options in the left column, their help from column 26, continuation lines under it. */
function optionLines(section: keyof typeof RUN_SECTIONS): string {
  return Object.values(RUN_OPTIONS)
    .filter((option) => option.section === section)
    .map((option) => `  ${option.usage.padEnd(22)}  ${option.help.split('\n').join(`\n${' '.repeat(26)}`)}\n`)
    .join('');
}

export const RUN_HELP = `Usage: plasm-tui run [options] <module.wasm|module.wat|manifest.json> [-- args…]

Runs one WASI job in its own sandboxed process. The module's stdout is printed byte for byte to
a pipe or a file; on a terminal, its escape sequences are dropped and other control characters
shown as ^X (--raw passes them through). Its stderr (treated the same way) and plasm-tui's
one-line summary go to stderr.

${(Object.keys(RUN_SECTIONS) as (keyof typeof RUN_SECTIONS)[]).map((section) => `${RUN_SECTIONS[section]}\n${optionLines(section)}`).join('\n')}
Examples:
  echo "Hello, World" | plasm-tui run wasm-examples/hello/hello.wasm
  plasm-tui run --allow-grants wasm-examples/args-env/args-env.manifest.json
  plasm-tui run --ro-dir wasm-examples/cat-file/data::/data wasm-examples/cat-file/cat-file.wasm -- /data/greeting.txt
`;

export const VERIFY_HELP = `Usage: plasm-tui verify <receipt.json> (--pubkey HEX | --trust-embedded-key) [bindings] [--json]
       plasm-tui verify --replay <receipt.json> (--pubkey HEX | --trust-embedded-key) --module FILE
                        [--stdin FILE] [--dir HOST::GUEST]… [--json]

Checks a receipt's Ed25519 signature against a pinned public key (what \`plasm-tui key\` prints on
the machine that signed it). Any changed byte of any field fails. Exit 0 when every check holds,
1 when one fails, 65 when the file is not a receipt.

--replay runs a deterministic run's job again (a v0.3 receipt from \`run --deterministic\`): the
module, stdin and each input tree are checked against the receipt's hashes, the job runs in
deterministic mode with the receipt's argv, env, limits and seed (signing nothing), and its
status, exit code, stdout, stderr and fuel must match the receipt's bit for bit. A mismatch
names the field and both values.

  --pubkey HEX            the signer's public key (64 hex characters)
  --trust-embedded-key    trust the key inside the receipt instead (proves integrity, not origin)
  --module FILE           check the module's hash
  --manifest FILE         check the manifest's hash
  --stdin FILE            check the input's hash
  --stdout FILE           check the output's hash
  --stderr FILE           check the error output's hash
  --replay                run the receipt's job again and compare (needs --module)
  --dir HOST::GUEST       with --replay: the folder for the receipt's dir at GUEST (repeatable;
                          read-only, its tree hash must match)
  --json                  print the checks as JSON
`;

export const VALIDATE_HELP = `Usage: plasm-tui validate [--kind manifest|receipt|config] <file.json>…

Checks each file against its schema in schemas/ (a manifest's version picks v0.1 or v0.2; a file
with a "signature" is taken for a receipt). Errors name the file, the JSON path and the rule.
Exit 0 when all are valid, 65 when one is invalid, else 66 when one does not exist.
`;

export const SERVE_HELP = `Usage: plasm-tui serve [--detach | --stop | --status]

A local daemon that keeps warm sandboxes and runs jobs for \`run\`, the terminal UI, \`watch\` and
the SDK on this machine, so a job does not wait for a sandbox process to start. It listens on a
Unix socket in $XDG_RUNTIME_DIR/plasm-tui/ (mode 0700; without XDG_RUNTIME_DIR, in
/tmp/plasm-tui-UID/) and refuses a folder other users can reach. Clients still read the module,
hold its folders and sign the receipt themselves: the signing key never reaches the daemon. Each
job runs with its own limits and OS-sandbox mode (PLASM_OS_SANDBOX of the client).

  (none)      run in the foreground, logging to stderr; SIGTERM or SIGINT stops it
  --detach    start it in the background (log: daemon.log beside the socket) and return once it
              answers
  --stop      stop the running daemon (of any version): its jobs end cancelled, its workers are
              stopped, and this waits until it is gone
  --status    say whether a daemon runs (exit 0) or not (exit 1)

\`run --no-daemon\` (or "daemon": false in the config) runs a job in its own process even when a
daemon runs; a daemon of another plasm-tui version is never used (\`run\` says so and runs the
job itself).
`;

export const WORKER_HELP = `Usage: plasm-tui worker --redis redis://HOST:PORT [--queue NAME] [--concurrency N]
                        [--allow-dir HOST::GUEST]… [--key FILE] [--lock-seconds S]

Takes portable jobs from a queue on Redis (BullMQ) and runs each in its own sandbox, as \`run\`
does, under the job's limits (refused past this machine's ceilings). Module and stdin come from
Redis by content hash and are checked against it; the receipt (v0.3: it binds the job's hash and
its output) is signed with this worker's own key, which it prints on start: clients pin it
(QueueTransport's workerKeys). Clients submit with the SDK: README "More than one machine".

A job's read-only dirs are input trees by content hash. The worker serves a guest path only from
a folder its operator allowed with --allow-dir, read-only, and runs the job only if the folder's
tree hash is the job's; a job asking for another folder, or for one read-write, is refused.

  --redis URL          the Redis the queue lives on (redis:// or rediss://)
  --queue NAME         the queue's name (default: plasm-tui)
  --concurrency N      jobs at once (default: the machine's cores)
  --allow-dir H::G     serve the host folder H at guest path G, read-only (repeatable)
  --key FILE           sign with this key file (created if missing; default: this machine's node
                       key, in $XDG_CONFIG_HOME/plasm-tui/node.key)
  --lock-seconds S     a job of a worker that died moves to another after S seconds (default 30)

A job that cannot run (not a module, a missing or wrong blob, a refused dir) goes to the queue's
failed set with its reason and is not retried; a failure of the worker's own is retried with
backoff. SIGINT or SIGTERM: takes no new jobs, finishes those in flight, exits 0.
`;

export const KEY_HELP = `Usage: plasm-tui key [--path]

Prints this machine's Ed25519 public key as 64 hex characters (creating the key on first use,
mode 0600, in $XDG_CONFIG_HOME/plasm-tui/node.key). --path prints where the key file is.
`;

export const ALLOW_HELP = `Usage: plasm-tui allow [--revoke] <manifest.json>…

A manifest's "dirs" and "env" are requests: a job runs with them only once you have allowed them.
This prints what each manifest asks for (every host folder resolved, read-only or read-write,
and the environment variable names) and remembers your consent to exactly that, by its hash, in
$XDG_CONFIG_HOME/plasm-tui/allowed/. A manifest that later asks for anything else is refused
until it is allowed again. --revoke forgets the consent. Flags typed on the command line
(--dir, --ro-dir, --env) need no allowing.
`;

export const WATCH_HELP = `Usage: plasm-tui watch [DIR] [--json] [--no-initial] [--concurrency N] [--no-daemon]

The terminal UI's watch mode without a screen, for scripts and CI: lists DIR's jobs (default: the
current folder), runs each once, then again whenever its module or manifest is rebuilt (a run in
flight is cancelled), and saves each signed receipt in DIR/.plasm/receipts/. A manifest asking
for dirs or env that were not allowed (\`plasm-tui allow\`) is reported and not run.

Each run's output is printed between a header (\`job #1: running (rebuild)\`) and its result line,
sanitised for the terminal (escape sequences dropped, controls shown as ^X); runs at once are
shown one after the other, never mixed. The receipts keep the exact bytes.

  --json             one JSON object per line for each event (schemas/event.schema.json):
                     watching, job_added, job_changed, job_removed, job_invalid, job_unwatched,
                     grants_needed, run_started, run_finished, stopped
  --no-initial       run jobs only when they are rebuilt, not once at the start
  --concurrency N    jobs running at once (default: the machine's cores)
  --no-daemon        run jobs in this process's own sandboxes even when a daemon
                     (plasm-tui serve) runs; without it a running daemon is used

SIGINT (Ctrl-C) or SIGTERM cancels what runs (each run still ends with its result, cancelled)
and stops; so does a reader that goes away (\`| head -1\`). The exit code is then 0.
`;
