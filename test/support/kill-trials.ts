/**
 * Kill trials: the real `expiry-alerts scan` as a child process in its own process group, against the
 * CertCentral simulator and a state directory, killed (SIGKILL) or interrupted (SIGINT, as Ctrl-C sends it to
 * the foreground group) as the simulator receives its Nth request, then run again to completion. Every
 * crossing the account holds on the day is then counted from what reached people over both runs (stdout:
 * alert lines and digest listings in text mode, events with `--json`):
 *
 * - lost: never reached anyone, and the state says it was announced, so no later scan sends it;
 * - withheld: never reached anyone, and not recorded as announced: the rerun held it back;
 * - doubled: reached people twice or more.
 *
 * The expected crossings come from `expected-alerts.ts`, an independent reading of the rules.
 *
 * The children run the command bundled by esbuild (`buildTrialCli`, the same code as `bin/expiry-alerts.js`, which
 * runs it through tsx): it starts in a fraction of the time, which keeps the trials short.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NotificationEvent } from '../../functions/core/model.ts';
import { createDynamoClients } from '../../functions/state/dynamo-clients.ts';
import { DynamoStateStore } from '../../functions/state/dynamo-state-store.ts';
import { startEmbeddedDynamoDB } from '../../functions/state/embedded-dynamodb.ts';
import { buildCli } from '../../scripts/build-cli.ts';
import type { SimAccount } from '../certcentral-sim/account.ts';
import { generateAccount } from '../certcentral-sim/generate.ts';
import { startSimulator } from '../certcentral-sim/server.ts';
import { type ExpectedAlert, expectedAlerts } from './expected-alerts.ts';

const API_KEY = 'kill-trial-key-5c1e0a';
const STATE_TABLE = 'expiry-alerts-state';
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export type TrialMode = 'text' | 'json';
export type TrialSignal = 'SIGKILL' | 'SIGINT';

export interface TrialPlan {
  mode: TrialMode;
  signal: TrialSignal;
  /** The signal goes out as the simulator receives this request (1-based) of the first run… */
  afterRequests?: number;
  /** …or as soon as the first run's stdout holds this text (`Certificate expiry digest`: around the digest). */
  afterStdout?: string;
}

export interface ChildRun {
  exitCode: number | null;
  /** The signal that ended the process, when one did (SIGKILL). */
  endedBy: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface TrialResult {
  plan: TrialPlan;
  /** Requests the simulator saw from the first run; less than `afterRequests` when it finished first. */
  firstRunRequests: number;
  signalled: boolean;
  first: ChildRun;
  rerun: ChildRun;
  /** `scan.lock` was still there after the first run ended. */
  lockLeft: boolean;
  expected: string[];
  lost: string[];
  withheld: string[];
  /** Each crossing that reached people more than once, once per extra delivery. */
  doubled: string[];
  /** Deliveries of crossings the account does not hold (or with the wrong day count). */
  unexpected: string[];
  /**
   * The first run printed its digest whole and the rerun printed it again (the kill fell between printing it
   * and recording it as sent): the one send in flight then was the digest, and its alerts are doubled.
   */
  digestReprinted: boolean;
  /** Doubled crossings that were not in a reprinted digest: sends in flight at the kill. */
  doubledInFlight: string[];
}

const TRIAL_DAY = '2026-11-23';

/**
 * The trials' account: 100 orders with 31 alerts on the day (a flood: more than the digest threshold of 20),
 * duplicates (2 of the alerts) and subaccount orders (9), read in report pages of 20.
 */
export const TRIAL_ACCOUNT: Omit<TrialSetup, 'cli'> = {
  account: generateAccount({ seed: 2, orders: 100, today: TRIAL_DAY, duplicates: 0.1, subaccounts: 0.06 }),
  day: TRIAL_DAY,
  flags: ['--page-size', '20'],
};

export interface BuiltCli {
  path: string;
  dispose(): Promise<void>;
}

/**
 * Bundles the command (`functions/cli-process.ts`, as `bin/expiry-alerts.js` runs it) inside node_modules, where the
 * packages left external (dynalite's native storage) resolve.
 */
export async function buildTrialCli(): Promise<BuiltCli> {
  const cache = join(ROOT, 'node_modules', '.cache');
  await mkdir(cache, { recursive: true });
  const dir = await mkdtemp(join(cache, 'expiry-alerts-trials-'));
  const { entry: path } = await buildCli(ROOT, dir);
  return { path, dispose: () => rm(dir, { recursive: true, force: true }) };
}

export interface TrialSetup {
  cli: BuiltCli;
  account: SimAccount;
  /** `yyyy-MM-dd`: both runs scan as of 06:00 UTC that day. */
  day: string;
  /** Extra flags for both runs. */
  flags?: readonly string[];
}

export async function runTrial(setup: TrialSetup, plan: TrialPlan): Promise<TrialResult> {
  const stateDir = await mkdtemp(join(tmpdir(), 'expiry-alerts-trial-'));
  let child: ChildProcess | null = null;
  let armed = true;
  let signalled = false;
  const fire = () => {
    if (!armed || child?.pid === undefined) return;
    armed = false;
    signalled = true;
    process.kill(-child.pid, plan.signal); // the process group, as a terminal sends Ctrl-C
  };
  const simulator = await startSimulator({
    account: setup.account,
    apiKey: API_KEY,
    rateLimits: false,
    now: () => Date.parse(`${setup.day}T06:00:00Z`),
    onRequest: (total) => {
      if (total === plan.afterRequests) fire();
    },
  });
  try {
    const args = [
      'scan',
      '--base-url',
      simulator.url,
      '--now',
      `${setup.day}T06:00:00Z`,
      '--state-dir',
      stateDir,
      ...(plan.mode === 'json' ? ['--json'] : []),
      ...(setup.flags ?? []),
    ];
    const first = await runChild(setup.cli, args, (spawned) => {
      child = spawned;
      const { afterStdout } = plan;
      if (afterStdout === undefined) return;
      let seen = '';
      spawned.stdout?.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        if (seen.includes(afterStdout)) fire();
      });
    });
    armed = false;
    const firstRunRequests = simulator.calls.total;
    const lockLeft = existsSync(join(stateDir, 'scan.lock'));
    const rerun = await runChild(setup.cli, args);
    const counted = await countDeliveries(setup, stateDir, plan.mode, [first.stdout, rerun.stdout]);
    const digestReprinted =
      plan.mode === 'text' &&
      completeDigest(first.stdout) !== null &&
      rerun.stderr.includes('which stopped before recording it as sent');
    const inReprinted = new Set(
      digestReprinted ? (completeDigest(first.stdout) ?? []).map((seen) => seen.cert) : [],
    );
    const doubledInFlight = counted.doubled.filter(
      (crossing) => !inReprinted.has(crossing.split(' @ ')[0] ?? ''),
    );
    return {
      plan,
      firstRunRequests,
      signalled,
      first,
      rerun,
      lockLeft,
      ...counted,
      digestReprinted,
      doubledInFlight,
    };
  } finally {
    await simulator.close();
    await rm(stateDir, { recursive: true, force: true });
  }
}

