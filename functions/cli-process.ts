/**
 * The `expiry-alerts` process: the command on the real stdout, stderr and environment, and its exit code.
 * `bin/expiry-alerts.js` runs this file as built by `scripts/build-cli.ts` (`dist/cli.js`), or through tsx when
 * that build is missing or older than the source.
 */
import { main } from './cli.ts';
import { nodeVersionAdvice, SDK_NODE_NOTICE_VARIABLE } from './local/node-version.ts';
import { realTimer } from './local/progress.ts';

const advice = nodeVersionAdvice(process.versions.node);
// Our one line replaces the SDK's nine; a user who set the variable either way keeps their choice.
if (advice) process.env[SDK_NODE_NOTICE_VARIABLE] ??= 'true';

process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  signals: process,
  exit: (code) => process.exit(code),
  timer: realTimer,
  ...(advice ? { notices: [advice] } : {}),
});
