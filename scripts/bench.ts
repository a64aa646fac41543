/**
 * `npm run bench`: scans of simulated 10,000- and 100,000-order accounts against the CertCentral simulator
 * with DigiCert's rate limits enforced, and a fleet of alert workers sharing one API key. Prints tables; it
 * asserts nothing (numbers belong here, not in timed tests).
 *
 * Each scan runs in its own process (its peak RSS is the scan's alone) against the simulator and an in-memory
 * dynalite in this process. DigiCert's limits (100 per 5 s, 1000 per 3 min) are enforced by the simulator on
 * a compressed clock (`--time-scale`, windows divided by it) so that a first scan of 100,000 orders, which
 * needs tens of thousands of order lookups and so hours at the real limits, fits in minutes. The client is
 * given the same compressed windows; the worker fleet runs at the real scale, with a busy loop per core loading
 * the machine (a loaded CPU delays some processes' requests more than others', which is when their separate rate
 * limiters can add up to more than DigiCert allows).
 */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { build } from 'esbuild';
import { parseWholeNumber } from '../functions/core/config.ts';
import { SDK_NODE_NOTICE_VARIABLE } from '../functions/local/node-version.ts';
import { createDynamoClients } from '../functions/state/dynamo-clients.ts';
import { startEmbeddedDynamoDB } from '../functions/state/embedded-dynamodb.ts';
import { ensureStateTable } from '../functions/state/state-table.ts';
import { MAX_ALERT_WORKERS, PLANNED_SHARE, rateBudget } from '../infra/rate-budget.ts';
import { generateAccount } from '../test/certcentral-sim/generate.ts';
import { type Simulator, startSimulator } from '../test/certcentral-sim/server.ts';
import type { ScanJob, ScanJobResult, WorkerJob, WorkerJobResult } from './bench/protocol.ts';
import { NODE_BUNDLE } from './build-cli.ts';

const API_KEY = 'bench-key';
const DIGICERT = { per5s: 100, per3min: 1000 };
/** The client's allowance for network latency, kept at its real size whatever the time scale. */
const MARGIN_MS = 250;

// The figures, not the AWS SDK's notice about Node.js versions, on the terminal (this process and its children).
process.env[SDK_NODE_NOTICE_VARIABLE] ??= 'true';

const program = new Command('bench')
  .option('--sizes <list>', 'account sizes (orders)', '10000,100000')
  .option(
    '--time-scale <n>',
    "how much faster than real time DigiCert's rate windows run for the scans",
    '60',
  )
  .option('--seed <n>', 'account generator seed', '1')
  .option('--workers <n>', 'alert workers in the fleet run', '4')
  .option('--fleet-seconds <n>', 'how long the worker fleet runs at the real rate limits (0 skips it)', '40')
  .option('--fleet-only', 'run only the worker fleet (no account scans)')
  .option(
    '--cpu-load <n>',
    'busy loops loading the machine during the fleet run, one per core by default (0: none)',
    String(availableParallelism()),
  )
  .option(
    '--heap-mb <n>',
    "V8's old-space budget for each scan process (0: V8's default, sized from the machine's memory)",
    '160',
  )
  .parse();
const flags = program.opts<{
  sizes: string;
  timeScale: string;
  seed: string;
  workers: string;
  fleetSeconds: string;
  fleetOnly?: boolean;
  cpuLoad: string;
  heapMb: string;
}>();

const sizes = flags.sizes
  .split(',')
  .map((size) => parseWholeNumber(size, '--sizes', { min: 1, max: 1_000_000 }));
const timeScale = parseWholeNumber(flags.timeScale, '--time-scale', { min: 1, max: 1000 });
const seed = parseWholeNumber(flags.seed, '--seed', { min: 0, max: 2 ** 31 });
const workers = parseWholeNumber(flags.workers, '--workers', { min: 1, max: MAX_ALERT_WORKERS });
const fleetSeconds = parseWholeNumber(flags.fleetSeconds, '--fleet-seconds', {
  min: flags.fleetOnly ? 1 : 0,
  max: 600,
});
const cpuLoad = parseWholeNumber(flags.cpuLoad, '--cpu-load', { min: 0, max: 64 });
const heapMb = parseWholeNumber(flags.heapMb, '--heap-mb', { min: 0, max: 16_384 });

