/**
 * The scan, alert and weekly summary Lambda handlers against a hostile CertCentral that echoes the key into every answer: each
 * failure path is logged with the message it should, and the key is in no log line, no thrown error (what the
 * Lambda runtime would log), no queued candidate and no published alert. Waits are virtual; a hanging server
 * is given a short real timeout.
 */
import { SNSClient } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CertCentralClientOptions } from '../../../functions/certcentral/certcentral-client.ts';
import { makeHandler as makeAlertHandler } from '../../../functions/handlers/alert-handler.ts';
import { makeHandler as makeScanHandler } from '../../../functions/handlers/scan-handler.ts';
import { makeHandler as makeSummaryHandler } from '../../../functions/handlers/summary-handler.ts';
import { SnsSummarySender } from '../../../functions/notify/sns-summary.ts';
import { ALERT_REQUEST_BUDGET, requestBudgetEnvironment } from '../../../functions/runtime/environment.ts';
import { readSummaryEnvironment } from '../../../functions/runtime/summary-environment.ts';
import { sampleAccount } from '../../certcentral-sim/generate.ts';
import {
  ECHO_NOW,
  type EchoingServer,
  keyFragments,
  startEchoingServer,
} from '../../support/echoing-server.ts';
import { HOSTILE_CASES, type HostileCase } from '../../support/hostile-cases.ts';
import { hybridTime } from '../../unit/certcentral/support/fake-time.ts';
import { API_KEY, TOPIC_ARN, useHandlerFixture } from './support/handler-fixture.ts';
import { sqsEvent } from './support/lambda-events.ts';
import { lambdaContext, useLambdaOutput } from './support/lambda-output.ts';

vi.hoisted(() => {
  process.env.POWERTOOLS_SERVICE_NAME = 'expiry-alerts-hostile';
  process.env.POWERTOOLS_METRICS_NAMESPACE = 'ExpiryAlertsTest';
});

const TODAY = ECHO_NOW.slice(0, 10);
const HANG_BUDGET: Partial<CertCentralClientOptions> = { timeoutMs: 50, retry: { maxElapsedMs: 300 } };

const fixture = useHandlerFixture();
const output = useLambdaOutput();

let server: EchoingServer;
beforeAll(async () => {
  server = await startEchoingServer();
});
afterAll(() => server.close());

/** As a JSON log line holds it. */
const logged = (text: string): string => JSON.stringify(text).slice(1, -1);

/** What the Lambda runtime would log for an error the handler threw. */
const thrownText = (error: unknown): string =>
  error instanceof Error ? `${String(error)}\n${error.stack}\n${JSON.stringify(error)}` : String(error);

/** The functions as the stack configures them; `alertBudget`: with the alert function's request budget. */
async function handlersFor(hostile: HostileCase, { alertBudget = false } = {}) {
  const world = await fixture.world(sampleAccount(TODAY), {
    DIGICERT_BASE_URL: server.url,
    ...hostile.lambdaEnv,
    ...(alertBudget ? requestBudgetEnvironment(ALERT_REQUEST_BUDGET) : {}),
  });
  const certCentral = { ...hybridTime(), random: () => 0.5, ...(hostile.hangs ? HANG_BUDGET : {}) };
  return {
    scan: makeScanHandler({ ...world.scanDeps, certCentral }),
    alert: makeAlertHandler({ ...world.alertDeps, certCentral }),
    summary: makeSummaryHandler({
      env: readSummaryEnvironment(world.variables),
      apiKey: world.scanDeps.apiKey,
      state: world.scanDeps.state,
      sender: new SnsSummarySender(new SNSClient({ region: 'eu-west-1' }), TOPIC_ARN),
      certCentral,
      clock: () => new Date(ECHO_NOW),
    }),
  };
}

/** Everything that left the functions: logs, thrown errors, queued candidates, published alerts. */
function everything(thrown: unknown): string {
  const queued = fixture
    .batches()
    .flat()
    .map((entry) => entry.MessageBody ?? '');
  const published = fixture.published().map((input) => `${input.Subject}\n${input.Message}`);
  return [output.text(), thrown === null ? '' : thrownText(thrown), ...queued, ...published].join('\n');
}