function runChild(cli: BuiltCli, args: string[], onSpawn?: (child: ChildProcess) => void): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--no-deprecation', '--no-warnings', cli.path, ...args], {
      cwd: ROOT,
      detached: true, // its own process group, as a shell's foreground job
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH, DIGICERT_API_KEY: API_KEY },
    });
    onSpawn?.(child);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('error', reject);
    child.once('close', (exitCode, endedBy) => resolve({ exitCode, endedBy, stdout, stderr }));
  });
}

/** `order 100004 @ 7`: a certificate of the account and the level it is at on the day. */
const crossingOf = (alert: ExpectedAlert) => `${alert.cert} @ ${alert.level}`;

async function countDeliveries(
  setup: TrialSetup,
  stateDir: string,
  mode: TrialMode,
  outputs: string[],
): Promise<Pick<TrialResult, 'expected' | 'lost' | 'withheld' | 'doubled' | 'unexpected'>> {
  const expectedByCert = expectedAlerts(setup.account, setup.day);
  const delivered = new Map<string, number>();
  const unexpected: string[] = [];
  for (const output of outputs) {
    const seen = reachedOn(output, mode);
    for (const { cert, daysRemaining } of seen) {
      const alert = expectedByCert.get(cert);
      if (!alert || alert.daysRemaining !== daysRemaining) {
        unexpected.push(`${cert} (${daysRemaining} days)`);
        continue;
      }
      delivered.set(crossingOf(alert), (delivered.get(crossingOf(alert)) ?? 0) + 1);
    }
  }
  const announced = await announcedLevels(stateDir);
  const expected = [...expectedByCert.values()];
  const missing = expected.filter((alert) => !delivered.has(crossingOf(alert)));
  return {
    expected: expected.map(crossingOf).sort(),
    lost: missing.filter((alert) => announced.get(certKeyOf(alert)) === alert.level).map(crossingOf),
    withheld: missing.filter((alert) => announced.get(certKeyOf(alert)) !== alert.level).map(crossingOf),
    doubled: [...delivered].flatMap(([crossing, times]) => Array<string>(times - 1).fill(crossing)),
    unexpected,
  };
}

function certKeyOf(alert: ExpectedAlert): string {
  return alert.duplicate ? `dup#${alert.certificateId}` : `order#${alert.orderId}`;
}

/** The level each certificate is recorded as announced at, from the state directory after both runs. */
async function announcedLevels(stateDir: string): Promise<Map<string, number | 'expired' | null>> {
  const embedded = await startEmbeddedDynamoDB({ dir: stateDir });
  const { client, doc } = createDynamoClients({ endpoint: embedded.endpoint });
  try {
    const states = (await new DynamoStateStore(doc, STATE_TABLE).loadAll()).certificates;
    return new Map([...states].map(([certKey, state]) => [certKey, state.announced]));
  } finally {
    client.destroy();
    await embedded.close();
  }
}

/** What people (text) or machines (`--json`) got on stdout: one entry per alert line, event or digest line. */
export function reachedOn(stdout: string, mode: TrialMode): Seen[] {
  return mode === 'json' ? fromEvents(stdout) : fromText(stdout);
}

