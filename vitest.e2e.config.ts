import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // A poll asks the page through page.evaluate, which cannot answer while the window's main thread
    // draws a screenful of charts (over a second on a loaded machine): vitest's 1 s default made
    // polls fail with the awaited state already reached.
    expect: { poll: { timeout: 30_000 } },
  },
});
