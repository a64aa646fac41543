/**
 * expiry-alerts in one stack: a scheduled scan fans candidates out over SQS to alert workers, which keep
 * per-certificate state in DynamoDB and publish to SNS for email, Slack and machines. On a flood the scan opens
 * a digest instead, the workers record what they sent in it, and the digest function, every 5 minutes, sends it
 * once the work queue has drained. Every name but the API key secret's is generated, so the stack can be
 * deployed twice in one account.
 */
import { CfnOutput, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { formatRouteFilters, ROUTES_VARIABLE } from '../functions/config/route-filters.ts';
import { lambdaEnvironment } from '../functions/config/setting.ts';
import {
  CERTCENTRAL_SETTINGS,
  POLICY_SETTINGS,
  REPORT_SETTINGS,
} from '../functions/config/shared-settings.ts';
import { SUMMARY_WINDOW_SETTINGS } from '../functions/config/summary-settings.ts';
import { SHORT_FORM_ROUTE } from '../functions/core/routes.ts';
import { stateRetentionDays } from '../functions/state/state-retention.ts';
import { AlertWorker } from './alert-worker.ts';
import type { StackConfig } from './config.ts';
import { ExpiryDashboard } from './dashboard.ts';
import { DigestDelivery } from './digest-delivery.ts';
import { heartbeatFor } from './heartbeat.ts';
import type { HouseFunction } from './house-function.ts';
import { Operations } from './operations.ts';
import { rateBudget } from './rate-budget.ts';
import { routeId } from './routes.ts';
import { ScheduledScan } from './scheduled-scan.ts';
import { SlackNotifier } from './slack-notifier.ts';
import { TestAlert } from './test-alert.ts';
import { NotificationTopics } from './topics.ts';
import { WeeklySummary } from './weekly-summary.ts';

export interface ExpiryAlertsStackProps extends StackProps {
  config: StackConfig;
}

export class ExpiryAlertsStack extends Stack {
  constructor(scope: Construct, id: string, props: ExpiryAlertsStackProps) {
    super(scope, id, props);
    const { config } = props;
    // Before anything is built: a schedule the heartbeat cannot watch stops the synthesis at once.
    const heartbeat = heartbeatFor(config.schedule);

    const table = new dynamodb.Table(this, 'State', {
      partitionKey: { name: 'certKey', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: 'expiresAt',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Only transient digests live here (a flood's events until its digest is sent), so it goes with the stack.
    const digestTable = new dynamodb.Table(this, 'Digests', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: 'expiresAt',
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const apiKey = this.apiKeySecret(config);
    const topics = new NotificationTopics(this, 'Topics', {
      routes: config.routes,
      notifyEmails: config.notifyEmails,
      opsTopicArn: config.opsTopicArn,
    });
    const eventBus = this.eventBus(config);

    const budget = rateBudget(config.alertWorkerConcurrency);
    // The settings every function that reads CertCentral shares with the local command (`shared-settings.ts`).
    const settingsEnvironment = {
      ...lambdaEnvironment(CERTCENTRAL_SETTINGS, {
        baseUrl: config.digicertBaseUrl,
        consoleBaseUrl: config.consoleBaseUrl,
      }),
      ...lambdaEnvironment(POLICY_SETTINGS, config.policy),
    };
    const certCentral = {
      STATE_TABLE_NAME: table.tableName,
      DIGEST_TABLE_NAME: digestTable.tableName,
      TOPIC_ARN: topics.alerts.topicArn,
      DIGICERT_API_KEY_SECRET_ARN: apiKey.secretArn,
      ...settingsEnvironment,
      ...(eventBus ? { EVENT_BUS_NAME: eventBus.eventBusName } : {}),
    };
    // The routes' names and filters, never an address or a secret: each route's digest lists its own alerts.
    const routeFilters = { [ROUTES_VARIABLE]: formatRouteFilters(config.routes) };
    const alerts = new AlertWorker(this, 'Alerts', {
      concurrency: config.alertWorkerConcurrency,
      logRetention: config.logRetentionDays,
      environment: {
        ...certCentral,
        // The workers write the state: each item outlives its certificate's expiry by the look-back and a margin.
        STATE_RETENTION_DAYS: String(stateRetentionDays(config.policy.expiredLookbackDays)),
        CERTCENTRAL_REQUESTS_PER_5S: String(budget.alertWorker.per5s),
        CERTCENTRAL_REQUESTS_PER_3MIN: String(budget.alertWorker.per3min),
      },
    });
    const scan = new ScheduledScan(this, 'Scan', {
      schedule: config.schedule,
      logRetention: config.logRetentionDays,
      environment: {
        ...certCentral,
        WORK_QUEUE_URL: alerts.queue.queueUrl,
        ...lambdaEnvironment(REPORT_SETTINGS, { maxReportRows: config.maxReportRows }),
        CERTCENTRAL_REQUESTS_PER_5S: String(budget.scan.per5s),
        CERTCENTRAL_REQUESTS_PER_3MIN: String(budget.scan.per3min),
      },
    });

    const digest = new DigestDelivery(this, 'Digest', {
      logRetention: config.logRetentionDays,
      environment: {
        DIGEST_TABLE_NAME: digestTable.tableName,
        TOPIC_ARN: topics.alerts.topicArn,
        WORK_QUEUE_URL: alerts.queue.queueUrl,
        ...routeFilters,
      },
    });
    const testAlert = new TestAlert(this, 'TestAlert', {
      logRetention: config.logRetentionDays,
      environment: {
        TOPIC_ARN: topics.alerts.topicArn,
        ...lambdaEnvironment(CERTCENTRAL_SETTINGS, {
          baseUrl: config.digicertBaseUrl,
          consoleBaseUrl: config.consoleBaseUrl,
        }),
        ...(eventBus ? { EVENT_BUS_NAME: eventBus.eventBusName } : {}),
        ...routeFilters,
      },
    });

    // The scan only reads the state (what was announced); the alert workers claim and mark it.
    table.grantReadData(scan.scanner);
    table.grantReadWriteData(alerts.worker);
    for (const fn of [scan.scanner, alerts.worker]) {
      digestTable.grantWriteData(fn);
      apiKey.grantRead(fn);
    }
    alerts.queue.grantSendMessages(scan.scanner);
    // The scan only opens digests: the alert workers, the digest function and the test function publish.
    for (const fn of [alerts.worker, digest.sender, testAlert.sender]) {
      topics.alerts.grantPublish(fn);
      Validations.of(fn.role).acknowledge({
        id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
        reason: `${fn.node.path} publishes to the encrypted alert topic: SNS needs kms:GenerateDataKey* on the topic's key (and only that key).`,
      });
    }
    if (eventBus) {
      for (const fn of [alerts.worker, testAlert.sender]) eventBus.grantPutEventsTo(fn);
    }
    digestTable.grantReadWriteData(digest.sender);
    alerts.queue.grant(digest.sender, 'sqs:GetQueueAttributes');

    const functions: Record<string, HouseFunction> = {
      Scan: scan.scanner,
      Alert: alerts.worker,
      Digest: digest.sender,
    };
    const deadLetterQueues: Record<string, sqs.IQueue> = {
      Work: alerts.deadLetterQueue,
      ScanSchedule: scan.deadLetterQueue,
      DigestSchedule: digest.deadLetterQueue,
    };
    if (config.summarySchedule !== null) {
      const summary = new WeeklySummary(this, 'Summary', {
        schedule: config.summarySchedule,
        share: budget.summary,
        logRetention: config.logRetentionDays,
        environment: {
          STATE_TABLE_NAME: table.tableName,
          TOPIC_ARN: topics.alerts.topicArn,
          DIGICERT_API_KEY_SECRET_ARN: apiKey.secretArn,
          ...settingsEnvironment,
          ...lambdaEnvironment(SUMMARY_WINDOW_SETTINGS, { summaryWithinDays: config.summaryWithinDays }),
          ...lambdaEnvironment(REPORT_SETTINGS, { maxReportRows: config.maxReportRows }),
          ...routeFilters,
        },
      });
      // Reads the report and the state, publishes the summary: nothing else.
      table.grantReadData(summary.sender);
      apiKey.grantRead(summary.sender);
      topics.alerts.grantPublish(summary.sender);
      Validations.of(summary.sender.role).acknowledge({
        id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
        reason: `${summary.sender.node.path} publishes to the encrypted alert topic: SNS needs kms:GenerateDataKey* on the topic's key (and only that key).`,
      });
      functions.Summary = summary.sender;
      deadLetterQueues.SummarySchedule = summary.deadLetterQueue;
      new CfnOutput(this, 'SummaryFunctionName', { value: summary.sender.lambda.functionName });
    }
    for (const route of config.routes) {
      if (!route.slackWebhookSecretName) continue;
      // The short form's notifier keeps the ids it had before routes.
      const name = route.name === SHORT_FORM_ROUTE ? 'Slack' : `Slack${routeId(route.name)}`;
      const slack = new SlackNotifier(this, name, {
        topic: topics.alerts,
        route,
        webhookSecretName: route.slackWebhookSecretName,
        logRetention: config.logRetentionDays,
      });
      functions[name] = slack.notifier;
      deadLetterQueues[`${name}FailedDeliveries`] = slack.failedDeliveries;
      deadLetterQueues[`${name}Undelivered`] = slack.undeliveredMessages;
    }
    new Operations(this, 'Operations', {
      alarmTopic: topics.alarms,
      functions,
      deadLetterQueues,
      workQueue: alerts.queue,
      heartbeat,
      eventBus: eventBus !== null,
    });

    const dashboard = new ExpiryDashboard(this, 'Dashboard', {
      scan: scan.scanner,
      workQueue: alerts.queue,
      deadLetterQueues,
    });

    new CfnOutput(this, 'DashboardName', { value: dashboard.dashboard.dashboardName });
    new CfnOutput(this, 'AlertTopicArn', {
      value: topics.alerts.topicArn,
      description: 'Subscribe to certificate alerts here',
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: topics.alarms.topicArn,
      description: 'Operational alarms go here',
    });
    new CfnOutput(this, 'ApiKeySecretName', {
      value: config.digicertApiKeySecretName,
      description: 'Put the CertCentral API key in this secret',
    });
    new CfnOutput(this, 'StateTableName', {
      value: table.tableName,
      description: 'expiry-alerts mute/unmute/mutes/list --table this --region the stack region',
    });
    new CfnOutput(this, 'DigestTableName', { value: digestTable.tableName });
    new CfnOutput(this, 'ScanFunctionName', { value: scan.scanner.lambda.functionName });
    new CfnOutput(this, 'TestAlertFunctionName', {
      value: testAlert.sender.lambda.functionName,
      description: 'Invoke it to send every route a marked test alert',
    });
    new CfnOutput(this, 'WorkQueueUrl', { value: alerts.queue.queueUrl });
    for (const [name, queue] of Object.entries(deadLetterQueues)) {
      new CfnOutput(this, `${name}DeadLetterQueueUrl`, { value: queue.queueUrl });
    }
  }

  /** The bus every alert is also put on, by name or ARN; none unless `eventBusName` is set. */
  private eventBus(config: StackConfig): events.IEventBus | null {
    const { eventBusName } = config;
    if (eventBusName === null) return null;
    return eventBusName.startsWith('arn:')
      ? events.EventBus.fromEventBusArn(this, 'AlertBus', eventBusName)
      : events.EventBus.fromEventBusName(this, 'AlertBus', eventBusName);
  }

  /**
   * CloudFormation cannot create a resource only if it is absent: by default the stack creates the secret empty
   * (no value until `put-secret-value`) and retains it; `digicertApiKeySecretExists=true` reads an existing one.
   */
  private apiKeySecret(config: StackConfig): secretsmanager.ISecret {
    if (config.digicertApiKeySecretExists) {
      return secretsmanager.Secret.fromSecretNameV2(this, 'ApiKey', config.digicertApiKeySecretName);
    }
    const secret = new secretsmanager.Secret(this, 'ApiKey', {
      secretName: config.digicertApiKeySecretName,
      description: 'DigiCert CertCentral API key (View Only) used by expiry-alerts',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    (secret.node.defaultChild as secretsmanager.CfnSecret).addPropertyDeletionOverride(
      'GenerateSecretString',
    );
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: `${secret.node.path} holds a DigiCert API key, which only CertCentral can issue: it is rotated by creating a new key there and putting it in the secret.`,
    });
    return secret;
  }
}
