/** Slack notifier Lambda entry point (SNS subscription): wires the webhook sender once per cold start. */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { makeHandler } from './handlers/slack-handler.ts';
import { SlackWebhookSender } from './notify/slack-webhook.ts';
import { CachedSecret } from './runtime/cached-secret.ts';
import { readSlackEnvironment } from './runtime/environment.ts';
import { tracer } from './runtime/observability.ts';

const { webhookSecretArn } = readSlackEnvironment(process.env);
const webhookUrl = new CachedSecret(
  tracer.captureAWSv3Client(new SecretsManagerClient({})),
  webhookSecretArn,
);
let sender: { url: string; sender: SlackWebhookSender } | null = null;

export const handler = makeHandler({
  sender: async () => {
    const url = await webhookUrl.value();
    if (sender?.url !== url) sender = { url, sender: new SlackWebhookSender({ webhookUrl: url }) };
    return sender.sender;
  },
});
