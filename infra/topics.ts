/**
 * Where notifications go: the alert topic (certificate alerts, for people and machines) and the alarm topic
 * (operational alarms), both encrypted with one customer-managed key that this stack's CloudWatch alarms may use.
 */
import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { EmailSubscriber } from './config.ts';
import { subscribeRoute } from './route-subscription.ts';
import type { RouteConfig } from './routes.ts';

export interface NotificationTopicsProps {
  /** Each route's addresses subscribe to the alert topic with the route's filter policy. */
  routes: readonly RouteConfig[];
  /** The addresses that also receive the alarms (the short form's). */
  notifyEmails: readonly EmailSubscriber[];
  /** Send alarms to this existing topic instead of one of the stack's. */
  opsTopicArn: string | null;
}

export class NotificationTopics extends Construct {
  private readonly key: kms.Key;
  readonly alerts: sns.Topic;
  readonly alarms: sns.ITopic;

  constructor(scope: Construct, id: string, props: NotificationTopicsProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: 'Encrypts the expiry-alerts topics',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.alerts = new sns.Topic(this, 'Alerts', {
      displayName: 'Certificate expiry alerts',
      masterKey: this.key,
      enforceSSL: true,
    });
    for (const route of props.routes) {
      for (const address of route.emails) subscribeRoute(this.alerts, new EmailSubscription(address), route);
    }

    this.alarms = props.opsTopicArn
      ? sns.Topic.fromTopicArn(this, 'Alarms', props.opsTopicArn)
      : this.alarmTopic(props.notifyEmails);
  }

  /**
   * CloudWatch alarm notifications carry no message attributes, so no filter policy can let them through: they
   * go to a topic of their own, where the same addresses subscribe without a filter.
   */
  private alarmTopic(notifyEmails: readonly EmailSubscriber[]): sns.Topic {
    const topic = new sns.Topic(this, 'Alarms', {
      displayName: 'expiry-alerts alarms',
      masterKey: this.key,
      enforceSSL: true,
    });
    // A topic policy replaces SNS's default one, and CloudWatch alarms (a service, not an IAM role of this
    // account) publish only where the topic's policy lets them, and only through a key that lets them use it.
    // Both grants are limited to this stack's alarms, so no other account's alarm can use CloudWatch to post here.
    const fromOurAlarms = cloudWatchAlarmsOf(Stack.of(this));
    topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: fromOurAlarms,
      }),
    );
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: fromOurAlarms,
      }),
    );
    for (const subscriber of notifyEmails) {
      topic.addSubscription(new EmailSubscription(subscriber.address));
    }
    return topic;
  }
}

/**
 * CloudWatch acting for an alarm of this stack: in this account, and an alarm whose name CloudFormation generated
 * from this stack's name (`<stack name>-OperationsHeartbeat…`).
 */
function cloudWatchAlarmsOf(stack: Stack): Record<string, Record<string, string>> {
  return {
    StringEquals: { 'aws:SourceAccount': stack.account },
    ArnLike: {
      'aws:SourceArn': stack.formatArn({
        service: 'cloudwatch',
        resource: 'alarm',
        resourceName: `${stack.stackName}-*`,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
    },
  };
}
