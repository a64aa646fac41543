/**
 * The simulator as a standalone server, to point the CLI at:
 *   npx tsx test/certcentral-sim/main.ts --orders 1000 --seed 7 --today 2026-11-23 --port 8443 --api-key KEY
 * It serves until Ctrl-C. The simulator's clock runs in real time on `--today`.
 */
import { Command } from 'commander';
import { ConfigError, parseWholeNumber } from '../../functions/core/config.ts';
import type { SimAccount } from './account.ts';
import { toEpochDay, utcDate } from './dates.ts';
import { SimulatorInputError } from './errors.ts';
import { generateAccount, sampleAccount } from './generate.ts';
import { startSimulator } from './server.ts';

interface RawOptions {
  orders: string;
  seed: string;
  today: string;
  port: string;
  apiKey?: string;
  sample?: boolean;
  rateLimits: boolean;
}

const DAY_MS = 86_400_000;

const program = new Command('certcentral-sim')
  .description('A DigiCert CertCentral API simulator for trying expiry-alerts without a DigiCert account')
  .option('--orders <count>', 'orders in the generated account', '1000')
  .option('--seed <number>', 'seed of the generated account (the same seed gives the same account)', '1')
  .option(
    '--today <yyyy-MM-dd>',
    'the date the account is built around and the simulator lives on',
    utcDate(Date.now()),
  )
  .option('--port <number>', 'port on 127.0.0.1 (0 picks a free one)', '8443')
  .option('--api-key <key>', 'the API key the simulator accepts (default: $DIGICERT_API_KEY)')
  .option('--sample', 'serve the small hand-made demo account instead of a generated one')
  .option('--no-rate-limits', "do not enforce DigiCert's rate limits (100 per 5 s, 1000 per 3 min)");

async function main(): Promise<void> {
  const raw = program.parse().opts<RawOptions>();
  const apiKey = raw.apiKey ?? process.env.DIGICERT_API_KEY ?? '';
  if (apiKey === '') throw new ConfigError('--api-key', '', 'is required (or set DIGICERT_API_KEY)');
  const todayDay = toEpochDay(raw.today, '--today');
  const port = parseWholeNumber(raw.port, '--port', { min: 0, max: 65_535 });
  const account: SimAccount = raw.sample
    ? sampleAccount(raw.today)
    : generateAccount({
        orders: parseWholeNumber(raw.orders, '--orders', { min: 0, max: 1_000_000 }),
        seed: parseWholeNumber(raw.seed, '--seed', { min: 0, max: 4_294_967_295 }),
        today: raw.today,
      });
  const clockShift = (todayDay - Math.floor(Date.now() / DAY_MS)) * DAY_MS;
  const simulator = await startSimulator({
    account,
    apiKey,
    port,
    rateLimits: raw.rateLimits ? undefined : false,
    now: () => Date.now() + clockShift,
  });

  const described = raw.sample ? 'the sample account' : `${account.size} orders (seed ${raw.seed})`;
  console.log(
    `CertCentral simulator: ${described} on ${raw.today}, rate limits ${raw.rateLimits ? 'on' : 'off'}`,
  );
  console.log(`  ${simulator.url}`);
  console.log(
    `Try: DIGICERT_BASE_URL=${simulator.url} DIGICERT_API_KEY=<the --api-key value> ` +
      `npx expiry-alerts scan --now ${raw.today}T06:00:00Z`,
  );
  console.log('Ctrl-C to stop.');

  const stop = (): void => {
    void simulator.close().then(() => console.log(`\nStopped after ${simulator.calls.total} requests.`));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof SimulatorInputError) {
    console.error(`certcentral-sim: ${error.message}`);
    process.exitCode = 2;
    return;
  }
  if (error instanceof Error && 'code' in error && error.code === 'EADDRINUSE') {
    console.error(
      `certcentral-sim: port ${program.opts<RawOptions>().port} is in use; pick another with --port`,
    );
    process.exitCode = 1;
    return;
  }
  throw error;
});
