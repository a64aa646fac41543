/**
 * The "Done when": the real command, killed (SIGKILL to its process group) or interrupted (SIGINT, as
 * Ctrl-C sends it) at many points of a flood scan (during the report, early, mid and late in the enrichment,
 * around the digest), then run again to completion: no alert lost, none withheld, doubles only among the sends
 * in flight at the kill. `npm run crash-trials` runs more of them and prints the figures.
 */
import { availableParallelism } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERT_STAGE_CONCURRENCY } from '../../../functions/local/run-local-scan.ts';
import {
  type BuiltCli,
  buildTrialCli,
  requestsOfAFullRun,
  runTrials,
  TRIAL_ACCOUNT,
  type TrialPlan,
  type TrialResult,
} from '../../support/kill-trials.ts';

/** Where the kills land, as fractions of a full run's requests: report pages, then the enrichment. */
const KILL_POINTS = [0.05, 0.15, 0.35, 0.55, 0.75, 0.95, 1];
const INTERRUPT_POINTS = [0.1, 0.5, 0.9];
const DIGEST_PRINTED = 'Certificate expiry digest';

let cli: BuiltCli | undefined;
/** Each trial's result, by `SIGKILL text 0.35` (signal, output, fraction of a full run's requests). */
const results = new Map<string, TrialResult>();
const DIGEST_TRIAL = 'SIGKILL text digest';

beforeAll(async () => {
  cli = await buildTrialCli();
  const setup = { cli, ...TRIAL_ACCOUNT };
  const requests = await requestsOfAFullRun(setup, 'text');
  const at = (fraction: number) => Math.max(1, Math.round(requests * fraction));
  const plans = new Map<string, TrialPlan>([
    [DIGEST_TRIAL, { mode: 'text', signal: 'SIGKILL', afterStdout: DIGEST_PRINTED }],
  ]);
  for (const mode of ['text', 'json'] as const) {
    for (const fraction of KILL_POINTS) {
      plans.set(`SIGKILL ${mode} ${fraction}`, { mode, signal: 'SIGKILL', afterRequests: at(fraction) });
    }
    for (const fraction of INTERRUPT_POINTS) {
      plans.set(`SIGINT ${mode} ${fraction}`, { mode, signal: 'SIGINT', afterRequests: at(fraction) });
    }
  }
  const done = await runTrials(setup, [...plans.values()], Math.min(2, availableParallelism()));
  [...plans.keys()].forEach((label, index) => {
    results.set(label, done[index] as TrialResult);
  });
}, 600_000);
afterAll(() => cli?.dispose());

function trial(label: string): TrialResult {
  const result = results.get(label);
  if (!result) throw new Error(`no trial ran for ${label}`);
  return result;
}

/** What every trial must show, whatever it stopped. */
function expectNothingLostOrWithheld(result: TrialResult): void {
  expect(result.signalled).toBe(true);
  expect(result.rerun.exitCode).toBe(0);
  expect(result.unexpected).toEqual([]);
  expect(result.lost).toEqual([]);
  expect(result.withheld).toEqual([]);
}

describe.each(['text', 'json'] as const)('SIGKILL during a flood scan (%s output)', (mode) => {
  it.each(KILL_POINTS)(
    'at %s of its requests: nothing lost or withheld, doubles only among the sends in flight',
    (fraction) => {
      const result = trial(`SIGKILL ${mode} ${fraction}`);

      expect(result.first.endedBy).toBe('SIGKILL');
      expect(result.lockLeft).toBe(true); // a dead holder's lock: the rerun took it over
      expectNothingLostOrWithheld(result);
      expect(result.doubled.length).toBeLessThanOrEqual(ALERT_STAGE_CONCURRENCY);
    },
  );
});

describe('SIGKILL as the digest is printed (text output)', () => {
  it('prints that one digest again at worst (the send in flight), and loses nothing', () => {
    const result = trial(DIGEST_TRIAL);

    expectNothingLostOrWithheld(result);
    expect(result.doubledInFlight).toEqual([]);
    if (!result.digestReprinted) expect(result.doubled).toEqual([]);
  });
});

describe.each(['text', 'json'] as const)('SIGINT (Ctrl-C) during a flood scan (%s output)', (mode) => {
  it.each(INTERRUPT_POINTS)(
    'at %s of its requests: exit 130, the lock released, nothing lost, withheld or doubled',
    (fraction) => {
      const result = trial(`SIGINT ${mode} ${fraction}`);

      expect(result.first.exitCode).toBe(130);
      expect(result.first.stderr).toMatch(/interrupted \(SIGINT\)/);
      expect(result.lockLeft).toBe(false);
      expectNothingLostOrWithheld(result);
      expect(result.doubled).toEqual([]);
    },
  );
});
