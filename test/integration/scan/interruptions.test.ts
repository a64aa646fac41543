/**
 * A local scan stopped part-way: by Ctrl-C or SIGTERM (in-process, with a signal source standing in for the
 * process), or by a crash that left claims and an open digest in the state (written here as a crashed scan
 * leaves them). The kill trials (`crash/kill-trials.test.ts`) do the same with real processes and SIGKILL.
 */
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { orderCertKey } from '../../../functions/core/candidates.ts';
import type { NotificationEvent } from '../../../functions/core/model.ts';
import type { ClaimRequest } from '../../../functions/core/ports.ts';
import { createDynamoClients } from '../../../functions/state/dynamo-clients.ts';
import { DynamoDigestLedger } from '../../../functions/state/dynamo-digest-ledger.ts';
import { DynamoStateStore } from '../../../functions/state/dynamo-state-store.ts';
import { startEmbeddedDynamoDB } from '../../../functions/state/embedded-dynamodb.ts';
import { ensureDigestTable, ensureStateTable } from '../../../functions/state/state-table.ts';
import type { SimAccount } from '../../certcentral-sim/account.ts';
import { generateAccount } from '../../certcentral-sim/generate.ts';
import type { Simulator } from '../../certcentral-sim/server.ts';
import { certOf, crossingsOn, expectedAlerts } from '../../support/expected-alerts.ts';
import { reachedOn } from '../../support/kill-trials.ts';
import { ScanTarget, scanInstant } from '../../support/scan-command.ts';
import { useScanFixture } from '../../support/scan-fixture.ts';

const TODAY = '2026-11-23';
const SCANNED_AT = scanInstant(TODAY);
/** 48 alerts on TODAY: a flood (more than the default digest threshold of 20). */
const FLOOD = { seed: 5, orders: 200, today: TODAY };
const INTERRUPTED =
  /interrupted \(SIGINT\): (\d+) of (\d+) candidates done; the rest are left for the next scan/;

const { freshState, simulate } = useScanFixture();

let stateDir: string;
beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'expiry-alerts-interrupted-'));
});
afterEach(async () => {
  await rm(stateDir, { recursive: true, force: true });
});

/** A signal source for the command, and a fetch that raises `signal` when the Nth matching request goes out. */
function signalAfter(count: number, matching: RegExp, signal: 'SIGINT' | 'SIGTERM' = 'SIGINT') {
  const signals = new EventEmitter();
  let seen = 0;
  const fetchRaising: typeof fetch = async (input, init) => {
    if (matching.test(String(input))) {
      seen += 1;
      if (seen === count) signals.emit(signal);
    }
    return fetch(input, init);
  };
  return { signals, fetch: fetchRaising };
}

/** Each certificate of the account due today, with how many times people got it over `stdouts`. */
function timesReached(account: SimAccount, stdouts: string[], mode: 'text' | 'json'): Map<string, number> {
  const times = new Map([...expectedAlerts(account, TODAY).keys()].map((cert) => [cert, 0]));
  for (const stdout of stdouts) {
    for (const { cert } of reachedOn(stdout, mode)) times.set(cert, (times.get(cert) ?? 0) + 1);
  }
  return times;
}

const onceEach = (times: Map<string, number>) => [...times.values()].every((count) => count === 1);

