/**
 * From jobs and runs to what each pane shows. Pure: everything a component renders is computed
 * here (and tested), sanitised, with the watched folder's path shortened out of messages.
 */
import type { JobRowView } from '../components/JobList.js';
import type { ExitPaneProps } from '../components/ExitPane.js';
import type { TimingPaneProps } from '../components/TimingPane.js';
import type { JobEntry } from '../../engine/index.js';
import { STATE_GLYPHS, changeMark, endLine, formatBytes, formatMs, stateWord, type JobState, type Tone } from '../format.js';
import type { OutputLine } from '../runs/output-log.js';
import type { RunRecord } from '../runs/run-record.js';
import { sanitizeLabel, sanitizeText } from '../../core/sanitize.js';
import type { Layer, LayerName } from '../../engine/index.js';
import { textWidth, truncate } from '../text-width.js';
import { stdinDisplay } from './line-edit.js';

/** Paths under the watched folder read better relative to it: `hello.wasm`, not `/home/…/hello.wasm`. */
export function relativize(text: string, root: string): string {
  const prefix = root.endsWith('/') ? root : `${root}/`;
  return text.split(prefix).join('');
}

/** Room for `status time` in a row; a status too long for both drops the time. */
const ROW_STATUS_ROOM = 14;

export function jobRowView(job: JobEntry, latest: RunRecord | undefined, now: number): JobRowView {
  // A module a manifest runs sits under it: `↳ hello.wasm`.
  const base = { id: job.id, name: `${job.parent ? '↳ ' : ''}${sanitizeLabel(job.name)}` };
  if (latest && latest.outcome === null) return { ...base, state: 'running', status: `● ${formatMs(now - latest.startedAt)}`, time: '' };
  if (latest?.outcome) {
    const { status, exitCode, timing } = latest.outcome;
    // `~`: the module or manifest changed on disk since this run (watch off, or not rerun): the result is stale.
    const stale = (job.moduleHash !== null && latest.moduleHash !== job.moduleHash) || latest.manifestHash !== job.manifestHash;
    const text = `${STATE_GLYPHS[status]} ${(status === 'ok' || status === 'exit') && exitCode !== null ? exitCode : stateWord(status)}${stale ? ' ~' : ''}`;
    const time = formatMs(timing.total_ms);
    return { ...base, state: status, status: text, time: textWidth(text) + 1 + 7 <= ROW_STATUS_ROOM ? time : '' };
  }
  if (job.error) return { ...base, state: 'broken', status: `${STATE_GLYPHS.broken} invalid`, time: '' };
  if (job.warning) return { ...base, state: 'broken', status: `${STATE_GLYPHS.broken} missing`, time: '' };
  return { ...base, state: 'never', status: '', time: '' };
}

export interface OutputView {
  job: string;
  runLabel: string;
  lines: readonly OutputLine[];
  /** The number of `lines[0]` in the whole output. */
  first: number;
  /** Above the lines: what is not shown here. */
  head: string[];
  notes: string[];
  placeholder: string | null;
  placeholderTone: Tone;
}

export function outputView(job: JobEntry | undefined, latest: RunRecord | undefined, root: string, scanning: boolean, newest: number | null = null): OutputView {
  const name = job ? sanitizeLabel(job.name) : '';
  const empty = { job: name, runLabel: '', lines: [], first: 0, head: [], notes: [], placeholderTone: 'muted' as Tone };
  if (!job) return { ...empty, placeholder: scanning ? 'Looking for modules and manifests…' : 'No job selected.' };
  if (!latest) {
    if (job.error) {
      const text = [job.error.message, ...job.error.details].map((line) => relativize(line, root)).join('\n');
      return { ...empty, placeholder: sanitizeText(text), placeholderTone: 'bad' };
    }
    if (job.warning) return { ...empty, placeholder: sanitizeText(relativize(job.warning, root)), placeholderTone: 'bad' };
    return { ...empty, placeholder: `Press ⏎ to run ${name}, or i to give it stdin first.` };
  }
  const running = latest.outcome === null;
  const mark = changeMark(latest.changed);
  const notes: string[] = [];
  const head: string[] = [];
  if (latest.output.dropped > 0) {
    const where = running ? 'the whole output is saved when the run ends' : latest.fullOutput ? `p opens all of it (${latest.fullOutput})` : 'the whole output could not be saved';
    head.push(`… ${latest.output.dropped} earlier lines are not kept here: ${where}`);
  }
  if (latest.outcome?.stdoutTruncated) notes.push(`stdout was cut at the output limit (${formatBytes(latest.output.bytes.stdout)} kept)`);
  if (latest.outcome?.stderrTruncated) notes.push(`stderr was cut at the output limit (${formatBytes(latest.output.bytes.stderr)} kept)`);
  // Why a failed run ended, whole, as its last line: the exit pane may have room for a few words only.
  const reason = latest.outcome && latest.outcome.status !== 'ok' ? endLine(latest.outcome.status, sanitizeLabel(relativize(endMessage(latest), root))) : null;
  // (A run read back from its receipt has its reason in its saved output already.)
  if (reason && !latest.saved && latest.output.view().length > 0) notes.push(reason);
  return {
    job: name,
    // Which input made this output: the field may hold something else by now.
    runLabel: `run #${latest.no}${newest !== null && newest !== latest.no ? ` of ${newest}` : ''}${mark ? ` ${mark}` : ''}${running ? ' ●' : ''} · in: ${inputLabel(latest.stdin)}`,
    lines: latest.output.view(),
    first: latest.output.dropped,
    head,
    notes,
    // Without output the pane has room for the whole exit message, which the exit pane may cut.
    placeholder: running ? 'waiting for output…' : reason === null ? '(no output)' : `(no output)\n\n${sanitizeText(relativize(endMessage(latest), root))}`,
    placeholderTone: 'muted',
  };
}

