import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Most of a test's time is spent waiting on the processes it starts (the CLI, sandbox
    // workers, a TUI in a pty), not on a core: three files at a time keep two cores busy.
    maxWorkers: 3,
  },
});