describe('SIGINT (Ctrl-C) during a scan', () => {
  it('in the alert stage: finishes what is in flight, sends the digest of what was sent, unlocks, exits 130; the next scan sends the rest', async () => {
    const account = generateAccount(FLOOD);
    const target = new ScanTarget(await simulate(account), ['--state-dir', stateDir]);
    const { signals, fetch } = signalAfter(12, /\/order\/certificate\/\d+$/);

    const interrupted = await target.scanText(TODAY, [], { fetch, process: { signals } });
    const lockAfterInterrupt = existsSync(join(stateDir, 'scan.lock'));
    const rest = await target.scanText(TODAY);

    expect(interrupted.exitCode).toBe(130);
    expect(interrupted.stderr).toContain('expiry-alerts: SIGINT: stopping: no new alerts are started');
    const [, done, total] = INTERRUPTED.exec(interrupted.stderr) ?? [];
    expect(Number(done)).toBeGreaterThan(0); // requests in flight at the signal are dropped: nothing was claimed for them
    expect(Number(done)).toBeLessThan(Number(total));
    expect(interrupted.stdout).toMatch(/^Certificate expiry digest: \d+ alerts/);
    expect(lockAfterInterrupt).toBe(false);
    expect(rest.exitCode).toBe(0);
    expect(rest.stderr).not.toContain('stopped');
    expect(onceEach(timesReached(account, [interrupted.stdout, rest.stdout], 'text'))).toBe(true);
  });

  it('while reading the report: sends nothing, says so, exits 130; the next scan sends everything', async () => {
    const account = generateAccount(FLOOD);
    const target = new ScanTarget(await simulate(account), ['--state-dir', stateDir, '--page-size', '20']);
    const { signals, fetch } = signalAfter(3, /\/report\/order/);

    const interrupted = await target.scan(TODAY, [], { fetch, process: { signals } });
    const next = await target.scan(TODAY);

    expect(interrupted.exitCode).toBe(130);
    expect(interrupted.events).toEqual([]);
    expect(interrupted.stderr).toContain(
      'expiry-alerts: interrupted (SIGINT) while reading the report: no alert of this scan was sent; the next scan starts over',
    );
    expect(existsSync(join(stateDir, 'scan.lock'))).toBe(false);
    expect(onceEach(timesReached(account, [next.stdout], 'json'))).toBe(true);
  });

  it('SIGTERM stops the same way, with exit 143', async () => {
    const account = generateAccount(FLOOD);
    const target = new ScanTarget(await simulate(account), ['--state-dir', stateDir]);
    const { signals, fetch } = signalAfter(5, /\/order\/certificate\/\d+$/, 'SIGTERM');

    const interrupted = await target.scan(TODAY, [], { fetch, process: { signals } });

    expect(interrupted.exitCode).toBe(143);
    expect(interrupted.stderr).toMatch(/interrupted \(SIGTERM\): \d+ of \d+ candidates done/);
  });

  it('a second signal exits at once', async () => {
    const account = generateAccount(FLOOD);
    const target = new ScanTarget(await simulate(account), ['--state-dir', stateDir]);
    const { signals, fetch } = signalAfter(5, /\/order\/certificate\/\d+$/);
    const exits: number[] = [];
    signals.once('SIGINT', () => signals.emit('SIGINT'));

    const run = await target.scan(TODAY, [], {
      fetch,
      process: { signals, exit: (code) => exits.push(code) },
    });

    expect(exits).toEqual([130]);
    expect(run.stderr).toContain(
      'expiry-alerts: SIGINT again: stopping now; the next scan resolves what was in flight',
    );
  });
});

/** The state and digest tables of a state directory, as the command opens them. */
async function withStateDir<T>(
  dir: string,
  use: (state: DynamoStateStore, digests: DynamoDigestLedger) => Promise<T>,
): Promise<T> {
  const embedded = await startEmbeddedDynamoDB({ dir });
  const { client, doc } = createDynamoClients({ endpoint: embedded.endpoint });
  try {
    await ensureStateTable(client, 'expiry-alerts-state');
    await ensureDigestTable(client, 'expiry-alerts-state-digest');
    return await use(
      new DynamoStateStore(doc, 'expiry-alerts-state'),
      new DynamoDigestLedger(doc, 'expiry-alerts-state-digest'),
    );
  } finally {
    client.destroy();
    await embedded.close();
  }
}

const certKeyOf = (event: NotificationEvent) =>
  event.duplicate ? `dup#${event.certificateId}` : orderCertKey(event.orderId);

const claimFor = (event: NotificationEvent): ClaimRequest => ({
  certKey: certKeyOf(event),
  orderId: event.orderId,
  kind: 'alert',
  level: event.type === 'certificate.expired' ? 'expired' : (event.threshold as number),
  validTill: event.validTill,
});

