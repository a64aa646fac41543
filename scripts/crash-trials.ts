/**
 * `npm run crash-trials`: kill trials at many more points than the test suite runs, with the figures printed
 * (the README quotes them). The real command, bundled, runs as a child process in its own process group
 * against the CertCentral simulator and a state directory; it is killed (SIGKILL) or interrupted (SIGINT) as
 * the simulator receives its Nth request, for N across the whole run (or as its digest is printed), then run
 * again to completion. Per crossing due that day: lost, withheld, doubled (`test/support/kill-trials.ts`).
 * It asserts nothing; `test/integration/crash/kill-trials.test.ts` does, on fewer points.
 */
import { availableParallelism } from 'node:os';
import { Command } from 'commander';
import { parseWholeNumber } from '../functions/core/config.ts';
import { SDK_NODE_NOTICE_VARIABLE } from '../functions/local/node-version.ts';
import { ALERT_STAGE_CONCURRENCY } from '../functions/local/run-local-scan.ts';
import { generateAccount } from '../test/certcentral-sim/generate.ts';
import {
  buildTrialCli,
  requestsOfAFullRun,
  runTrials,
  TRIAL_ACCOUNT,
  type TrialPlan,
  type TrialResult,
  totals,
} from '../test/support/kill-trials.ts';

// The figures, not the AWS SDK's notice about Node.js versions, on the terminal.
process.env[SDK_NODE_NOTICE_VARIABLE] ??= 'true';

const program = new Command('crash-trials')
  .option('--every <n>', 'a SIGKILL trial every n requests of a full run, in each output mode', '2')
  .option('--interrupt-every <n>', 'a SIGINT trial every n requests, in each output mode', '4')
  .option('--digest-trials <n>', 'SIGKILL trials as the digest is printed', '5')
  .option('--orders <n>', 'orders in the account (default: the test suite’s account)')
  .option('--seed <n>', 'seed of the account, with --orders', '2')
  .option('--concurrency <n>', 'trials at once', String(Math.min(2, availableParallelism())))
  .parse();
const flags = program.opts<{
  every: string;
  interruptEvery: string;
  digestTrials: string;
  orders?: string;
  seed: string;
  concurrency: string;
}>();
const every = parseWholeNumber(flags.every, '--every', { min: 1, max: 1000 });
const interruptEvery = parseWholeNumber(flags.interruptEvery, '--interrupt-every', { min: 1, max: 1000 });
const digestTrials = parseWholeNumber(flags.digestTrials, '--digest-trials', { min: 0, max: 100 });
const concurrency = parseWholeNumber(flags.concurrency, '--concurrency', { min: 1, max: 16 });
const account =
  flags.orders === undefined
    ? TRIAL_ACCOUNT
    : {
        ...TRIAL_ACCOUNT,
        account: generateAccount({
          seed: parseWholeNumber(flags.seed, '--seed', { min: 0, max: 2 ** 31 }),
          orders: parseWholeNumber(flags.orders, '--orders', { min: 1, max: 100_000 }),
          today: TRIAL_ACCOUNT.day,
          duplicates: 0.1,
          subaccounts: 0.06,
        }),
      };

const cli = await buildTrialCli();
try {
  const setup = { cli, ...account };
  const started = performance.now();
  const requests = await requestsOfAFullRun(setup, 'text');
  const points = (step: number) => Array.from({ length: Math.ceil(requests / step) }, (_, i) => 1 + i * step);
  const groups: { label: string; plans: TrialPlan[] }[] = [];
  for (const mode of ['text', 'json'] as const) {
    groups.push({
      label: `SIGKILL, ${mode} output, at request N`,
      plans: points(every).map((afterRequests) => ({ mode, signal: 'SIGKILL', afterRequests })),
    });
  }
  groups.push({
    label: 'SIGKILL, text output, as the digest is printed',
    plans: Array.from({ length: digestTrials }, () => ({
      mode: 'text',
      signal: 'SIGKILL',
      afterStdout: 'Certificate expiry digest',
    })),
  });
  for (const mode of ['text', 'json'] as const) {
    groups.push({
      label: `SIGINT, ${mode} output, at request N`,
      plans: points(interruptEvery).map((afterRequests) => ({ mode, signal: 'SIGINT', afterRequests })),
    });
  }
  process.stdout.write(
    `expiry-alerts crash trials: ${account.account.size} orders, ${requests} CertCentral requests in a full run, ` +
      `alert-stage concurrency ${ALERT_STAGE_CONCURRENCY}, ${concurrency} trial(s) at once\n\n`,
  );
  const rows: string[][] = [
    [
      'trials',
      'signalled',
      'crossings due',
      'lost',
      'withheld',
      'doubled',
      'worst kill',
      'digest reprinted',
      'other',
    ],
  ];
  const labels: string[] = ['kind'];
  const everything: TrialResult[] = [];
  for (const group of groups) {
    if (group.plans.length === 0) continue;
    const results = await runTrials(setup, group.plans, concurrency);
    everything.push(...results);
    labels.push(group.label);
    rows.push(row(results));
    const odd = results.filter(
      (result) =>
        result.rerun.exitCode !== 0 ||
        (result.plan.signal === 'SIGINT' &&
          result.signalled &&
          (result.first.exitCode !== 130 || result.lockLeft)),
    );
    for (const result of odd) {
      process.stderr.write(
        `  unexpected exit: ${JSON.stringify(result.plan)} first ${result.first.exitCode ?? result.first.endedBy}, rerun ${result.rerun.exitCode}, lock left ${result.lockLeft}\n`,
      );
    }
  }
  labels.push('all');
  rows.push(row(everything));
  printTable(labels, rows);
  process.stdout.write(`\n${((performance.now() - started) / 1000).toFixed(0)} s\n`);
} finally {
  await cli.dispose();
}

function row(results: TrialResult[]): string[] {
  const sum = totals(results);
  return [
    String(sum.trials),
    String(sum.signalled),
    String(sum.expected),
    String(sum.lost),
    String(sum.withheld),
    String(sum.doubled),
    String(sum.worstDoubled),
    String(sum.digestsReprinted),
    String(sum.unexpected),
  ];
}

function printTable(labels: string[], rows: string[][]): void {
  const table = rows.map((cells, index) => [labels[index] ?? '', ...cells]);
  const widths =
    table[0]?.map((_, column) => Math.max(...table.map((cells) => (cells[column] ?? '').length))) ?? [];
  for (const [index, cells] of table.entries()) {
    process.stdout.write(
      `${cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ')}\n`,
    );
    if (index === 0) process.stdout.write(`${widths.map((width) => '-'.repeat(width)).join('  ')}\n`);
  }
}