export function timingView(shown: RunRecord | undefined, all: readonly RunRecord[], now: number, limitSeconds: number | null = null): Omit<TimingPaneProps, 'width' | 'height'> {
  // The run on screen (`[` goes back) and those before it: Timing agrees with Exit and Receipt.
  const latest = shown;
  const runs = shown && all.includes(shown) ? all.slice(0, all.indexOf(shown) + 1) : all;
  const finished = runs.filter((run) => run.outcome && run.outcome.status !== 'cancelled' && !neverStarted(run));
  const lastFinished = [...runs].reverse().find((run) => run.outcome);
  const running = latest !== undefined && latest.outcome === null;
  const refused = lastFinished !== undefined && neverStarted(lastFinished);
  return {
    elapsedMs: running ? now - latest.startedAt : null,
    limitMs: running && limitSeconds !== null ? limitSeconds * 1000 : null,
    phase: running ? latest.phase : null,
    // A refused run has no phases to show: not `0.0 ms` each.
    timing: refused ? null : (lastFinished?.outcome?.timing ?? null),
    phasesKept: !lastFinished?.saved,
    refused: !running && refused,
    history: finished.slice(-20).map((run) => run.outcome?.timing.total_ms ?? 0),
  };
}

export function exitView(job: JobEntry | undefined, latest: RunRecord | undefined, root: string): Omit<ExitPaneProps, 'width' | 'height'> {
  if (latest?.outcome) {
    const { status, exitCode } = latest.outcome;
    // The headline already says `✓ 0 · ok` / `✗ 42 · exit`: its sentence would only repeat it.
    const repeats = (status === 'ok' || status === 'exit') && latest.outcome.message === `The job exited with code ${exitCode}.`;
    const message = repeats ? '' : endMessage(latest);
    return { state: latest.outcome.status, exitCode: latest.outcome.exitCode, message: sanitizeLabel(relativize(message, root)), containment: containmentLine(latest.outcome.containment) };
  }
  if (latest) return { state: 'running', exitCode: null, message: `${latest.phase}…` };
  if (job?.error) return { state: 'broken', exitCode: null, message: sanitizeLabel(relativize(job.error.message, root)) };
  if (job?.warning) return { state: 'broken', exitCode: null, message: sanitizeLabel(relativize(job.warning, root)) };
  return { state: 'never' as JobState, exitCode: null, message: '' };
}

/** A finished run's own sentence for how it ended. */
export function endMessage(run: RunRecord): string {
  return run.superseded ? 'Cancelled: a newer run of this job replaced it.' : (run.outcome?.message ?? '');
}

export function receiptAbsence(job: JobEntry | undefined, latest: RunRecord | undefined): string {
  if (!job) return '';
  if (!latest) return job.spec ? 'no receipt yet: each run is signed and saved in .plasm/receipts' : 'this job cannot run, so nothing is signed';
  if (latest.outcome === null) return '● signed and saved when the run ends';
  if (latest.receiptPending) return '● saving and checking the receipt';
  if (neverStarted(latest)) return 'no receipt: the run was refused before it started (see Exit), so nothing was signed';
  return `no receipt: nothing was signed for this ${stateWord(latest.outcome.status)} run`;
}

/** Refused before a sandbox started (a hash pin, an unreadable or invalid module): no phase ran. */
export function neverStarted(run: RunRecord): boolean {
  const timing = run.outcome?.timing;
  return run.outcome?.status === 'invalid' && timing !== undefined && timing.start_ms === 0 && timing.compile_ms === 0 && timing.run_ms === 0;
}

