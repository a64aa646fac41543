#!/usr/bin/env node
// Runs the TypeScript CLI directly (tsx), so `npx expiry-alerts` works right after `npm ci`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../functions/cli.ts');
process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
