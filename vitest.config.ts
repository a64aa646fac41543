import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    env: {
      // The tests build AWS SDK clients in-process; on Node.js 20 the SDK would print its nine-line notice about
      // requiring Node.js 22 in every test file. The command itself replaces that notice with one line
      // (test/integration/cli/installed-command.test.ts); this silences it, the documented way, for the suite.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
  },
});
