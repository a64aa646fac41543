/** Test function entry point (invoked by hand): wires SNS and the EventBridge bus once per cold start. */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SNSClient } from '@aws-sdk/client-sns';
import { makeHandler } from './handlers/test-alert-handler.ts';
import { EventBridgeNotifier } from './notify/eventbridge-notifier.ts';
import { SnsNotifier } from './notify/sns-notifier.ts';
import { readTestAlertEnvironment } from './runtime/environment.ts';

const env = readTestAlertEnvironment(process.env);

export const handler = makeHandler({
  env,
  sns: new SnsNotifier(new SNSClient({}), env.topicArn),
  bus: env.eventBusName ? new EventBridgeNotifier(new EventBridgeClient({}), env.eventBusName) : null,
});
