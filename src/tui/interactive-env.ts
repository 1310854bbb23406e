/**
 * Loaded before Ink and React (first import of start.ts). Ink decides once, when it loads, whether it runs
 * in CI (`CI`, `CONTINUOUS_INTEGRATION` or any `CI_*` variable), and then draws nothing until it
 * exits: a blank screen. The TUI only starts on an interactive terminal (cli/main.ts checks), so
 * such a variable left in a shell is not a CI run; `CI=0` is what makes Ink's check say no.
 */
if (process.env.CI !== undefined || process.env.CONTINUOUS_INTEGRATION !== undefined || Object.keys(process.env).some((name) => name.startsWith('CI_'))) {
  process.env.CI = '0';
}
// React, too, picks its build once, when it loads: without NODE_ENV it is the development build,
// whose checks make every frame cost two to three times as much, time the process would spend
// reading a running job's output.
// (The bundle, dist/tui/bundle.js, holds the production build alone: scripts/bundle.mjs.)
const env = process.env;
env.NODE_ENV ??= 'production';
export {};