const today = new Date().toISOString().slice(0, 10);
const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

/** Where the children are bundled: inside the repository, so the few packages left external resolve. */
const BUNDLE_DIR = fileURLToPath(new URL('../node_modules/.cache/expiry-alerts-bench/', import.meta.url));

/**
 * The child processes run bundled by esbuild, as the Lambda functions do, not through tsx: a scan's peak RSS
 * is then the deployed code's, without a TypeScript loader's tens of megabytes.
 */
async function bundleChildren(): Promise<void> {
  await build({
    entryPoints: ['scan-child', 'worker-child'].map((name) =>
      fileURLToPath(new URL(`./bench/${name}.ts`, import.meta.url)),
    ),
    ...NODE_BUNDLE,
    outdir: BUNDLE_DIR,
    outExtension: { '.js': '.mjs' },
  });
}

function child<Job, Result>(script: string, job: Job): Promise<Result> {
  const process_: ChildProcess = fork(`${BUNDLE_DIR}${script}.mjs`, [], {
    // Not the parent's execArgv (tsx's loader): the child runs the bundle as the deployed code does.
    execArgv: heapMb > 0 ? [`--max-old-space-size=${heapMb}`] : [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  process_.send(job as object);
  return new Promise((resolve, reject) => {
    process_.once('message', (message) => {
      const reply = message as { ok?: boolean; result?: Result; error?: string };
      if (reply.ok === false) reject(new Error(reply.error));
      else resolve((reply.ok ? reply.result : message) as Result);
    });
    process_.once('error', reject);
    process_.once('exit', (code) => {
      if (code !== 0) reject(new Error(`${script} exited with ${code}`));
    });
  });
}

interface Row {
  label: string;
  result: ScanJobResult;
  calls: Simulator['calls'];
}

function delta(before: Simulator['calls'], after: Simulator['calls']): Simulator['calls'] {
  const out = { ...after };
  for (const key of Object.keys(after) as (keyof Simulator['calls'])[]) out[key] = after[key] - before[key];
  return out;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function benchSize(orders: number): Promise<void> {
  // Orders with duplicates, most of whose duplicates expire before the order (capped at 199 days).
  const account = generateAccount({ seed, orders, today, duplicates: 0.05, earlyDuplicates: 0.6 });
  const withDuplicates = account
    .orders()
    .filter((order) => order.status === 'issued' && order.duplicates.length > 0).length;
  const windows = [
    { limit: DIGICERT.per5s, windowMs: Math.round(5_000 / timeScale) },
    { limit: DIGICERT.per3min, windowMs: Math.round(180_000 / timeScale) },
  ];
  const simulator = await startSimulator({ account, apiKey: API_KEY, rateLimits: { windows } });
  const dynamo = await startEmbeddedDynamoDB();
  const table = 'bench-state';
  const { client } = createDynamoClients({ endpoint: dynamo.endpoint });
  await ensureStateTable(client, table);
  client.destroy();
  const job = (mode: ScanJob['mode'], now: string): ScanJob => ({
    mode,
    baseUrl: simulator.url,
    apiKey: API_KEY,
    dynamodbEndpoint: dynamo.endpoint,
    table,
    now,
    limits: windows,
    marginMs: MARGIN_MS,
    digestThreshold: 20,
  });
  const run = async (label: string, mode: ScanJob['mode'], now: string): Promise<Row> => {
    const before = { ...simulator.calls };
    const result = await child<ScanJob, ScanJobResult>('scan-child', job(mode, now));
    process.stderr.write(`  ${orders} orders: ${label} done in ${seconds(result.wallMs)}\n`);
    return { label, result, calls: delta(before, simulator.calls) };
  };
  try {
    const floor = await run('floor: download + parse the report', 'floor', today);
    // Before the first scan, so that its state is empty and it queues the most it ever will.
    const scanStage = await run(
      "scan stage alone (the scan Lambda's work), empty state",
      'scan-stage',
      today,
    );
    const rows = [
      await run('first scan, empty state', 'scan', today),
      await run('second scan, same day', 'scan', today),
      await run('next day', 'scan', tomorrow),
    ];
    printSize(orders, floor, rows, withDuplicates);
    printScanStage(scanStage, floor);
  } finally {
    await simulator.close();
    await dynamo.close();
  }
}

function printSize(orders: number, floor: Row, rows: Row[], withDuplicates: number): void {
  const header = [
    'scan',
    'wall',
    '× floor',
    'report',
    'order',
    'subacct',
    'dups',
    'listings (first/changed/refresh)',
    'lower bound',
    '× bound',
    '429s',
    'ddb reads',
    'ddb writes',
    'candidates',
    'alerts',
    'digest',
    'peak RSS',
    'at real limits ≥',
  ];
  const table = rows.map(({ label, result, calls }) => {
    const summary = result.summary;
    if (!summary) throw new Error('scan returned no summary');
    const listings = summary.scan.duplicatesListings;
    // Report pages, one detail per enriched candidate (two for a subaccount order; a listing that finds a
    // duplicate due needs the detail too), a duplicates listing per alert candidate with duplicates, and the
    // listings the scan asked for (first seen, row changed, refresh turn).
    const bound =
      calls.report +
      summary.alerts.enriched +
      summary.scan.alertCandidatesWithDuplicates +
      summary.alerts.viaSubaccount +
      listings.first +
      listings.changed +
      listings.refresh;
    const total = calls.report + calls.order + calls.subaccountOrder + calls.duplicates;
    return [
      label,
      seconds(result.wallMs),
      (result.wallMs / floor.result.wallMs).toFixed(2),
      String(calls.report),
      String(calls.order),
      String(calls.subaccountOrder),
      String(calls.duplicates),
      `${listings.first}/${listings.changed}/${listings.refresh}`,
      String(bound),
      (total / bound).toFixed(3),
      String(calls.throttled),
      String(summary.dynamo.reads),
      String(summary.dynamo.writes),
      String(summary.scan.alertCandidates + summary.scan.renewedCandidates),
      String(result.events),
      summary.digestTotal === null ? 'none' : `1: ${summary.digestTotal} alerts`,
      `${result.maxRssMb.toFixed(0)} MB`,
      `${((total * 180) / DIGICERT.per3min / 60).toFixed(1)} min`,
    ];
  });
  process.stdout.write(
    `\n${orders.toLocaleString('en')} orders (${withDuplicates.toLocaleString('en')} issued with duplicates: a day's refresh share is at most ${Math.ceil(withDuplicates / 7)}) — floor (download + parse ${floor.calls.report} report pages): ${seconds(floor.result.wallMs)}, peak RSS ${floor.result.maxRssMb.toFixed(0)} MB\n`,
  );
  printTable([header, ...table]);
}

function printScanStage({ result, calls }: Row, floor: Row): void {
  const megabytes = ((result.queuedBodyBytes ?? 0) / 1_048_576).toFixed(1);
  process.stdout.write(
    `scan stage alone, as the scan Lambda runs it, on empty state: ${seconds(result.wallMs)} (${(result.wallMs / floor.result.wallMs).toFixed(2)} × floor), ${calls.total} CertCentral calls, ${result.events} candidates to queue (${megabytes} MB of SQS bodies, sending not included), peak RSS ${result.maxRssMb.toFixed(0)} MB\n`,
  );
}

function printTable(rows: string[][]): void {
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  for (const [index, row] of rows.entries()) {
    process.stdout.write(`${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ')}\n`);
    if (index === 0) process.stdout.write(`${widths.map((width) => '-'.repeat(width)).join('  ')}\n`);
  }
}

/**
 * `count` processes that each spin one core for `ms`, then end by themselves (they are also ended when the fleet
 * run is done, by their own process ids).
 */
function startBusyLoops(count: number, ms: number): { stop: () => void } {
  const loops = Array.from({ length: count }, () =>
    spawn(process.execPath, ['-e', `const end = Date.now() + ${ms}; while (Date.now() < end) {}`], {
      stdio: 'ignore',
    }),
  );
  return {
    stop: () => {
      for (const loop of loops) if (loop.exitCode === null) loop.kill();
    },
  };
}

async function benchFleet(): Promise<void> {
  const account = generateAccount({ seed, orders: 2_000, today });
  const simulator = await startSimulator({
    account,
    apiKey: API_KEY,
    rateLimits: {
      windows: [
        { limit: DIGICERT.per5s, windowMs: 5_000 },
        { limit: DIGICERT.per3min, windowMs: 180_000 },
      ],
    },
  });
  const budget = rateBudget(workers);
  const orderIds = account.orders().map((order) => order.id);
  try {
    const base = { baseUrl: simulator.url, apiKey: API_KEY, seconds: fleetSeconds, orderIds };
    const jobs: WorkerJob[] = [
      { ...base, role: 'scan', ...budget.scan },
      { ...base, role: 'summary', ...budget.summary },
      ...Array.from(
        { length: workers },
        (): WorkerJob => ({ ...base, role: 'alert-worker', ...budget.alertWorker }),
      ),
    ];
    const load = startBusyLoops(cpuLoad, (fleetSeconds + 30) * 1000);
    const started = performance.now();
    let results: WorkerJobResult[];
    try {
      results = await Promise.all(jobs.map((job) => child<WorkerJob, WorkerJobResult>('worker-child', job)));
    } finally {
      load.stop();
    }
    const elapsed = performance.now() - started;
    const calls = results.reduce((sum, result) => sum + result.calls, 0);
    const planned = `${budget.scan.per5s + workers * budget.alertWorker.per5s}/5 s and ${budget.scan.per3min + workers * budget.alertWorker.per3min}/3 min planned (${PLANNED_SHARE * 100}%)`;
    process.stdout.write(
      `\nWorker fleet at DigiCert's real limits (100 per 5 s, 1000 per 3 min): the scan (${budget.scan.per5s}/5 s, ${budget.scan.per3min}/3 min), the weekly summary (${budget.summary.per5s}/5 s, ${budget.summary.per3min}/3 min) and ${workers} alert workers (${budget.alertWorker.per5s}/5 s, ${budget.alertWorker.per3min}/3 min each), ${planned}, separate processes, one API key, ${seconds(elapsed)}, ${cpuLoad} busy loops on ${availableParallelism()} cores (load average ${loadavg()[0]?.toFixed(1)})\n`,
    );
    printTable([
      ['process', 'calls', '429s received'],
      ...results.map((result, index) => [
        index <= 1 ? result.role : `alert worker ${index - 1}`,
        String(result.calls),
        String(result.throttled),
      ]),
      ['all (simulator count)', String(simulator.calls.total), String(simulator.calls.throttled)],
    ]);
    process.stdout.write(`  ${(calls / (elapsed / 5000)).toFixed(1)} calls per 5 s on average\n`);
    process.stdout.write(`  429s: ${simulator.calls.throttled}\n`);
  } finally {
    await simulator.close();
  }
}

process.stdout.write(
  `expiry-alerts benchmark — ${today}, seed ${seed}, DigiCert's limits enforced at time scale 1:${timeScale} for the scans\n` +
    `scans run bundled by esbuild (as deployed), each in its own process, ${heapMb > 0 ? `V8 old space capped at ${heapMb} MB` : "V8's default heap sizing"}\n`,
);
await bundleChildren();
if (!flags.fleetOnly) for (const size of sizes) await benchSize(size);
if (fleetSeconds > 0) await benchFleet();