export interface Seen {
  /** `order 100004` or `certificate 500123`, as in `expected-alerts.ts`. */
  cert: string;
  daysRemaining: number;
}

/** Complete NDJSON lines: a line cut by the kill reached nobody. */
function fromEvents(stdout: string): Seen[] {
  return completeLines(stdout)
    .map((line) => JSON.parse(line) as NotificationEvent)
    .filter((event) => event.type !== 'certificate.renewed')
    .map((event) => ({
      cert: event.duplicate ? `certificate ${event.certificateId}` : `order ${event.orderId}`,
      daysRemaining: event.daysRemaining,
    }));
}

const PHRASE = String.raw`(expires in (\d+) days|expires tomorrow|expires today|expired yesterday|expired (\d+) days ago)`;
const REFERENCE = String.raw`order (\d+)(?:, certificate (\d+))?`;
/** `[WARNING]  example.com expires in 5 days (order 100004), valid till 2026-11-28`. */
const ALERT_LINE = new RegExp(
  String.raw`^\[(?:CRITICAL|WARNING|INFO)\]\s+.* ${PHRASE} \(${REFERENCE}\), valid till \S+$`,
);
/** `  - example.com: expires in 5 days, valid till 2026-11-28, order 100004, Web Platform`. */
const DIGEST_LINE = new RegExp(String.raw`^  - .*: ${PHRASE}, valid till \S+, ${REFERENCE}, `);

/** Alert lines and digest listings, for people (renewed notices left out). */
function fromText(stdout: string): Seen[] {
  const seen: Seen[] = [];
  for (const line of completeLines(stdout)) {
    const match = ALERT_LINE.exec(line) ?? DIGEST_LINE.exec(line);
    if (!match) continue;
    const [, phrase = '', inDays, agoDays, orderId, certificateId] = match;
    const days = inDays
      ? Number(inDays)
      : agoDays
        ? -Number(agoDays)
        : { 'expires tomorrow': 1, 'expires today': 0, 'expired yesterday': -1 }[phrase];
    seen.push({
      cert: certificateId ? `certificate ${certificateId}` : `order ${orderId}`,
      daysRemaining: days as number,
    });
  }
  return seen;
}

/** The alerts of the digest in `stdout`, when it was printed whole (its count matches its listing). */
function completeDigest(stdout: string): Seen[] | null {
  const start = stdout.indexOf('Certificate expiry digest: ');
  if (start === -1) return null;
  const digest = stdout.slice(start);
  const total = Number(/^Certificate expiry digest: (\d+) alerts/.exec(digest)?.[1]);
  const [block = '', ...after] = digest.split(/\n(?=\S)/);
  const listed = fromText(after.length > 0 ? `${block}\n` : block);
  return listed.length === total ? listed : null;
}

function completeLines(text: string): string[] {
  const lines = text.split('\n');
  lines.pop(); // after the last newline: empty, or a line the kill cut short
  return lines.filter((line) => line !== '');
}

/** Runs `plans`, `concurrency` at a time (each trial has its own simulator and state directory). */
export async function runTrials(
  setup: TrialSetup,
  plans: readonly TrialPlan[],
  concurrency = 1,
): Promise<TrialResult[]> {
  const results: TrialResult[] = new Array(plans.length);
  let next = 0;
  const worker = async () => {
    while (next < plans.length) {
      const index = next;
      next += 1;
      results[index] = await runTrial(setup, plans[index] as TrialPlan);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, plans.length) }, worker));
  return results;
}

/** Runs the command once to the end on a fresh state and counts the requests it makes: where kills can land. */
export async function requestsOfAFullRun(setup: TrialSetup, mode: TrialMode): Promise<number> {
  const result = await runTrial(setup, { mode, signal: 'SIGKILL', afterRequests: Number.POSITIVE_INFINITY });
  if (result.first.exitCode !== 0) throw new Error(`the scan failed:\n${result.first.stderr}`);
  return result.firstRunRequests;
}

/** The trials' figures, added up. */
export interface TrialTotals {
  trials: number;
  signalled: number;
  expected: number;
  lost: number;
  withheld: number;
  doubled: number;
  /** The most crossings doubled by one kill. */
  worstDoubled: number;
  /** Kills that fell between printing the digest and recording it as sent: the digest was printed again. */
  digestsReprinted: number;
  unexpected: number;
}

export function totals(results: readonly TrialResult[]): TrialTotals {
  return {
    trials: results.length,
    signalled: results.filter((result) => result.signalled).length,
    expected: results.reduce((sum, result) => sum + result.expected.length, 0),
    lost: results.reduce((sum, result) => sum + result.lost.length, 0),
    withheld: results.reduce((sum, result) => sum + result.withheld.length, 0),
    doubled: results.reduce((sum, result) => sum + result.doubled.length, 0),
    worstDoubled: Math.max(0, ...results.map((result) => result.doubled.length)),
    digestsReprinted: results.filter((result) => result.digestReprinted).length,
    unexpected: results.reduce((sum, result) => sum + result.unexpected.length, 0),
  };
}
