import { defineConfig } from 'vitest/config';

// Real servers (knot, dnsmasq, the bundle) start in many suites: generous hook timeouts, and
// process isolation (forks) because lmdb is a native module. Two workers: CI has two cores.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    testTimeout: 30_000,
    hookTimeout: 90_000,
    globalSetup: ['test/global-setup.ts'],
  },
});
