import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // End-to-end tests spawn the built CLI; on a shared 2-core machine they need room.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
