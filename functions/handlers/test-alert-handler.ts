/**
 * The test function's handler, invoked by hand after a deployment: every route gets one marked sample alert
 * addressed to it by name (so it passes the route's filters, whatever they are), and the EventBridge bus, when
 * there is one, gets one too. It answers with what it sent, for the `aws lambda invoke` output file.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Notifier } from '../core/ports.ts';
import { sampleEvent } from '../core/sample-event.ts';
import type { SnsNotifier } from '../notify/sns-notifier.ts';
import type { TestAlertRuntimeEnvironment } from '../runtime/environment.ts';
import { logger } from '../runtime/observability.ts';

export interface TestAlertDependencies {
  env: TestAlertRuntimeEnvironment;
  sns: Pick<SnsNotifier, 'send' | 'sendToRoute'>;
  /** The EventBridge bus's notifier; null when the stack has no bus. */
  bus: Notifier | null;
  clock?: () => Date;
}

export interface TestAlertResult {
  /** The routes that were sent a test alert; `*` when the stack has none (subscribers without a filter). */
  routes: string[];
  eventBus: boolean;
  subject: string;
}

export async function sendTestAlerts(deps: TestAlertDependencies): Promise<TestAlertResult> {
  const now = (deps.clock ?? (() => new Date()))();
  const { consoleUrl, routes } = deps.env;
  const sent: string[] = [];
  if (routes === null) {
    await deps.sns.send(sampleEvent({ now, consoleUrl, route: null }), 'individual');
    sent.push('*');
  } else {
    for (const route of routes) {
      await deps.sns.sendToRoute(sampleEvent({ now, consoleUrl, route }), route.name);
      sent.push(route.name);
    }
  }
  const plain = sampleEvent({ now, consoleUrl, route: null });
  if (deps.bus) await deps.bus.send(plain, 'individual');
  logger.info('test alerts sent', { routes: sent, eventBus: deps.bus !== null });
  return { routes: sent, eventBus: deps.bus !== null, subject: `[test] ${plain.commonName}` };
}

export const makeHandler = (deps: TestAlertDependencies) =>
  middy(async (): Promise<TestAlertResult> => sendTestAlerts(deps)).use(injectLambdaContext(logger));
