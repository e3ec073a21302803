import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'shared/*/src/**/*.test.ts',
      'actors/*/src/**/*.test.ts',
      'broker-config/src/**/*.test.ts',
      'tests/src/**/*.test.ts',
      'connector/src/**/*.test.ts',
    ],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration suites each start their own nats-server; two cores run two files at once.
    fileParallelism: true,
    maxWorkers: 2,
    pool: 'forks',
  },
});