const LAYER_WORDS: Readonly<Record<LayerName, string>> = {
  os_sandbox: 'bwrap',
  kernel_limits: 'rlimit',
  die_with_parent: 'pdeath',
  node_permissions: 'perms',
  wasi_paths: 'paths',
};

/**
 * The containment layers that held a run, in one short line: "held: bwrap rlimits paths", or a
 * warning naming what was off ("⚠ no bwrap · held: rlimits paths") — never silently missing.
 */
export function containmentLine(layers: readonly Layer[]): { text: string; warn: boolean } | null {
  if (layers.length === 0) return null;
  // Layers that are always on (the permission model) or follow from the others stay out of the short line while they hold.
  const held = layers.filter((layer) => layer.active && layer.name !== 'die_with_parent' && layer.name !== 'node_permissions').map((layer) => LAYER_WORDS[layer.name]);
  const off = layers.filter((layer) => !layer.active).map((layer) => LAYER_WORDS[layer.name]);
  const heldText = `held: ${held.join(' ')}`;
  return off.length > 0 ? { text: `⚠ no ${off.join(' ')} · ${heldText}`, warn: true } : { text: heldText, warn: false };
}

/** A run's stdin in a title: one line (`↵` for breaks), cut to a glance. */
export function inputLabel(stdin: string): string {
  return stdin === '' ? '(empty)' : truncate(sanitizeLabel(stdinDisplay(stdin)), 24);
}

/**
 * What the details overlay says about a job: where it comes from, what it is given and what it
 * is held to. Env values are not shown (they may be secrets): their names are.
 */
export function detailsView(job: JobEntry, latest: RunRecord | undefined, root: string): string[] {
  const rel = (path: string): string => sanitizeLabel(relativize(path, root));
  const lines = [`${job.kind.padEnd(10)}${rel(job.id)}`];
  const spec = job.spec;
  if (!spec) return [...lines, `cannot run: ${sanitizeLabel(relativize(job.error?.message ?? 'not a valid job', root))}`];
  if (job.kind === 'manifest') lines.push(`module    ${rel(spec.modulePath)}`);
  else lines.push('note      a module alone runs with no args, env or dirs; a manifest beside it gives them (see the README)');
  lines.push(`hash      ${job.moduleHash ?? 'not read yet'}${spec.pinnedHash ? `  (pinned: ${spec.pinnedHash === job.moduleHash ? 'matches' : `expects ${spec.pinnedHash}`})` : ''}`);
  const argv = [spec.modulePath.slice(spec.modulePath.lastIndexOf('/') + 1), ...spec.args].map((arg) => (/^[\w./=:-]+$/.test(arg) ? arg : JSON.stringify(arg)));
  lines.push(`args      ${sanitizeLabel(argv.join(' '))}`);
  const env = Object.keys(spec.env);
  lines.push(`env       ${env.length === 0 ? 'none' : sanitizeLabel(env.join(' '))}`);
  if (spec.dirs.length === 0) lines.push('dirs      none');
  spec.dirs.forEach((dir, i) => lines.push(`${i === 0 ? 'dirs' : ''}`.padEnd(10) + sanitizeLabel(`${dir.readonly ? 'read-only ' : 'read-write'} ${dir.host} as ${dir.guest}`)));
  const { memory_mb, timeout_seconds, max_output_bytes, fuel, cpu_cores } = spec.limits;
  lines.push(`limits    memory ${memory_mb} MiB · time ${timeout_seconds} s · output ${formatBytes(max_output_bytes)} · fuel ${fuel ?? 'none'} · cpu ${cpu_cores}`);
  if (spec.defaultStdin !== null) lines.push(`stdin     ${inputLabel(spec.defaultStdin)}`);
  if (spec.deterministic) lines.push(`mode      deterministic${spec.seed ? ` · seed ${spec.seed}` : ' · seed from the job'}: its receipts replay (v)`);
  // Why rebuilds of its module are not seen, so watch cannot rerun it.
  if (job.unwatched) lines.push(`watch     ${sanitizeLabel(relativize(job.unwatched, root))}`);
  if (latest) lines.push(`last run  #${latest.no} · ${latest.outcome ? stateWord(latest.outcome.status) : 'running'} · in: ${inputLabel(latest.stdin)}`);
  if (latest?.outcome && latest.outcome.status !== 'ok') lines.push(`ended     ${endLine(latest.outcome.status, sanitizeLabel(relativize(endMessage(latest), root)))}`);
  return lines;
}
