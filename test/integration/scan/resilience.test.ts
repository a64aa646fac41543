import { describe, expect, it } from 'vitest';
import { addDays } from '../../certcentral-sim/dates.ts';
import type { FaultKnobs } from '../../certcentral-sim/faults.ts';
import { generateAccount } from '../../certcentral-sim/generate.ts';
import type { Simulator } from '../../certcentral-sim/server.ts';
import { announcedCrossings, crossingsOn, newCrossings } from '../../support/expected-alerts.ts';
import { ScanTarget } from '../../support/scan-command.ts';
import { useScanFixture } from '../../support/scan-fixture.ts';

const TODAY = '2026-11-23';

const { freshState, simulate, targetFor } = useScanFixture();

/** A fetch that sets simulator faults once `count` order-detail requests have been answered. */
function faultsAfterOrderAnswers(
  simulator: Simulator,
  count: number,
  faults: Partial<FaultKnobs>,
): typeof fetch {
  let answered = 0;
  return async (input, init) => {
    const response = await fetch(input, init);
    if (/\/order\/certificate\/\d+$/.test(String(input))) {
      answered += 1;
      if (answered === count) Object.assign(simulator.faults, faults);
    }
    return response;
  };
}

describe('a storm of 429s, 503s, HTML 502s and resets', () => {
  it('during the report and the enrichment: the scan completes, and a rerun sends nothing more', async () => {
    const account = generateAccount({
      seed: 9,
      orders: 150,
      today: TODAY,
      subaccounts: 0.1,
      duplicates: 0.1,
    });
    const target = await targetFor(account);
    const simulator = target.sim;
    Object.assign(simulator.faults, { reset: 1, htmlError: 1, serverError: 2, throttle: 2 });
    const fetchWithStorm = faultsAfterOrderAnswers(simulator, 1, {
      reset: 2,
      htmlError: 3,
      serverError: 3,
      throttle: 4,
    });

    const stormy = await target.scan(TODAY, [], { fetch: fetchWithStorm });
    const faults = simulator.calls.faultsInjected;
    const rerun = await target.scan(TODAY);

    expect(stormy.exitCode).toBe(0);
    expect(faults).toBe(18);
    expect(stormy.stderr).toContain('18 retried, 6 throttled (429)');
    expect(announcedCrossings(stormy.events)).toEqual(crossingsOn(account, TODAY));
    expect(rerun.events).toEqual([]);
  });

  it('that outlasts the retries of the report: exit 1 with a clear message, and the next scan sends everything', async () => {
    const account = generateAccount({ seed: 19, orders: 60, today: TODAY });
    const target = await targetFor(account);
    target.sim.faults.serverError = 1_000;

    const failed = await target.scan(TODAY);
    target.sim.faults.serverError = 0;
    const next = await target.scan(TODAY);

    expect(failed.exitCode).toBe(1);
    expect(failed.events).toEqual([]);
    expect(failed.stderr).toMatch(
      /CertCentral report request failed after \d+ attempts in [\d.]+ s: HTTP 503/,
    );
    expect(next.exitCode).toBe(0);
    expect(announcedCrossings(next.events)).toEqual(crossingsOn(account, TODAY));
  });

  it('that outlasts the retries mid-enrichment: exit 1, and with the next scan every crossing is sent once', async () => {
    const account = generateAccount({ seed: 29, orders: 200, today: TODAY, duplicates: 0 });
    const target = await targetFor(account);
    const fetchWithOutage = faultsAfterOrderAnswers(target.sim, 5, { serverError: 100_000 });

    const failed = await target.scan(TODAY, [], { fetch: fetchWithOutage });
    target.sim.faults.serverError = 0;
    const next = await target.scan(TODAY);

    const expected = crossingsOn(account, TODAY);
    expect(failed.exitCode).toBe(1);
    expect(failed.stderr).toMatch(/FAILED .* left for the next scan/);
    expect(failed.events.length).toBeGreaterThan(0);
    expect(failed.events.length).toBeLessThan(expected.length);
    expect(next.exitCode).toBe(0);
    expect(announcedCrossings([...failed.events, ...next.events])).toEqual(expected);
  });
});

describe('two scans at once against the same DynamoDB table', () => {
  it('announce every crossing exactly once between them, day after day', async () => {
    const account = generateAccount({ seed: 10, orders: 300, today: TODAY });
    const sim = await simulate(account);
    const stateFlags = freshState();
    const [first, second] = [new ScanTarget(sim, stateFlags), new ScanTarget(sim, stateFlags)];
    const bothScan = async (day: string) => {
      const runs = await Promise.all([first.scan(day), second.scan(day)]);
      expect(runs.map((run) => run.exitCode)).toEqual([0, 0]);
      return announcedCrossings(runs.flatMap((run) => run.events));
    };
    const nextWeek = addDays(TODAY, 7);

    const today = await bothScan(TODAY);
    const later = await bothScan(nextWeek);

    expect(today).toEqual(crossingsOn(account, TODAY));
    expect(later).toEqual(newCrossings(account, TODAY, nextWeek));
    expect(later.length).toBeGreaterThan(0);
  });

  it('deliver each alert to people once between them when it comes as a digest', async () => {
    const account = generateAccount({ seed: 10, orders: 300, today: TODAY });
    const sim = await simulate(account);
    const stateFlags = freshState();
    const [first, second] = [new ScanTarget(sim, stateFlags), new ScanTarget(sim, stateFlags)];

    const runs = await Promise.all([first.scanText(TODAY), second.scanText(TODAY)]);

    const listed = runs.flatMap((run) => run.stdout.split('\n').filter((line) => line.startsWith('  - ')));
    expect(listed).toHaveLength(crossingsOn(account, TODAY).length);
  });
});
