/**
 * Mutes over the real command: the CertCentral simulator (real HTTP) and dynalite. A muted certificate gets nothing
 * across several scans; when the mute ends, the tightest level that applies is announced once.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SimAccount } from '../../certcentral-sim/account.ts';
import { addDays } from '../../certcentral-sim/dates.ts';
import { crossingOf } from '../../support/expected-alerts.ts';
import { runCommand, ScanTarget, scanInstant } from '../../support/scan-command.ts';
import { useScanFixture } from '../../support/scan-fixture.ts';

const TODAY = '2026-11-23';
const day = (offset: number): string => addDays(TODAY, offset);

const { freshState, simulate } = useScanFixture();

/** A scan target and the `mute`, `unmute` and `mutes` commands on the same state. */
async function setUp(account: SimAccount, state: string[] = freshState()) {
  const sim = await simulate(account);
  const target = new ScanTarget(sim, state);
  const command = (name: string, on: string, flags: string[]) =>
    runCommand([name, '--now', scanInstant(on), ...state, ...flags]);
  return {
    target,
    mute: (on: string, flags: string[]) =>
      command('mute', on, ['--base-url', sim.url, '--by', 'ana', ...flags]),
    unmute: (on: string, flags: string[]) => command('unmute', on, ['--by', 'bo', ...flags]),
    mutes: (on: string, flags: string[] = []) => command('mutes', on, flags),
  };
}

