/**
 * The TUI: the watched folder's jobs on the left, the selected job's latest run on the right,
 * its stdin below. State lives in the folder watcher, the run store and one UI reducer; this
 * component wires them to the panes and to the key table.
 */
import { Box, useApp, useStdout } from 'ink';
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { useCallback, useEffect, useMemo } from 'react';
import { ExitPane } from './components/ExitPane.js';
import { Footer } from './components/Footer.js';
import { Header } from './components/Header.js';
import { GrantsDialog } from './components/GrantsDialog.js';
import { HelpOverlay } from './components/HelpOverlay.js';
import { JobList } from './components/JobList.js';
import { OutputPane } from './components/OutputPane.js';
import { ReceiptPane } from './components/ReceiptPane.js';
import { StdinInput } from './components/StdinInput.js';
import { TimingPane } from './components/TimingPane.js';
import { TooSmall } from './components/TooSmall.js';
import type { JobEntry } from '../engine/index.js';
import { useJobFolder, type FolderSource } from './hooks/use-job-folder.js';
import { useKeyDispatch, type Handlers } from './hooks/use-key-dispatch.js';
import { useLiveReducer } from './hooks/use-live-reducer.js';
import { useNow } from './hooks/use-now.js';
import { useRuns } from './hooks/use-runs.js';
import { useTerminalSize } from './hooks/use-terminal-size.js';
import { useWatchReruns } from './hooks/use-watch-reruns.js';
import { MIN_COLUMNS, MIN_ROWS, computeLayout, innerHeight, innerWidth } from './layout.js';
import type { RunStore } from './runs/run-store.js';
import type { RunRecord } from './runs/run-record.js';
import { sanitizeLabel } from '../core/sanitize.js';
import { scrollAnchor } from './state/output-window.js';
import { helpPages } from './state/help-pages.js';
import { filterJobs, moveSelection, selectedIndex } from './state/selection.js';
import { editLine, pasteText } from './state/line-edit.js';
import { editFilter, initialUiState, uiReducer, type Confirm, type UiState } from './state/ui-state.js';
import { grantView } from './state/grant-view.js';
import { describeGrants } from '../engine/index.js';
import { detailsView, exitView, jobRowView, outputView, receiptAbsence, relativize, timingView } from './state/views.js';
import { DetailsOverlay } from './components/DetailsOverlay.js';

export interface AppProps {
  folder: FolderSource & { root: string };
  store: RunStore;
  /** The folder as the user named it, for the header. */
  dirLabel: string;
  initialState?: Partial<UiState>;
  /**
   * Opens the user's editor on `text` and gives back what was saved (null: not changed). It has
   * the terminal meanwhile; start.ts provides it, tests give a stand-in.
   */
  editText?: (text: string) => string | null;
  /** Shows a file in the user's pager, which has the terminal meanwhile. */
  openPager?: (path: string) => void;
  /** Shows `diff -u older newer` in the user's pager. */
  openDiff?: (older: string, newer: string) => void;
  /** Subscribes to news about where jobs run (the daemon used, or gone); returns the unsubscribe. */
  sandboxNews?: (listener: (text: string) => void) => () => void;
}

/** How long a notice stays in the header. */
const NOTICE_MS = 5000;

