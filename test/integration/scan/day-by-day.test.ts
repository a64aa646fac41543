import { describe, expect, it } from 'vitest';
import type { NotificationEvent } from '../../../functions/core/model.ts';
import { addDays } from '../../certcentral-sim/dates.ts';
import { generateAccount } from '../../certcentral-sim/generate.ts';
import { announcedCrossings, crossingsOver, newCrossings } from '../../support/expected-alerts.ts';
import { useScanFixture } from '../../support/scan-fixture.ts';

const TODAY = '2026-11-23';
const DAYS = Array.from({ length: 10 }, (_, offset) => addDays(TODAY, offset));

const { targetFor } = useScanFixture();

describe('daily scans over ten days of a generated account', () => {
  it.each([
    { name: 'the default mix', duplicates: undefined, earlyDuplicates: 0 },
    { name: 'duplicates that expire before their orders', duplicates: 0.25, earlyDuplicates: 0.7 },
  ])('announce every crossing exactly once: nothing repeated, nothing missing ($name)', async (mix) => {
    const account = generateAccount({
      seed: 20_261_123,
      orders: 400,
      today: TODAY,
      earlyDuplicates: mix.earlyDuplicates,
      ...(mix.duplicates === undefined ? {} : { duplicates: mix.duplicates }),
    });
    const target = await targetFor(account);

    const events: NotificationEvent[] = [];
    for (const [index, day] of DAYS.entries()) {
      const run = await target.scan(day);
      expect(run.exitCode).toBe(0);
      const previous = DAYS[index - 1];
      if (previous !== undefined) {
        expect(announcedCrossings(run.events)).toEqual(newCrossings(account, previous, day));
      }
      events.push(...run.events);
    }

    const expected = crossingsOver(account, DAYS);
    expect(expected.length).toBeGreaterThan(100);
    expect(events.every((event) => event.type !== 'certificate.renewed')).toBe(true);
    expect(announcedCrossings(events)).toEqual(expected);
  });
});
