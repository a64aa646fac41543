/**
 * `npm run demo`: the whole job on the embedded defaults. A simulated CertCentral account on 127.0.0.1, the
 * real `expiry-alerts scan` command against it with a throw-away state directory: a first scan, a second scan
 * the same day (nothing to send), and a scan a week later (only the next thresholds). The command runs as
 * `npx expiry-alerts` runs it: `bin/expiry-alerts.js`, on the build `npm ci` made.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sampleAccount } from '../test/certcentral-sim/generate.ts';
import { startSimulator } from '../test/certcentral-sim/server.ts';

const CLI = fileURLToPath(new URL('../bin/expiry-alerts.js', import.meta.url));
const DEMO_KEY = 'demo-key-not-a-secret';

const today = new Date().toISOString().slice(0, 10);
const daysLater = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const weekLater = daysLater(7);
const twoWeeksLater = daysLater(14);

function heading(text: string): void {
  process.stdout.write(`\n\x1b[1m== ${text}\x1b[0m\n\n`);
}

function scan(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  process.stdout.write(`$ expiry-alerts scan ${args.join(' ')}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'scan', ...args], {
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

async function main(): Promise<void> {
  const simulator = await startSimulator({ account: sampleAccount(today), apiKey: DEMO_KEY });
  const stateDir = await mkdtemp(join(tmpdir(), 'expiry-alerts-demo-'));
  const env = { ...process.env, DIGICERT_API_KEY: DEMO_KEY, DIGICERT_BASE_URL: simulator.url };
  const common = ['--state-dir', stateDir];
  try {
    heading(`A simulated CertCentral account of ${simulator.account.size} orders at ${simulator.url}`);
    process.stdout.write(
      'Certificates from 95 days left to 40 days expired, renewals issued and pending, duplicates, a subaccount\n' +
        'order, a revoked order. State goes to a throw-away embedded DynamoDB (dynalite) directory.\n',
    );

    heading(
      `1. First scan (${today}): every certificate that crossed a threshold, once, at its tightest level`,
    );
    const first = await scan([...common, '--now', today], env);

    heading('2. The same scan again, same day: everything was already announced, so nothing is sent');
    const second = await scan([...common, '--now', today], env);

    heading(`3. A week later (${weekLater}): only the certificates that crossed their next threshold`);
    const third = await scan([...common, '--now', weekLater], env);

    heading(
      `4. Two weeks later (${twoWeeksLater}) with --json: the events machines receive (SNS JSON subscribers)`,
    );
    const fourth = await scan([...common, '--now', twoWeeksLater, '--json'], env);

    process.stdout.write(
      '\nPoint it at your own account: export DIGICERT_API_KEY=... && npx expiry-alerts scan --dry-run\n',
    );
    const codes = [first, second, third, fourth];
    if (codes.some((code) => code !== 0)) throw new Error(`a scan exited with ${codes.join(', ')}`);
  } finally {
    await simulator.close();
    await rm(stateDir, { recursive: true, force: true });
  }
}

await main();
