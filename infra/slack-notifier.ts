/**
 * Posts a route's messages of the alert topic to a Slack incoming webhook whose URL lives in Secrets Manager: one
 * per Slack route, each reading only its own secret. One instance at a time (Slack takes one message per second
 * per webhook); what fails after retries lands in a queue.
 */
import { Duration } from 'aws-cdk-lib';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { RouteFilter } from '../functions/core/routes.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import { HouseFunction } from './house-function.ts';
import { subscribeRoute } from './route-subscription.ts';

export interface SlackNotifierProps {
  topic: sns.ITopic;
  /** The route whose messages this notifier posts (its filter policy). */
  route: RouteFilter;
  webhookSecretName: string;
  logRetention: RetentionDays;
}

export class SlackNotifier extends Construct {
  readonly notifier: HouseFunction;
  /** Invocations that still failed after Lambda's retries. */
  readonly failedDeliveries: DeadLetterQueue;
  /** Messages SNS could not hand to the function. */
  readonly undeliveredMessages: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: SlackNotifierProps) {
    super(scope, id);
    const webhook = secretsmanager.Secret.fromSecretNameV2(this, 'Webhook', props.webhookSecretName);
    this.notifier = new HouseFunction(this, 'Notifier', {
      entry: 'functions/slack-notifier.ts',
      description: `Posts certificate expiry alerts of the route ${props.route.name} to Slack`,
      memorySize: 256,
      timeout: Duration.seconds(60),
      logRetention: props.logRetention,
      environment: { SLACK_WEBHOOK_SECRET_ARN: webhook.secretArn },
      reservedConcurrentExecutions: 1,
    });
    webhook.grantRead(this.notifier);

    this.failedDeliveries = new DeadLetterQueue(this, 'FailedDeliveries', 'Slack notifier invocations');
    this.notifier.lambda.configureAsyncInvoke({
      retryAttempts: 2,
      onFailure: new SqsDestination(this.failedDeliveries),
    });
    this.undeliveredMessages = new DeadLetterQueue(this, 'UndeliveredMessages', 'the Slack subscription');
    subscribeRoute(
      props.topic,
      new LambdaSubscription(this.notifier.lambda, { deadLetterQueue: this.undeliveredMessages }),
      props.route,
    );
  }
}