describe('the scan, alert and summary functions against a CertCentral that echoes the key', () => {
  const scanStage = HOSTILE_CASES.filter((hostile) => hostile.stage !== 'detail');
  const detailStage = HOSTILE_CASES.filter((hostile) => hostile.stage !== 'report');

  /** The report-reading functions: each fails on a report-stage case, saying why, and works through bad data. */
  const reportReaders = [
    {
      name: 'scan',
      failure: 'scan failed',
      worked: () => expect(fixture.queued().length).toBeGreaterThan(0),
    },
    {
      name: 'summary',
      failure: 'summary failed',
      worked: () => expect(fixture.published()).toHaveLength(1),
    },
  ] as const;

  it.each(
    reportReaders.flatMap((reader) =>
      scanStage.map((hostile) => [reader.name, hostile.name, reader, hostile] as const),
    ),
  )('%s: %s', async (_reader, _name, reader, hostile) => {
    const handler = (await handlersFor(hostile))[reader.name];
    server.script(hostile.answers);

    const thrown = await handler({}, lambdaContext(`expiry-alerts-${reader.name}`)).then(
      () => null,
      (error: unknown) => error,
    );

    expect(server.keysSeen).toContain(API_KEY);
    expect(keyFragments(everything(thrown), API_KEY)).toEqual([]);
    if (hostile.stage === 'report') {
      expect(thrown).toBeInstanceOf(Error);
      expect(output.text()).toContain(`"message":"${reader.failure}"`);
      for (const said of hostile.says) {
        expect(output.text()).toContain(logged(said.replaceAll('{url}', server.url)));
      }
      expect(fixture.published()).toEqual([]);
    } else {
      expect(thrown).toBeNull();
      reader.worked();
    }
  });

  it.each(detailStage.map((hostile) => [hostile.name, hostile] as const))(
    'alert: %s',
    async (_name, hostile) => {
      const { scan, alert } = await handlersFor(hostile, { alertBudget: true });
      await scan({}, lambdaContext('expiry-alerts-scan'));
      const queued = fixture.queued();
      server.script(hostile.answers);

      const response = await alert(
        sqsEvent(queued.map(({ entry }) => ({ messageId: entry.Id ?? '', body: entry.MessageBody ?? '' }))),
        lambdaContext('expiry-alerts-alert'),
      );

      expect(queued.length).toBeGreaterThan(0);
      expect(keyFragments(everything(null), API_KEY)).toEqual([]);
      if (hostile.stage === 'detail' && hostile.exitCode !== 0) {
        expect(response.batchItemFailures.length).toBeGreaterThan(0);
        expect(output.text()).toContain('"message":"candidate failed"');
        for (const said of hostile.says)
          expect(output.text()).toContain(said.replaceAll('{url}', server.url));
      } else if (hostile.stage === 'detail') {
        // A refusal that is not a failure: the order's own certificate is announced, and the refusal said.
        expect(response.batchItemFailures).toEqual([]);
        expect(fixture.published().length).toBeGreaterThan(0);
        for (const said of hostile.says)
          expect(output.text()).toContain(said.replaceAll('{url}', server.url));
      } else {
        expect(response.batchItemFailures).toEqual([]);
        expect(fixture.published().length).toBeGreaterThan(0);
        expect(everything(null)).toContain('[redacted]');
      }
    },
  );
});

describe('the time budgets of the functions', () => {
  it('the alert function gives up on a failing CertCentral within 40 s, logging each long wait', async () => {
    const hostile = HOSTILE_CASES.find((candidate) => candidate.name.startsWith('an order not found, then'));
    if (!hostile) throw new Error('the subaccount failure case is missing');
    const { scan, alert } = await handlersFor(hostile, { alertBudget: true });
    await scan({}, lambdaContext('expiry-alerts-scan'));
    const [first] = fixture.queued();
    server.script(hostile.answers);

    await alert(
      sqsEvent([{ messageId: 'msg-1', body: first?.entry.MessageBody ?? '' }]),
      lambdaContext('expiry-alerts-alert'),
    );

    expect(output.text()).toMatch(
      /CertCentral subaccountOrder request failed after 7 attempts in 3\d s \(the retry budget of one request is 40 s\)/,
    );
    expect(output.text()).toContain(
      '"message":"waiting 8 s before retry 5 of 7 of the CertCentral subaccountOrder request (HTTP 500 internal_error|[redacted])"',
    );
  });

  it('the alert function sends the rest of a batch back to the queue once CertCentral stopped answering', async () => {
    const hostile = HOSTILE_CASES.find(
      (candidate) => candidate.name === 'an order detail that never answers',
    );
    if (!hostile) throw new Error('the hanging order case is missing');
    const { scan, alert } = await handlersFor(hostile, { alertBudget: true });
    await scan({}, lambdaContext('expiry-alerts-scan'));
    const [first] = fixture.queued();
    server.script(hostile.answers);
    const body = first?.entry.MessageBody ?? '';

    const response = await alert(
      sqsEvent([
        { messageId: 'msg-1', body },
        { messageId: 'msg-2', body },
      ]),
      lambdaContext('expiry-alerts-alert'),
    );

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'msg-1' }, { itemIdentifier: 'msg-2' }]);
    expect(server.requests('order')).toBeLessThanOrEqual(HANG_ATTEMPTS_MAX);
  });
});

/** 300 ms of budget at 50 ms per attempt and at least 500 ms between retries: one attempt. */
const HANG_ATTEMPTS_MAX = 1;
