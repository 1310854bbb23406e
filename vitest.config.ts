import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    setupFiles: ['test/setup.ts'],
    // Ceilings for a loaded 2-core machine; tests wait for states (test/helpers/ceiling.ts), so
    // a passing test never comes near them.
    testTimeout: 240_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Most of a test's time is spent waiting on the processes it starts (the CLI, sandbox
    // workers, a TUI in a pty), not on a core: three files at a time keep two cores busy.
    maxWorkers: 3,
  },
});
