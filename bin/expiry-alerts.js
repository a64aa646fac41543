#!/usr/bin/env node
// Runs the TypeScript CLI directly (tsx), so `npx expiry-alerts` works right after `npm ci`.
import { register } from 'tsx/esm/api';

register();
const { runAsProcess } = await import('../functions/cli.ts');
await runAsProcess();