describe('mute', () => {
  it('silences an order across several scans, then announces the tightest level once', async () => {
    const account = new SimAccount([], TODAY);
    const muted = account.addOrder({ validTill: day(20), commonName: 'retiring.example.com' });
    const other = account.addOrder({ validTill: day(20), commonName: 'kept.example.com' });
    const { target, mute } = await setUp(account);
    expect((await target.scan(TODAY)).events.map(crossingOf)).toEqual([
      `order ${muted.id} @ 30`,
      `order ${other.id} @ 30`,
    ]);

    const set = await mute(TODAY, [
      '--order',
      String(muted.id),
      '--until',
      day(14),
      '--reason',
      'decommissioned',
    ]);
    expect(set).toMatchObject({ exitCode: 0, stderr: '' });
    expect(set.stdout).toBe(
      `muted order ${muted.id} (its certificate and its duplicates) until ${day(14)}: decommissioned (by ana)\n`,
    );

    const during: string[] = [];
    for (const offset of [1, 6, 9, 13]) {
      const run = await target.scan(day(offset));
      expect(run.exitCode).toBe(0);
      expect(run.stderr).toContain('muted       1 certificate(s)');
      during.push(...run.events.map(crossingOf));
    }
    expect(during).toEqual([`order ${other.id} @ 14`, `order ${other.id} @ 7`]);

    const after = await target.scan(day(14));
    expect(after.events.map(crossingOf)).toEqual([`order ${muted.id} @ 7`]);
    expect(after.stderr).not.toContain('muted ');
    expect((await target.scan(day(15))).events).toEqual([]);
  });

  it('silences the duplicates of a muted order; a mute of one duplicate leaves the rest', async () => {
    const account = new SimAccount([], TODAY);
    const order = account.addOrder({ validTill: day(200), commonName: 'multi.example.com' });
    const early = account.addDuplicate(order.id, {
      status: 'issued',
      validTill: day(5),
      validFrom: day(-194),
    });
    const late = account.addDuplicate(order.id, {
      status: 'issued',
      validTill: day(6),
      validFrom: day(-193),
    });
    const whole = await setUp(account);

    // The state does not know the order yet: CertCentral is asked.
    expect(
      (await whole.mute(TODAY, ['--order', String(order.id), '--until', day(30), '--reason', 'moving']))
        .exitCode,
    ).toBe(0);
    expect(whole.target.sim.calls.order).toBe(1);
    // The first scan lists the duplicates, finds two due and sends neither; the next one counts all three muted.
    const first = await whole.target.scan(TODAY);
    expect(first.events).toEqual([]);
    expect(first.stderr).toContain('not sent    2 muted');
    expect((await whole.target.scan(TODAY)).stderr).toContain('muted       3 certificate(s)');

    const one = await setUp(account);
    await one.target.scan(TODAY, ['--dry-run']);
    const byCertificate = await one.mute(TODAY, [
      '--order',
      String(order.id),
      '--certificate',
      String(early.id),
      '--until',
      day(30),
      '--reason',
      'test host',
    ]);
    expect(byCertificate.stdout).toContain(`muted certificate ${early.id} of order ${order.id}`);
    expect((await one.target.scan(TODAY)).events.map(crossingOf)).toEqual([`certificate ${late.id} @ 7`]);
  });

  it('unmute ends the mute: the next scan announces, and mutes shows who ended it', async () => {
    const account = new SimAccount([], TODAY);
    const order = account.addOrder({ validTill: day(10) });
    const { target, mute, unmute, mutes } = await setUp(account);
    await target.scan(TODAY, ['--dry-run']);
    await mute(TODAY, ['--order', String(order.id), '--until', day(60), '--reason', 'renewal under way']);
    expect((await target.scan(TODAY)).events).toEqual([]);

    const ended = await unmute(day(1), ['--order', String(order.id)]);
    expect(ended.stdout).toBe(
      `unmuted order ${order.id} (its certificate and its duplicates): it was muted until ${day(60)} by ana (renewal under way)\n`,
    );
    expect((await target.scan(day(1))).events.map(crossingOf)).toEqual([`order ${order.id} @ 14`]);

    const listed = await mutes(day(1), ['--json']);
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({
        orderId: order.id,
        certificateId: null,
        status: 'unmuted',
        by: 'ana',
        endedBy: 'bo',
        reason: 'renewal under way',
      }),
    ]);
    const again = await unmute(day(1), ['--order', String(order.id)]);
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toContain(
      `order ${order.id} (its certificate and its duplicates) has no active mute`,
    );
  });

  it('refuses an unknown order, a date too far ahead and a missing reason, recording nothing', async () => {
    const account = new SimAccount([], TODAY);
    const order = account.addOrder({ validTill: day(10) });
    const { mute, mutes } = await setUp(account);
    const unknown = await mute(TODAY, ['--order', '999999', '--until', day(5), '--reason', 'x']);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toBe(
      'expiry-alerts: --order: "999999" is not an order the state or CertCentral knows\n',
    );
    const tooFar = await mute(TODAY, ['--order', String(order.id), '--until', day(366), '--reason', 'x']);
    expect(tooFar.stderr).toContain(
      `--until: "${day(366)}" is more than 365 days ahead (at most ${day(365)})`,
    );
    const noReason = await mute(TODAY, ['--order', String(order.id), '--until', day(5)]);
    expect(noReason.stderr).toContain('--reason: "" is required');
    const notDuplicate = await mute(TODAY, [
      '--order',
      String(order.id),
      '--certificate',
      '12',
      '--until',
      day(5),
      '--reason',
      'x',
    ]);
    expect(notDuplicate.stderr).toContain(
      `--certificate: "12" is not a duplicate certificate of order ${order.id} (it has none)`,
    );
    expect([tooFar, noReason, notDuplicate].map((run) => run.exitCode)).toEqual([2, 2, 2]);
    expect((await mutes(TODAY)).stdout).toBe('no mutes\n');
  });
});

describe('mutes in the embedded store', () => {
  let dir = '';
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('survive a restart: each command starts and stops the store, the scan still honours the mute', async () => {
    dir = await mkdtemp(join(tmpdir(), 'expiry-alerts-mutes-'));
    const account = new SimAccount([], TODAY);
    const order = account.addOrder({ validTill: day(3), commonName: 'lab.example.com' });
    const { target, mute, mutes } = await setUp(account, ['--state-dir', dir]);
    await mute(TODAY, ['--order', String(order.id), '--until', day(2), '--reason', 'lab machine']);

    const listed = await mutes(TODAY);
    expect(listed.stdout).toMatch(
      new RegExp(
        `^ORDER\\s+CERTIFICATE\\s+STATUS\\s+UNTIL\\s+BY\\s+SET\\s+REASON\\n${order.id}\\s+all\\s+active\\s+${day(2)}\\s+ana\\s+${TODAY}\\s+lab machine\\n$`,
      ),
    );
    expect((await target.scan(TODAY)).events).toEqual([]);
    expect((await target.scan(day(2))).events.map(crossingOf)).toEqual([`order ${order.id} @ 1`]);
    expect((await mutes(day(2))).stdout).toContain(`ended ${day(2)}`);
  });
});
