#!/usr/bin/env node
// `expiry-alerts`: runs the command as built at install (`dist/cli.js`, by `npm run build`, which npm runs as
// `prepare` after `npm ci` and `npm install`). When that build is missing (an install with --ignore-scripts) or
// older than its source (an edit, a checkout), it runs the TypeScript source through tsx instead, with a
// one-line notice: the same command, only slower to start, rather than a refusal or yesterday's code.
import { readFileSync, statSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const built = new URL('dist/cli.js', root);

/** Why `dist/cli.js` cannot be run as it is, or undefined when it is current. */
function reasonToRunSource() {
  const builtAt = statSync(built, { throwIfNoEntry: false })?.mtimeMs;
  if (builtAt === undefined) return 'dist/cli.js is not built';
  let inputs;
  try {
    inputs = JSON.parse(readFileSync(new URL('dist/build-inputs.json', root), 'utf8'));
  } catch {
    return 'the build in dist/ is incomplete';
  }
  for (const input of inputs) {
    const changedAt = statSync(new URL(input, root), { throwIfNoEntry: false })?.mtimeMs;
    if (changedAt === undefined || changedAt > builtAt) return `${input} changed after dist/cli.js was built`;
  }
  return undefined;
}

const reason = reasonToRunSource();
if (reason === undefined) {
  await import(built.href);
} else {
  process.stderr.write(
    `expiry-alerts: ${reason}, so it runs from source through tsx (slower to start); \`npm run build\` builds it.\n`,
  );
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('functions/cli-process.ts', root).href);
}