/** Every event the account's scan today sends, from a scan on a throw-away table. */
async function eventsOf(sim: Simulator): Promise<NotificationEvent[]> {
  return (await new ScanTarget(sim, freshState()).scan(TODAY)).events.filter(
    (event) => event.type !== 'certificate.renewed',
  );
}

describe('a scan that crashed while sending a flood', () => {
  it('is resolved by the next run: its digest goes out listing what it marked sent, its claims are sent again, each certificate once', async () => {
    const account = generateAccount(FLOOD);
    const sim = await simulate(account);
    const [marked1, marked2, claimedOnly] = (await eventsOf(sim)) as [
      NotificationEvent,
      NotificationEvent,
      NotificationEvent,
    ];
    // What the crashed run left: three alerts claimed and recorded in its open digest; two marked sent.
    await withStateDir(stateDir, async (state, digests) => {
      const crashedRun = `${SCANNED_AT}/crashed-run`;
      await digests.open(crashedRun, new Date());
      for (const event of [marked1, marked2, claimedOnly]) {
        const claim = await state.claim(claimFor(event), new Date());
        if (!claim) throw new Error('could not claim');
        await digests.record(crashedRun, [{ certKey: claim.certKey, event }]);
        if (event !== claimedOnly) await state.markSent(claim, new Date());
      }
    });

    const rerun = await new ScanTarget(sim, ['--state-dir', stateDir]).scanText(TODAY);

    expect(rerun.exitCode).toBe(0);
    const [crashedDigest, rerunDigest] = rerun.stdout.split(/^(?=Certificate expiry digest)/m);
    expect(crashedDigest).toMatch(/^Certificate expiry digest: 2 alerts/);
    expect(
      reachedOn(crashedDigest ?? '', 'text')
        .map((seen) => seen.cert)
        .sort(),
    ).toEqual([marked1, marked2].map(certOf).sort());
    expect(rerunDigest).toMatch(
      `Certificate expiry digest: ${crossingsOn(account, TODAY).length - 2} alerts`,
    );
    expect(onceEach(timesReached(account, [rerun.stdout], 'text'))).toBe(true);
    expect(rerun.stderr).toContain(
      'warning: 1 alert claimed by a scan that stopped before recording it as sent: this scan sends it again',
    );
    expect(rerun.stderr).toContain('recovered   1 alert(s) claimed by a scan that stopped were sent again');
    expect(rerun.stderr).toContain(
      `recovered   the digest of the scan at ${SCANNED_AT}, which stopped before recording it as sent: 2 alert(s)`,
    );
  });
});

describe('claims on a DynamoDB endpoint other scans may share', () => {
  it('are left to their scan for the lease, counted on the wall clock whatever --now says, then sent', async () => {
    const account = generateAccount({ seed: 3, orders: 60, today: TODAY });
    const sim = await simulate(account);
    const [event] = (await eventsOf(sim)) as [NotificationEvent];
    const stateFlags = freshState();
    const [, endpoint = '', , table = ''] = stateFlags;
    const { client, doc } = createDynamoClients({ endpoint });
    const claimedAt = new Date('2031-05-01T10:00:00Z'); // the wall clock, years after --now
    try {
      await ensureStateTable(client, table);
      await new DynamoStateStore(doc, table).claim(claimFor(event), claimedAt);
    } finally {
      client.destroy();
    }
    const target = new ScanTarget(sim, stateFlags);
    const at = (minutes: number) => ({
      process: { wallClock: () => new Date(claimedAt.getTime() + minutes * 60_000) },
    });

    const during = await target.scan(TODAY, [], at(5));
    const after = await target.scan(TODAY, [], at(16));

    expect(during.events.map(certKeyOf)).not.toContain(certKeyOf(event));
    expect(during.stderr).toContain(
      'warning: 1 alert claimed by another scan that is running or stopped less than 15 minutes ago: left to it; if it stopped, a scan after 2031-05-01T10:15:00.000Z sends it',
    );
    expect(after.events.map(certKeyOf)).toEqual([certKeyOf(event)]);
    expect(after.stderr).toContain('1 alert claimed by a scan that stopped');
  });
});