export function App({ folder, store, dirLabel, initialState, editText, openPager, openDiff, sandboxNews }: AppProps) {
  const { exit } = useApp();
  const { columns, rows } = useTerminalSize();
  // Ink writes only the lines that changed, unless the frame fills the terminal (then it clears
  // the screen and scrollback and writes everything, every frame): so the last row stays free.
  const height = rows - 1;
  const { write: writeAround } = useStdout();
  /** After another program had the terminal: Ink's write() clears what it knows and draws the whole frame again. */
  const redrawWhole = (): void => writeAround('');
  const snapshot = useJobFolder(folder);
  useRuns(store);
  const [ui, dispatch, uiRef] = useLiveReducer(uiReducer, () => initialUiState(initialState));
  const now = useNow(store.runningCount() > 0);
  const layout = computeLayout(columns, height);

  // Rendering uses this render's state; key handlers call `selection()` again for the latest.
  const selection = (state: UiState, folderNow: { jobs: readonly JobEntry[]; ready: boolean }) => {
    const visible = filterJobs(folderNow.jobs, state.filter);
    const index = selectedIndex(visible, state, folderNow.ready);
    return { jobs: folderNow.jobs, visible, index, job: visible[index] as JobEntry | undefined };
  };
  const { jobs, visible, index, job } = selection(ui, snapshot);
  const current = () => selection(uiRef.current, folder.snapshot());
  // The selection is a job, not a row: once one is shown it is pinned by id, so files found or
  // added later (sorting before it) never move it.
  // It reads the latest state, not this render's: a key handled before this effect ran (a busy
  // machine) may already have moved the selection, and must not be undone.
  useEffect(() => {
    const now = current();
    const state = uiRef.current;
    if (now.job && (state.selectedId !== now.job.id || state.selectedIndex !== now.index)) dispatch({ type: 'select', id: now.job.id, index: now.index });
  }, [job?.id, index, ui.selectedId, ui.selectedIndex]);
  /** The run the panes show: the latest, or an earlier one picked with `[`. */
  const shownRun = (state: UiState, entry: JobEntry | undefined): RunRecord | undefined => {
    if (!entry) return undefined;
    const list = store.runs(entry.id);
    return list[Math.max(0, list.length - 1 - state.back)];
  };
  const latest = shownRun(ui, job);
  const newest = job ? (store.latest(job.id)?.no ?? null) : null;
  const stdinOf = (entry: JobEntry): string => uiRef.current.stdin[entry.id] ?? entry.spec?.defaultStdin ?? '';
  const notice = (text: string | null): void => dispatch({ type: 'notice', text });

  useWatchReruns(folder, store, ui.watch, (rerun, asks, changed) => {
    // The file that changed (the manifest or the module), then the job it reruns.
    const file = changed === 'manifest' || !rerun.spec ? rerun.relPath : relativize(rerun.spec.modulePath, folder.root);
    notice(asks ? `${sanitizeLabel(rerun.name)} asks for other grants now: not rerun (⏎ reviews them)` : `${sanitizeLabel(file)} changed: rerunning ${sanitizeLabel(rerun.name)}`);
  });
  useEffect(() => sandboxNews?.((text) => notice(sanitizeLabel(text))), [sandboxNews]);
  useEffect(() => {
    if (ui.notice === null) return;
    const timer = setTimeout(() => dispatch({ type: 'notice', text: null }), NOTICE_MS);
    return () => clearTimeout(timer);
  }, [ui.noticeId]);

  // Where the watched folder really is: a granted dir outside it is pointed out in the dialog.
  const realRoot = useMemo(() => {
    try {
      return realpathSync(folder.root);
    } catch {
      return folder.root;
    }
  }, [folder.root]);
  /** Runs `entry`; one already running is restarted only once the user says so (`restart`). */
  const start = (entry: JobEntry | undefined, stdin?: string, restart = false): void => {
    if (!entry) return;
    if (!entry.spec) {
      notice(`${sanitizeLabel(entry.name)} cannot run: ${sanitizeLabel(relativize(entry.error?.message ?? 'it is not a valid job', folder.root))}`);
      return;
    }
    const input = stdin ?? stdinOf(entry);
    if (!restart && store.isRunning(entry.id)) {
      ask({ kind: 'restart', jobId: entry.id, stdin: input, question: `${sanitizeLabel(entry.name)} is running: cancel it and start over?` });
      return;
    }
    const pending = store.pendingGrants(entry.spec);
    if (pending) {
      const manifest = sanitizeLabel(relativize(pending.manifestPath, folder.root));
      const refused = describeGrants(pending).filter((line) => line.startsWith('refused'));
      const view = grantView(pending, realRoot, store.allowedBefore(pending.manifestPath), refused);
      dispatch({ type: 'ask-grants', prompt: { jobId: entry.id, stdin: input, manifest, hash: pending.hash, view } });
      return;
    }
    launch(entry, input, false);
  };
  const ask = (confirm: Confirm): void => dispatch({ type: 'ask', confirm });
  const runAll = (): void => {
    const listed = current().visible.filter((entry) => entry.spec);
    const asking = listed.filter((entry) => entry.spec && store.pendingGrants(entry.spec));
    for (const entry of listed) if (!asking.includes(entry)) launch(entry, stdinOf(entry), false);
    notice(`running ${listed.length - asking.length} jobs${asking.length > 0 ? `; ${asking.length} ask for grants first (⏎ on each)` : ''}`);
  };
  const launch = (entry: JobEntry, stdin: string, allowGrants: boolean): void => {
    if (!entry.spec) return;
    store.start({ id: entry.id, spec: entry.spec, moduleHash: entry.moduleHash, manifestHash: entry.manifestHash }, stdin, 'user', allowGrants);
    dispatch({ type: 'back', value: 0 });
    dispatch({ type: 'scroll-to', anchor: null });
  };
  const move = (delta: number): void => {
    const { visible: list, index: from } = current();
    const to = moveSelection(list, from, delta);
    const target = list[to];
    if (target) dispatch({ type: 'select', id: target.id, index: to });
  };
  const output = outputView(job, latest, folder.root, !snapshot.ready, newest);
  // Key handlers scroll what is on screen now, not what this render saw.
  const currentOutput = () => {
    const shown = current().job;
    return outputView(shown, shownRun(uiRef.current, shown), folder.root, false);
  };
  // Zoomed, the output pane takes the whole screen between header and footer.
  const isZoomed = (mode: UiState['mode']): boolean => mode === 'zoom' || mode === 'search';
  const zoomed = (zoom: boolean) => (zoom ? { width: layout.width, height: Math.max(0, layout.height - 2) } : layout.output);
  const page = Math.max(1, innerHeight(zoomed(isZoomed(ui.mode))) - 1);
  const scrollBy = (by: number): void => {
    const view = currentOutput();
    const size = zoomed(isZoomed(uiRef.current.mode));
    const anchor = scrollAnchor(view.lines, view.notes, innerWidth(size), innerHeight(size), uiRef.current.scroll, by, view.first, view.head);
    dispatch({ type: 'scroll-to', anchor });
  };

  /**
   * Scrolls the zoomed pane to the next (or previous) line holding the search, from the line at
   * the top of the view (that line included when `inclusive`), wrapping around the output.
   */
  const findMatch = (direction: 1 | -1, inclusive: boolean): void => {
    const term = uiRef.current.search.toLowerCase();
    if (term === '') return notice('/ searches the output first');
    const view = currentOutput();
    const count = view.lines.length;
    if (count === 0) return notice('no output to search');
    const anchor = uiRef.current.scroll;
    const top = anchor === null ? (direction === 1 ? -1 : count) : anchor.line - view.first;
    const from = inclusive && anchor !== null ? top : top + direction;
    for (let step = 0; step < count; step++) {
      const i = (((from + direction * step) % count) + count) % count;
      if (view.lines[i]?.text.toLowerCase().includes(term)) {
        dispatch({ type: 'scroll-to', anchor: { line: view.first + i, row: 0 } });
        return;
      }
    }
    notice(`no "${sanitizeLabel(uiRef.current.search)}" in the output shown`);
  };
  const handlers: Handlers = {
    'select-up': () => move(-1),
    'select-down': () => move(1),
    run: () => {
      // ⏎ in the stdin field runs and hands the keys back to the list, so `x` cancels and `q` quits.
      if (uiRef.current.mode === 'stdin') dispatch({ type: 'mode', mode: 'normal' });
      start(current().job);
    },
    'edit-stdin': () => {
      const selected = current().job;
      if (selected) dispatch({ type: 'edit-stdin', length: [...stdinOf(selected)].length });
    },
    'edit-external': () => {
      const selected = current().job;
      if (!selected) return;
      if (!editText) return notice('no editor here: set $VISUAL or $EDITOR');
      const text = editText(stdinOf(selected));
      redrawWhole();
      if (text === null) return notice('the editor failed or was quit: stdin unchanged');
      dispatch({ type: 'stdin', id: selected.id, text, cursor: [...text].length });
    },
    'run-all': () => {
      const listed = current().visible.filter((entry) => entry.spec);
      if (listed.length === 0) return notice('no job here can run');
      const running = listed.filter((entry) => store.isRunning(entry.id)).length;
      ask({ kind: 'run-all', question: `Run all ${listed.length} listed job${listed.length === 1 ? '' : 's'}${running > 0 ? ` (${running} running: restarted)` : ''}?` });
    },
    confirm: () => {
      const question = uiRef.current.confirm;
      dispatch({ type: 'ask', confirm: null });
      if (question?.kind === 'run-all') return runAll();
      const entry = question ? current().jobs.find((candidate) => candidate.id === question.jobId) : undefined;
      if (!question || !entry) return notice('not run: the job is gone from the folder');
      start(entry, question.stdin, true);
    },
    decline: () => {
      const question = uiRef.current.confirm;
      dispatch({ type: 'ask', confirm: null });
      notice(question?.kind === 'restart' ? 'not restarted: the run goes on (x cancels it)' : 'nothing was run');
    },
    'rerun-failed': () => {
      // Failed: ended other than ok (a cancelled run was stopped, not failed).
      const failed = current().jobs.filter((entry) => {
        const outcome = store.latest(entry.id)?.outcome;
        return entry.spec && outcome && outcome.status !== 'ok' && outcome.status !== 'cancelled' && !store.pendingGrants(entry.spec);
      });
      for (const entry of failed) launch(entry, store.latest(entry.id)?.stdin ?? stdinOf(entry), false);
      notice(failed.length === 0 ? 'no failed runs to rerun' : `rerunning ${failed.length} failed job${failed.length === 1 ? '' : 's'}`);
    },
    'open-pager': () => {
      const selected = current().job;
      const run = shownRun(uiRef.current, selected);
      if (!run) return notice('nothing to show: the job has not run');
      if (run.outcome === null) return notice('the whole output is saved when the run ends');
      if (!run.fullOutput) return notice(run.output.bytes.stdout + run.output.bytes.stderr === 0 ? 'the run printed nothing' : 'the whole output was not saved (see the receipt pane)');
      if (!openPager) return notice(`the whole output is in ${sanitizeLabel(run.fullOutput)}`);
      openPager(join(folder.root, run.fullOutput));
      redrawWhole();
    },
    'diff-runs': () => {
      const selected = current().job;
      if (!selected) return;
      const list = store.runs(selected.id);
      const shown = shownRun(uiRef.current, selected);
      const before = shown ? list.slice(0, list.indexOf(shown)).reverse().find((run) => run.outcome && run.outcome.status !== 'cancelled') : undefined;
      if (!shown || !before) return notice('no earlier run of this job to compare with');
      if (shown.outcome === null) return notice('the run is still going: compare when it ends');
      if (shown.changed === false) return notice(`run #${shown.no} printed the same as run #${before.no}`);
      // A run that printed nothing has no output file: compare with an empty one.
      const file = (run: RunRecord): string => (run.fullOutput ? join(folder.root, run.fullOutput) : '/dev/null');
      if (!openDiff) return notice(`the outputs are in ${sanitizeLabel(before.fullOutput ?? '(none)')} and ${sanitizeLabel(shown.fullOutput ?? '(none)')}`);
      openDiff(file(before), file(shown));
      redrawWhole();
    },
    replay: () => {
      const selected = current().job;
      const run = shownRun(uiRef.current, selected);
      if (!selected?.spec || !run) return notice('nothing to replay: the job has not run');
      if (!run.receipt) return notice(run.outcome === null ? 'the run is still going: replay it when it ends' : 'the run has no receipt to replay');
      if (!run.receipt.replayable) return notice('only a deterministic run can be replayed ("deterministic": true in its manifest)');
      if (run.receipt.replay?.state === 'running') return notice(`run #${run.no} is being replayed`);
      if (store.replay(run, selected.spec)) notice(`replaying run #${run.no}: running it again to compare`);
    },
    rerun: () => {
      // The selected job, with the input of the run on screen (⏎ takes the field instead).
      const selected = current().job;
      if (!selected) return notice('no job selected');
      start(selected, shownRun(uiRef.current, selected)?.stdin);
    },
    'toggle-watch': () => dispatch({ type: 'toggle-watch' }),
    'toggle-zoom': () => dispatch({ type: 'mode', mode: uiRef.current.mode === 'zoom' ? 'normal' : 'zoom' }),
    search: () => {
      dispatch({ type: 'search', text: '' });
      dispatch({ type: 'mode', mode: 'search' });
    },
    'accept-search': () => {
      dispatch({ type: 'mode', mode: 'zoom' });
      findMatch(1, true);
    },
    'cancel-search': () => dispatch({ type: 'mode', mode: 'zoom' }),
    'next-match': () => findMatch(1, false),
    'previous-match': () => findMatch(-1, false),
    'older-run': () => {
      const selected = current().job;
      const count = selected ? store.runs(selected.id).length : 0;
      if (uiRef.current.back + 1 >= count) return notice(count === 0 ? 'the job has not run yet' : 'no earlier run kept (the last 30 are)');
      dispatch({ type: 'back', value: uiRef.current.back + 1 });
    },
    'newer-run': () => dispatch({ type: 'back', value: uiRef.current.back - 1 }),
    filter: () => {
      // A new search, not more letters on the old one.
      dispatch({ type: 'filter', text: '' });
      dispatch({ type: 'mode', mode: 'filter' });
    },
    'accept-filter': () => dispatch({ type: 'mode', mode: 'normal' }),
    'clear-filter': () => {
      dispatch({ type: 'filter', text: '' });
      dispatch({ type: 'mode', mode: 'normal' });
    },
    cancel: () => {
      const selected = current().job;
      if (!selected || !store.cancel(selected.id)) notice('nothing to cancel: the selected job is not running');
    },
    'page-up': () => scrollBy(page),
    'page-down': () => scrollBy(-page),
    'scroll-up': () => scrollBy(1),
    'scroll-down': () => scrollBy(-1),
    'scroll-top': () => scrollBy(Infinity),
    follow: () => dispatch({ type: 'scroll-to', anchor: null }),
    'leave-field': () => dispatch({ type: 'mode', mode: 'normal' }),
    help: () => {
      dispatch({ type: 'help-page', page: 0 });
      dispatch({ type: 'mode', mode: 'help' });
    },
    'help-page': () => {
      const size = { width: layout.width, height: layout.height - 2 };
      const count = helpPages(innerWidth(size), innerHeight(size)).length;
      dispatch({ type: 'help-page', page: (uiRef.current.helpPage + 1) % count });
    },
    details: () => {
      if (current().job) dispatch({ type: 'mode', mode: 'details' });
    },
    'close-help': () => dispatch({ type: 'mode', mode: 'normal' }),
    'allow-grants': () => {
      const prompt = uiRef.current.grants;
      dispatch({ type: 'ask-grants', prompt: null });
      const entry = prompt ? current().jobs.find((candidate) => candidate.id === prompt.jobId) : undefined;
      if (!prompt || !entry?.spec) return notice('not run: the job is gone from the folder');
      const pending = store.pendingGrants(entry.spec);
      // Allow only what was on screen: if the manifest changed while the dialog was open, ask again.
      if (pending && pending.hash !== prompt.hash) return start(entry, prompt.stdin, true);
      if (pending) store.allow(pending);
      launch(entry, prompt.stdin, false);
    },
    'deny-grants': () => {
      dispatch({ type: 'ask-grants', prompt: null });
      notice('not run: nothing was allowed');
    },
    quit: () => exit(),
  };
  const editStdin = (change: (line: { text: string; cursor: number }) => { text: string; cursor: number }): void => {
    const selected = current().job;
    if (!selected) return;
    const line = change({ text: stdinOf(selected), cursor: uiRef.current.cursor });
    dispatch({ type: 'stdin', id: selected.id, text: line.text, cursor: line.cursor });
  };
  // A notice answers the key before: the next key's own answer (or none) replaces it, so the
  // header never speaks of something the user has moved on from.
  const answering = Object.fromEntries(
    Object.entries(handlers).map(([action, handler]) => [
      action,
      () => {
        if (uiRef.current.notice !== null) dispatch({ type: 'notice', text: null });
        handler();
      },
    ]),
  ) as Handlers;
  useKeyDispatch(
    useCallback(() => uiRef.current.mode, [uiRef]),
    answering,
    {
      key: (mode, input, key) => {
        // A question is answered yes only by its own keys: anything else is a no.
        if (mode === 'confirm') return handlers.decline();
        if (mode === 'filter') dispatch({ type: 'filter', text: editFilter(uiRef.current.filter, input, key) });
        if (mode === 'search') dispatch({ type: 'search', text: editFilter(uiRef.current.search, input, key) });
        if (mode === 'stdin') editStdin((line) => editLine(line, input, key));
      },
      paste: (mode, text) => {
        // A filter is one line: its breaks become spaces.
        if (mode === 'filter') dispatch({ type: 'filter', text: uiRef.current.filter + text.replace(/[\r\n]+/g, ' ').replace(/[\u0000-\u001f\u007f]/g, '') });
        if (mode === 'search') dispatch({ type: 'search', text: uiRef.current.search + text.replace(/[\r\n]+/g, ' ').replace(/[\u0000-\u001f\u007f]/g, '') });
        if (mode === 'stdin') editStdin((line) => pasteText(line, text));
      },
    },
  );

  if (columns < MIN_COLUMNS || rows < MIN_ROWS) {
    return <TooSmall width={columns} height={rows} />;
  }
  const header = (
    <Header width={layout.width} dir={sanitizeLabel(dirLabel)} watch={ui.watch} running={store.runningCount()} notice={ui.notice ?? (snapshot.notice ? sanitizeLabel(snapshot.notice) : null)} error={snapshot.error ? sanitizeLabel(snapshot.error) : null} />
  );
  const footer = <Footer mode={ui.mode} width={layout.width} prompt={ui.mode === 'confirm' ? (ui.confirm?.question ?? null) : null} />;
  if (ui.mode === 'grants' && ui.grants) {
    return (
      <Box flexDirection="column" width={layout.width} height={layout.height}>
        {header}
        <GrantsDialog prompt={ui.grants} width={layout.width} height={layout.height - 2} />
        {footer}
      </Box>
    );
  }
  if (ui.mode === 'details' && job) {
    return (
      <Box flexDirection="column" width={layout.width} height={layout.height}>
        {header}
        <DetailsOverlay title={`Details · ${sanitizeLabel(job.name)}`} lines={detailsView(job, latest, folder.root)} width={layout.width} height={layout.height - 2} />
        {footer}
      </Box>
    );
  }
  if (ui.mode === 'help') {
    return (
      <Box flexDirection="column" width={layout.width} height={layout.height}>
        {header}
        <HelpOverlay width={layout.width} height={layout.height - 2} page={ui.helpPage} />
        {footer}
      </Box>
    );
  }
  if (isZoomed(ui.mode)) {
    const searching = ui.search === '' ? output : { ...output, runLabel: `${output.runLabel} · /${sanitizeLabel(ui.search)}${ui.mode === 'search' ? '▏' : ''} ${matchCount(output.lines, output.first, ui.search, ui.scroll)}` };
    return (
      <Box flexDirection="column" width={layout.width} height={layout.height}>
        {header}
        <OutputPane {...zoomed(true)} {...searching} runLabel={ui.mode === 'search' && ui.search === '' ? `${output.runLabel} · /▏` : searching.runLabel} scroll={ui.scroll} highlight={ui.search} />
        {footer}
      </Box>
    );
  }
  const runs = job ? store.runs(job.id) : [];
  return (
    <Box flexDirection="column" width={layout.width} height={layout.height}>
      {header}
      <Box flexDirection="row" height={layout.main.height}>
        <JobList
          {...layout.jobs}
          rows={visible.map((entry) => jobRowView(entry, store.latest(entry.id), now))}
          selected={index}
          total={jobs.length}
          scanning={!snapshot.ready}
          focused={ui.mode === 'normal'}
          filter={ui.filter}
          filtering={ui.mode === 'filter'}
        />
        <Box flexDirection="column" width={layout.output.width}>
          <OutputPane {...layout.output} {...output} scroll={ui.scroll} />
          <Box flexDirection="row">
            <TimingPane {...layout.timing} {...timingView(latest, runs, now, job?.spec?.limits.timeout_seconds ?? null)} />
            <ExitPane {...layout.exit} {...exitView(job, latest, folder.root)} />
          </Box>
          <ReceiptPane {...layout.receipt} receipt={latest?.receipt ?? null} absent={receiptAbsence(job, latest)} />
        </Box>
      </Box>
      <StdinInput {...layout.stdin} job={job ? sanitizeLabel(job.name) : null} value={job ? stdinOf(job) : ''} cursor={ui.cursor} editing={ui.mode === 'stdin'} />
      {footer}
    </Box>
  );
}

/**
 * How many kept lines hold the search, and which of them the view is on: "3/17" when the line
 * at the top of the view is the 3rd match, "17 matches" elsewhere, "no match" for none.
 */
function matchCount(lines: readonly { text: string }[], first: number, search: string, scroll: { line: number } | null): string {
  const term = search.toLowerCase();
  let total = 0;
  let current = 0;
  lines.forEach((line, i) => {
    if (!line.text.toLowerCase().includes(term)) return;
    total++;
    if (scroll !== null && first + i === scroll.line) current = total;
  });
  if (total === 0) return '(no match)';
  return current > 0 ? `(${current}/${total})` : `(${total} ${total === 1 ? 'match' : 'matches'})`;
}
