import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sampleAccount } from '../../certcentral-sim/generate.ts';
import { announcedCrossings, crossingsOn } from '../../support/expected-alerts.ts';
import { API_KEY, runCommand, scanInstant } from '../../support/scan-command.ts';
import { useScanFixture } from '../../support/scan-fixture.ts';

const TODAY = '2026-11-23';
const WRONG_KEY = 'wrong-key-9d41c7e2b05f6a38';
const A_FILE = fileURLToPath(new URL('../../../package.json', import.meta.url));

const { simulate, targetFor } = useScanFixture();

describe('a wrong API key', () => {
  it('stops the scan at once with exit 2, never shows the key, and leaves the state as it was', async () => {
    const account = sampleAccount(TODAY);
    const target = await targetFor(account);

    const refused = await target.scan(TODAY, [], { env: { DIGICERT_API_KEY: WRONG_KEY } });
    const callsWithWrongKey = target.sim.calls.total;
    const accepted = await target.scan(TODAY);

    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('CertCentral refused the API key (HTTP 403');
    expect(refused.stderr).toContain('DIGICERT_API_KEY');
    expect(refused.stdout).toBe('');
    expect(`${refused.stdout}${refused.stderr}`).not.toContain(WRONG_KEY);
    expect(callsWithWrongKey).toBe(1);
    expect(accepted.exitCode).toBe(0);
    expect(announcedCrossings(accepted.events)).toEqual(crossingsOn(account, TODAY));
    expect(`${accepted.stdout}${accepted.stderr}`).not.toContain(API_KEY);
  });
});

describe('bad flags and values', () => {
  /** Refused flags must stop the command before it opens any state, so this endpoint is never reached. */
  const withState = (flags: string[]) => [
    ...flags,
    '--dynamodb-endpoint',
    'http://127.0.0.1:9',
    '--table',
    'unused',
  ];

  it.each([
    {
      given: '--thresholds 30,abc',
      flags: withState(['--thresholds', '30,abc']),
      named: ['--thresholds', '"abc"'],
    },
    { given: '--now yesterday', flags: withState(['--now', 'yesterday']), named: ['--now', '"yesterday"'] },
    {
      given: 'a --now that is not a calendar day',
      flags: withState(['--now', '2026-02-30']),
      named: ['--now: "2026-02-30" is not an ISO-8601 date'],
    },
    {
      given: 'a threshold twice',
      flags: withState(['--thresholds', '30,7,30']),
      named: ['--thresholds: "30,7,30" has 30 more than once'],
    },
    {
      given: 'a --state-dir that is a file',
      flags: ['--state-dir', A_FILE],
      named: [`--state-dir: ${JSON.stringify(A_FILE)} is a file, not a directory`],
    },
    { given: '--page-size 0', flags: withState(['--page-size', '0']), named: ['--page-size', '"0"'] },
    {
      given: '--max-report-rows 0',
      flags: withState(['--max-report-rows', '0']),
      named: ['--max-report-rows: "0" is not a whole number from 1 to 1000000000'],
    },
    { given: 'an unknown flag', flags: withState(['--bogus']), named: ["unknown option '--bogus'"] },
    {
      given: '--dynamodb-endpoint without --table',
      flags: ['--dynamodb-endpoint', 'http://127.0.0.1:8000'],
      named: ['--dynamodb-endpoint: "http://127.0.0.1:8000" needs --table'],
    },
    {
      given: '--json with --slack',
      flags: withState(['--json', '--slack']),
      named: ['--slack: "--json" was given too: choose one channel'],
    },
    {
      given: '--sns-topic-arn with --slack',
      flags: withState(['--sns-topic-arn', 'arn:aws:sns:eu-west-1:123456789012:alerts', '--slack']),
      named: ['--slack: "--sns-topic-arn" was given too: choose one channel'],
    },
    {
      given: '--json with --sns-topic-arn',
      flags: withState(['--json', '--sns-topic-arn', 'arn:aws:sns:eu-west-1:123456789012:alerts']),
      named: ['--sns-topic-arn: "--json" was given too: choose one channel'],
    },
    {
      given: 'a FIFO topic',
      flags: withState(['--sns-topic-arn', 'arn:aws:sns:eu-west-1:123456789012:alerts.fifo']),
      named: ['--sns-topic-arn: "arn:aws:sns:eu-west-1:123456789012:alerts.fifo" is a FIFO topic'],
    },
    {
      given: 'no DIGICERT_API_KEY',
      flags: withState([]),
      env: {},
      named: ['DIGICERT_API_KEY', 'is not set'],
    },
  ])('$given: exit 2 with a message naming it, before any API call', async ({ flags, env, named }) => {
    const sim = await simulate(sampleAccount(TODAY));

    const run = await runCommand(
      ['scan', '--base-url', sim.url, '--now', scanInstant(TODAY), ...flags],
      env ? { env } : {},
    );

    expect(run.exitCode).toBe(2);
    expect(run.stdout).toBe('');
    for (const name of named) expect(run.stderr).toContain(name);
    expect(sim.calls.total).toBe(0);
  });
});
