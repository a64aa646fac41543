import { Match, type Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseStackConfig } from '../../infra/config.ts';
import { removeSynthOutputs, type Synthesized, synthesize } from './synth.ts';

type Resource = { Type: string; Properties: Record<string, unknown> } & Record<string, unknown>;

const OPS_TOPIC_ARN = 'arn:aws:sns:eu-west-1:123456789012:ops-alarms';

/** Every key set, alarms to an existing ops topic, the API key secret read by name. */
const FULL_CONTEXT = {
  thresholds: '30,7',
  schedule: 'rate(12 hours)',
  notifyEmails: 'ops@example.com:critical,team@example.com:warning+critical,all@example.com',
  slackWebhookSecretName: 'expiry-alerts/slack-webhook',
  digicertApiKeySecretName: 'certs/digicert',
  digicertApiKeySecretExists: 'true',
  digicertBaseUrl: 'https://certcentral.digicert.eu/services/v2',
  expiredLookbackDays: '10',
  digestThreshold: '5',
  opsTopicArn: OPS_TOPIC_ARN,
  alertWorkerConcurrency: '4',
  logRetentionDays: '30',
};

/** The schedule the deploy guide shows: a 72-hour gap every weekend. */
const WEEKDAYS = 'cron(30 7 ? * MON-FRI *)';

let defaults: Synthesized;
let full: Synthesized;
let emails: Synthesized;

/** Four stacks, each bundling its functions with esbuild: minutes on a busy 2-core machine. */
const SYNTH_TIMEOUT_MS = 300_000;

beforeAll(() => {
  defaults = synthesize({ ExpiryAlerts: {}, ExpiryAlertsCopy: { digicertApiKeySecretExists: true } });
  full = synthesize({ ExpiryAlerts: FULL_CONTEXT });
  emails = synthesize({
    ExpiryAlerts: {
      notifyEmails: FULL_CONTEXT.notifyEmails,
      expiredLookbackDays: '3650',
      schedule: WEEKDAYS,
    },
  });
}, SYNTH_TIMEOUT_MS);
afterAll(removeSynthOutputs);

const stackOf = (synthesized: Synthesized): Template => {
  const template = synthesized.templates.ExpiryAlerts;
  if (!template) throw new Error('no ExpiryAlerts template');
  return template;
};

function resources(template: Template, type: string): [string, Resource][] {
  return Object.entries(template.findResources(type)) as [string, Resource][];
}

function only(template: Template, type: string, logicalIdPrefix: string): [string, Resource] {
  const found = resources(template, type).filter(([id]) => id.startsWith(logicalIdPrefix));
  expect(found, `${type} ${logicalIdPrefix}*`).toHaveLength(1);
  return found[0] as [string, Resource];
}

const SCAN = 'ScanScannerFunction';
const ALERT = 'AlertsWorkerFunction';
const DIGEST = 'DigestSenderFunction';
const SLACK = 'SlackNotifierFunction';

function environmentOf(template: Template, functionPrefix: string): Record<string, unknown> {
  const [, fn] = only(template, 'AWS::Lambda::Function', functionPrefix);
  return (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
}

type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

/** The actions the policies of the role `rolePrefix*` allow on a resource whose JSON matches `resource`. */
function allowedActions(template: Template, rolePrefix: string, resource: RegExp): string[] {
  return resources(template, 'AWS::IAM::Policy')
    .filter(([, policy]) =>
      (policy.Properties.Roles as { Ref: string }[]).some((role) => role.Ref.startsWith(rolePrefix)),
    )
    .flatMap(([, policy]) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
    .filter((statement) => statement.Effect === 'Allow' && resource.test(JSON.stringify(statement.Resource)))
    .flatMap((statement) => [statement.Action].flat());
}

/** The statements of a key or topic policy that name CloudWatch as their principal. */
function cloudWatchStatements(policy: unknown): Record<string, unknown>[] {
  return (policy as { Statement: Record<string, unknown>[] }).Statement.filter(
    (statement) => JSON.stringify(statement.Principal) === '{"Service":"cloudwatch.amazonaws.com"}',
  );
}

/** CloudWatch acting for an alarm of the stack `ExpiryAlerts` in the deploying account. */
const ALARMS_OF_THIS_STACK = {
  StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
  ArnLike: {
    'aws:SourceArn': {
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':cloudwatch:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          ':alarm:ExpiryAlerts-*',
        ],
      ],
    },
  },
};

const STATE_TABLE = /"State[0-9A-F]{8}"/;
const DIGEST_TABLE = /"Digests[0-9A-F]{8}"/;
const WORK_QUEUE = /"AlertsWorkQueue[0-9A-F]{8}"/;
const ALERT_TOPIC = /"TopicsAlerts[0-9A-F]{8}"/;
const TOPICS_KEY = /"TopicsKey[0-9A-F]{8}"/;

describe('cdk-nag AwsSolutions', () => {
  it('leaves no finding unacknowledged, whatever the context', () => {
    expect(defaults.nagFindings).toEqual([]);
    expect(full.nagFindings).toEqual([]);
    expect(emails.nagFindings).toEqual([]);
  });
});

describe('state table', () => {
  it('is on-demand, keyed by certKey, with point-in-time recovery and TTL, and survives stack deletion', () => {
    const [, table] = only(stackOf(defaults), 'AWS::DynamoDB::Table', 'State');
    expect(table.Properties).toMatchObject({
      KeySchema: [{ AttributeName: 'certKey', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'certKey', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
  });

  it('keeps each item at least the expired look-back plus 30 days after expiry, so no expiry is announced twice', () => {
    for (const [synthesized, lookBack] of [
      [defaults, 30],
      [full, 10],
      [emails, 3650],
    ] as const) {
      const alert = environmentOf(stackOf(synthesized), ALERT);
      expect(alert.EXPIRED_LOOKBACK_DAYS).toBe(String(lookBack));
      expect(alert.STATE_RETENTION_DAYS).toBe(String(lookBack + 30));
    }
  });

  it('is only read by the scan, and claimed and marked by the alert workers', () => {
    for (const synthesized of [defaults, full]) {
      const template = stackOf(synthesized);
      const scanActions = allowedActions(template, 'ScanScannerRole', STATE_TABLE);
      expect(scanActions).toEqual(expect.arrayContaining(['dynamodb:Scan', 'dynamodb:GetItem']));
      expect(scanActions.filter((action) => /Put|Update|Delete|Write/.test(action))).toEqual([]);
      expect(allowedActions(template, 'AlertsWorkerRole', STATE_TABLE)).toEqual(
        expect.arrayContaining(['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Scan']),
      );
      expect(allowedActions(template, 'DigestSenderRole', STATE_TABLE)).toEqual([]);
    }
  });
});

describe('digest table', () => {
  it('is on-demand, keyed by pk and sk, with point-in-time recovery and TTL, and goes with the stack', () => {
    const [, table] = only(stackOf(defaults), 'AWS::DynamoDB::Table', 'Digests');
    expect(table.Properties).toMatchObject({
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
    expect(table.DeletionPolicy).toBe('Delete');
  });

  it('is written by the scan and the alert workers, and read only by the digest function', () => {
    const template = stackOf(defaults);
    for (const role of ['ScanScannerRole', 'AlertsWorkerRole']) {
      const actions = allowedActions(template, role, DIGEST_TABLE);
      expect(actions, role).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:BatchWriteItem']));
      expect(actions, role).not.toContain('dynamodb:Query');
    }
    expect(allowedActions(template, 'DigestSenderRole', DIGEST_TABLE)).toEqual(
      expect.arrayContaining([
        'dynamodb:Query',
        'dynamodb:GetItem',
        'dynamodb:DeleteItem',
        'dynamodb:BatchWriteItem',
      ]),
    );
  });
});

describe('DigiCert API key secret', () => {
  it('is created empty under the configured name and retained', () => {
    const [, secret] = only(stackOf(defaults), 'AWS::SecretsManager::Secret', 'ApiKey');
    expect(secret.Properties.Name).toBe('expiry-alerts/digicert-api-key');
    expect(secret.Properties).not.toHaveProperty('GenerateSecretString');
    expect(secret.Properties).not.toHaveProperty('SecretString');
    expect(secret.DeletionPolicy).toBe('Retain');
  });

  it('is only read, by name, when digicertApiKeySecretExists is true', () => {
    stackOf(full).resourceCountIs('AWS::SecretsManager::Secret', 0);
    expect(JSON.stringify(environmentOf(stackOf(full), SCAN).DIGICERT_API_KEY_SECRET_ARN)).toContain(
      ':secret:certs/digicert',
    );
  });

  it('is readable by the scan, alert and weekly summary roles only', () => {
    const readsApiKey = (statement: Statement) =>
      JSON.stringify(statement.Action).includes('secretsmanager:GetSecretValue') &&
      /"ApiKey|:secret:certs\/digicert-/.test(JSON.stringify(statement.Resource));
    for (const synthesized of [defaults, full]) {
      const readers = resources(stackOf(synthesized), 'AWS::IAM::Policy')
        .filter(([, policy]) =>
          (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement.some(readsApiKey),
        )
        .flatMap(([, policy]) => policy.Properties.Roles as { Ref: string }[])
        .map((role) => role.Ref)
        .sort();
      expect(readers).toEqual([
        expect.stringMatching(/^AlertsWorkerRole/),
        expect.stringMatching(/^ScanScannerRole/),
        expect.stringMatching(/^SummarySenderRole/),
      ]);
    }
  });
});

describe('topics', () => {
  it("encrypt with a rotating customer-managed key that only this account's alarms of this stack may use as CloudWatch", () => {
    const template = stackOf(defaults);
    const [keyId, key] = only(template, 'AWS::KMS::Key', 'TopicsKey');
    expect(key.Properties.EnableKeyRotation).toBe(true);
    const forCloudWatch = cloudWatchStatements(key.Properties.KeyPolicy);
    expect(forCloudWatch).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Condition: ALARMS_OF_THIS_STACK,
      }),
    ]);
    const topics = resources(template, 'AWS::SNS::Topic');
    expect(topics).toHaveLength(2);
    for (const [, topic] of topics) {
      expect(topic.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    }
  });

  it("let CloudWatch publish this stack's alarms to the alarm topic, and to no other topic", () => {
    const template = stackOf(defaults);
    const [alarmTopicId] = only(template, 'AWS::SNS::Topic', 'TopicsAlarms');
    const policies = resources(template, 'AWS::SNS::TopicPolicy');
    const alarmPolicies = policies.filter(([, policy]) =>
      (policy.Properties.Topics as { Ref: string }[]).some((topic) => topic.Ref === alarmTopicId),
    );
    expect(alarmPolicies).toHaveLength(1);
    const [, alarmPolicy] = alarmPolicies[0] as [string, Resource];
    expect(cloudWatchStatements(alarmPolicy.Properties.PolicyDocument)).toEqual([
      {
        Sid: 'AllowCloudWatchAlarmsToPublish',
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: { Ref: alarmTopicId },
        Condition: ALARMS_OF_THIS_STACK,
      },
    ]);
    for (const [, policy] of policies.filter((entry) => !alarmPolicies.includes(entry))) {
      expect(cloudWatchStatements(policy.Properties.PolicyDocument)).toEqual([]);
    }
  });

  it('give CloudWatch nothing when alarms go to an ops topic of its own', () => {
    const template = stackOf(full);
    const [, key] = only(template, 'AWS::KMS::Key', 'TopicsKey');
    expect(cloudWatchStatements(key.Properties.KeyPolicy)).toEqual([]);
    for (const [, policy] of resources(template, 'AWS::SNS::TopicPolicy')) {
      expect(cloudWatchStatements(policy.Properties.PolicyDocument)).toEqual([]);
    }
  });

  it('refuse publishing without TLS, the alarm topic too', () => {
    const template = stackOf(defaults);
    const policies = resources(template, 'AWS::SNS::TopicPolicy');
    expect(policies).toHaveLength(2);
    for (const [, policy] of policies) {
      expect((policy.Properties.PolicyDocument as { Statement: unknown[] }).Statement).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: 'sns:Publish',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
    }
  });

  it('take alerts and digests from the alert workers and the digest function, never from the scan', () => {
    for (const synthesized of [defaults, full]) {
      const template = stackOf(synthesized);
      for (const role of ['AlertsWorkerRole', 'DigestSenderRole']) {
        expect(allowedActions(template, role, ALERT_TOPIC), role).toContain('sns:Publish');
        expect(allowedActions(template, role, TOPICS_KEY), role).toContain('kms:GenerateDataKey*');
      }
      expect(allowedActions(template, 'ScanScannerRole', ALERT_TOPIC)).toEqual([]);
      expect(allowedActions(template, 'ScanScannerRole', TOPICS_KEY)).toEqual([]);
    }
  });

  it('subscribe each address to alerts as the short form of routes: digests and test alerts by name, alerts by severity', () => {
    const template = stackOf(emails);
    const [alertTopicId] = only(template, 'AWS::SNS::Topic', 'TopicsAlerts');
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
      TopicArn: { Ref: alertTopicId },
      FilterPolicy: {
        $or: [{ route: ['*'], severity: ['critical'] }, { route: ['default-critical'] }],
      },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'all@example.com',
      TopicArn: { Ref: alertTopicId },
      FilterPolicy: { route: ['*', 'default'] },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Endpoint: 'team@example.com',
      FilterPolicy: {
        $or: [{ route: ['*'], severity: ['warning', 'critical'] }, { route: ['default-warning-critical'] }],
      },
    });
  });

  it('subscribe the same addresses to alarms without a filter, as alarms carry no message attributes', () => {
    const template = stackOf(emails);
    const [alarmTopicId] = only(template, 'AWS::SNS::Topic', 'TopicsAlarms');
    const alarmSubscriptions = resources(template, 'AWS::SNS::Subscription').filter(
      ([, subscription]) => (subscription.Properties.TopicArn as { Ref?: string }).Ref === alarmTopicId,
    );
    expect(alarmSubscriptions.map(([, s]) => s.Properties.Endpoint).sort()).toEqual([
      'all@example.com',
      'ops@example.com',
      'team@example.com',
    ]);
    for (const [, subscription] of alarmSubscriptions) {
      expect(subscription.Properties).not.toHaveProperty('FilterPolicy');
    }
  });

  it('create no alarm topic when alarms go to an ops topic', () => {
    const template = stackOf(full);
    expect(resources(template, 'AWS::SNS::Topic').map(([id]) => id)).toEqual([
      expect.stringMatching(/^TopicsAlerts/),
    ]);
    template.resourceCountIs('AWS::SNS::Subscription', 4);
  });
});

describe('work queue', () => {
  it('is encrypted, TLS-only, hides a message for at least six alert timeouts and dead-letters after 3 receives', () => {
    const template = stackOf(defaults);
    const [, queue] = only(template, 'AWS::SQS::Queue', 'AlertsWorkQueue');
    const [dlqId] = only(template, 'AWS::SQS::Queue', 'AlertsDeadLetters');
    const [, alert] = only(template, 'AWS::Lambda::Function', ALERT);
    expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
    expect(queue.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(
      6 * (alert.Properties.Timeout as number),
    );
    expect(queue.Properties.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] },
      maxReceiveCount: 3,
    });
  });

  it('and every dead-letter queue refuse requests without TLS', () => {
    const template = stackOf(full);
    const queues = resources(template, 'AWS::SQS::Queue');
    expect(queues).toHaveLength(7);
    const policies = resources(template, 'AWS::SQS::QueuePolicy');
    for (const [queueId, queue] of queues) {
      expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
      const policy = policies.find(([, p]) => JSON.stringify(p.Properties.Queues).includes(`"${queueId}"`));
      expect(policy, `policy of ${queueId}`).toBeDefined();
      expect(JSON.stringify(policy?.[1].Properties.PolicyDocument)).toContain(
        '"aws:SecureTransport":"false"',
      );
    }
  });

  it('feeds the alert function 10 at a time, reporting partial failures, at the configured concurrency', () => {
    for (const [synthesized, concurrency] of [
      [defaults, 2],
      [full, 4],
    ] as const) {
      stackOf(synthesized).hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        BatchSize: 10,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: concurrency },
      });
    }
  });
});

describe('functions', () => {
  it('run Node.js 22 on ARM64 with active tracing, source maps and their own log group with retention', () => {
    for (const [synthesized, retention, count] of [
      [defaults, 90, 5],
      [full, 30, 6],
    ] as const) {
      const template = stackOf(synthesized);
      const functions = resources(template, 'AWS::Lambda::Function');
      expect(functions).toHaveLength(count);
      const roles = new Set<string>();
      for (const [id, fn] of functions) {
        expect(fn.Properties, id).toMatchObject({
          Runtime: 'nodejs22.x',
          Architectures: ['arm64'],
          Handler: 'index.handler',
          TracingConfig: { Mode: 'Active' },
          Environment: {
            Variables: expect.objectContaining({
              NODE_OPTIONS: '--enable-source-maps',
              POWERTOOLS_SERVICE_NAME: 'expiry-alerts',
              POWERTOOLS_METRICS_NAMESPACE: 'ExpiryAlerts',
            }),
          },
        });
        const logGroupId = (fn.Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
        expect(
          template.findResources('AWS::Logs::LogGroup')[logGroupId]?.Properties.RetentionInDays,
          id,
        ).toBe(retention);
        roles.add(JSON.stringify(fn.Properties.Role));
      }
      expect(roles.size).toBe(count);
    }
  });

  it('carry secret ARNs and names in their environment, never a secret value', () => {
    const template = stackOf(full);
    for (const [id, fn] of resources(template, 'AWS::Lambda::Function')) {
      const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      for (const [name, value] of Object.entries(variables)) {
        if (/KEY|WEBHOOK|SECRET|TOKEN|PASSWORD/.test(name)) expect(name, id).toMatch(/_SECRET_ARN$/);
        expect(JSON.stringify(value), `${id} ${name}`).not.toMatch(
          /resolve:secretsmanager|hooks\.slack\.com/,
        );
      }
    }
  });

  it('give the scan 15 minutes, 1 GB, one instance at most, and the settings of the context', () => {
    const template = stackOf(full);
    const [, scan] = only(template, 'AWS::Lambda::Function', SCAN);
    expect(scan.Properties).toMatchObject({
      Timeout: 900,
      MemorySize: 1024,
      ReservedConcurrentExecutions: 1,
    });
    expect(environmentOf(template, SCAN)).toMatchObject({
      STATE_TABLE_NAME: { Ref: expect.stringMatching(/^State/) },
      DIGEST_TABLE_NAME: { Ref: expect.stringMatching(/^Digests/) },
      WORK_QUEUE_URL: { Ref: expect.stringMatching(/^AlertsWorkQueue/) },
      TOPIC_ARN: { Ref: expect.stringMatching(/^TopicsAlerts/) },
      DIGICERT_BASE_URL: 'https://certcentral.digicert.eu/services/v2',
      THRESHOLDS: '30,7',
      EXPIRED_LOOKBACK_DAYS: '10',
      DIGEST_THRESHOLD: '5',
      CERTCENTRAL_REQUESTS_PER_5S: '18',
      CERTCENTRAL_REQUESTS_PER_3MIN: '180',
      CERTCENTRAL_ATTEMPT_TIMEOUT_SECONDS: '30',
      CERTCENTRAL_RETRY_BUDGET_SECONDS: '240',
    });
  });

  it('give the alert function 60 s, 512 MB, its share of the rate limit and a request budget well inside 60 s', () => {
    const template = stackOf(full);
    const [, alert] = only(template, 'AWS::Lambda::Function', ALERT);
    expect(alert.Properties).toMatchObject({ Timeout: 60, MemorySize: 512 });
    expect(environmentOf(template, ALERT)).toMatchObject({
      STATE_TABLE_NAME: { Ref: expect.stringMatching(/^State/) },
      DIGEST_TABLE_NAME: { Ref: expect.stringMatching(/^Digests/) },
      TOPIC_ARN: { Ref: expect.stringMatching(/^TopicsAlerts/) },
      DIGICERT_API_KEY_SECRET_ARN: expect.anything(),
      DIGICERT_BASE_URL: 'https://certcentral.digicert.eu/services/v2',
      THRESHOLDS: '30,7',
      EXPIRED_LOOKBACK_DAYS: '10',
      CERTCENTRAL_REQUESTS_PER_5S: '16',
      CERTCENTRAL_REQUESTS_PER_3MIN: '167',
      CERTCENTRAL_ATTEMPT_TIMEOUT_SECONDS: '10',
      CERTCENTRAL_RETRY_BUDGET_SECONDS: '40',
    });
  });

  it('plan on at most 90% of DigiCert limits together (the scan, the summary, every alert worker)', () => {
    for (const synthesized of [defaults, full]) {
      const template = stackOf(synthesized);
      const [, mapping] = only(template, 'AWS::Lambda::EventSourceMapping', 'AlertsWorkerFunction');
      const workers = (mapping.Properties.ScalingConfig as { MaximumConcurrency: number }).MaximumConcurrency;
      const alert = environmentOf(template, ALERT);
      const others = resources(template, 'AWS::Lambda::Function')
        .filter(([id]) => !id.startsWith(ALERT))
        .map(([id]) => environmentOf(template, id));
      const spent = (key: string) =>
        others.reduce((sum, env) => sum + Number(env[key] ?? 0), 0) + workers * Number(alert[key]);
      expect(others.filter((env) => env.CERTCENTRAL_REQUESTS_PER_5S !== undefined)).toHaveLength(2);
      expect(spent('CERTCENTRAL_REQUESTS_PER_5S')).toBeLessThanOrEqual(90);
      expect(spent('CERTCENTRAL_REQUESTS_PER_3MIN')).toBeLessThanOrEqual(900);
    }
  });
});

describe('scan schedule', () => {
  it('runs the scan on the configured schedule, retrying twice, with a dead-letter queue', () => {
    for (const [synthesized, schedule] of [
      [defaults, 'cron(0 6 * * ? *)'],
      [full, 'rate(12 hours)'],
    ] as const) {
      const template = stackOf(synthesized);
      const [scanId] = only(template, 'AWS::Lambda::Function', SCAN);
      const [dlqId] = only(template, 'AWS::SQS::Queue', 'ScanDeadLetters');
      template.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: schedule,
        State: 'ENABLED',
        Targets: [
          Match.objectLike({
            Arn: { 'Fn::GetAtt': [scanId, 'Arn'] },
            RetryPolicy: { MaximumRetryAttempts: 2 },
            DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlqId, 'Arn'] } },
          }),
        ],
      });
    }
  });
});

describe('digest function', () => {
  it('runs one instance at a time, for 5 minutes at most, with the digest table, alert topic and work queue', () => {
    const template = stackOf(full);
    const [, digest] = only(template, 'AWS::Lambda::Function', DIGEST);
    expect(digest.Properties).toMatchObject({
      Timeout: 300,
      MemorySize: 512,
      ReservedConcurrentExecutions: 1,
    });
    expect(environmentOf(template, DIGEST)).toMatchObject({
      DIGEST_TABLE_NAME: { Ref: expect.stringMatching(/^Digests/) },
      TOPIC_ARN: { Ref: expect.stringMatching(/^TopicsAlerts/) },
      WORK_QUEUE_URL: { Ref: expect.stringMatching(/^AlertsWorkQueue/) },
    });
  });

  it('runs every 5 minutes, retrying twice, with a dead-letter queue', () => {
    const template = stackOf(defaults);
    const [digestId] = only(template, 'AWS::Lambda::Function', DIGEST);
    const [dlqId] = only(template, 'AWS::SQS::Queue', 'DigestDeadLetters');
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(5 minutes)',
      State: 'ENABLED',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [digestId, 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 2 },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlqId, 'Arn'] } },
        }),
      ],
    });
  });

  it("may only count the work queue's messages, not take them, and reads neither the state nor the API key", () => {
    const template = stackOf(defaults);
    expect(allowedActions(template, 'DigestSenderRole', WORK_QUEUE)).toEqual(['sqs:GetQueueAttributes']);
    expect(allowedActions(template, 'DigestSenderRole', /"State|"ApiKey/)).toEqual([]);
  });
});

describe('Slack notifier', () => {
  it('exists only when slackWebhookSecretName is set', () => {
    const template = stackOf(defaults);
    expect(resources(template, 'AWS::Lambda::Function').filter(([id]) => id.startsWith(SLACK))).toEqual([]);
    template.resourceCountIs('AWS::Lambda::EventInvokeConfig', 0);
    expect(resources(template, 'AWS::SNS::Subscription')).toEqual([]);
  });

  it('reads the webhook secret by name, runs one at a time, and keeps what fails after 2 retries', () => {
    const template = stackOf(full);
    const [slackId, slack] = only(template, 'AWS::Lambda::Function', SLACK);
    expect(slack.Properties).toMatchObject({ Timeout: 60, ReservedConcurrentExecutions: 1 });
    expect(JSON.stringify(environmentOf(template, SLACK).SLACK_WEBHOOK_SECRET_ARN)).toContain(
      ':secret:expiry-alerts/slack-webhook',
    );
    const [failuresId] = only(template, 'AWS::SQS::Queue', 'SlackFailedDeliveries');
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: slackId },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [failuresId, 'Arn'] } } },
    });
  });

  it('is subscribed to the alert topic as the route default (no digested events), with a dead-letter queue', () => {
    const template = stackOf(full);
    const [slackId] = only(template, 'AWS::Lambda::Function', SLACK);
    const [undeliveredId] = only(template, 'AWS::SQS::Queue', 'SlackUndeliveredMessages');
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      Endpoint: { 'Fn::GetAtt': [slackId, 'Arn'] },
      TopicArn: { Ref: Match.stringLikeRegexp('^TopicsAlerts') },
      FilterPolicy: { route: ['*', 'default'] },
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [undeliveredId, 'Arn'] } },
    });
  });
});

describe('alarms', () => {
  const alarmsOf = (template: Template) =>
    resources(template, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);

  it('watch every dead-letter queue, each function errors and throttles, old work, the key and the heartbeat', () => {
    expect(alarmsOf(stackOf(defaults))).toHaveLength(4 + 4 * 2 + 3);
    expect(alarmsOf(stackOf(full))).toHaveLength(6 + 5 * 2 + 3);
    const template = stackOf(full);
    for (const [queueId] of resources(template, 'AWS::SQS::Queue').filter(
      ([id]) => !id.startsWith('AlertsWorkQueue'),
    )) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    }
    // The test function runs only by hand, and says itself when it fails.
    const alarmed = resources(template, 'AWS::Lambda::Function').filter(
      ([id]) => !id.startsWith('TestAlert'),
    );
    for (const [functionId] of alarmed) {
      for (const metric of ['Errors', 'Throttles']) {
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          MetricName: metric,
          Namespace: 'AWS/Lambda',
          Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionId } }],
        });
      }
    }
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateAgeOfOldestMessage',
      Dimensions: [
        {
          Name: 'QueueName',
          Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AlertsWorkQueue'), 'QueueName'] },
        },
      ],
      Threshold: 3600,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });

  it('fire when CertCentral refuses the key', () => {
    stackOf(defaults).hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'ExpiryAlerts',
      MetricName: 'CertCentralKeyRefused',
      Dimensions: [{ Name: 'service', Value: 'expiry-alerts' }],
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it('fire when no scan succeeded for the longest gap between two scheduled scans plus 2 hours', () => {
    for (const [synthesized, schedule, hours] of [
      [defaults, 'cron(0 6 * * ? *)', 26],
      [full, 'rate(12 hours)', 14],
      [emails, WEEKDAYS, 74],
    ] as const) {
      const template = stackOf(synthesized);
      expect(only(template, 'AWS::Events::Rule', 'ScanSchedule')[1].Properties.ScheduleExpression).toBe(
        schedule,
      );
      const heartbeat = alarmsOf(template).find((alarm) => alarm.MetricName === 'ScanSucceeded');
      expect(heartbeat).toMatchObject({
        Namespace: 'ExpiryAlerts',
        Dimensions: [{ Name: 'service', Value: 'expiry-alerts' }],
        Statistic: 'Sum',
        ComparisonOperator: 'LessThanThreshold',
        Threshold: 1,
        TreatMissingData: 'breaching',
      });
      const period = heartbeat?.Period as number;
      const evaluationPeriods = heartbeat?.EvaluationPeriods as number;
      expect(period * evaluationPeriods, schedule).toBe(hours * 3600);
      expect(heartbeat?.DatapointsToAlarm).toBe(evaluationPeriods);
      // PutMetricAlarm: periods of an hour or more may span 7 days, shorter ones only one.
      expect(period).toBeGreaterThanOrEqual(3600);
      expect(period * evaluationPeriods).toBeLessThanOrEqual(7 * 86400);
    }
  });

  it('refuse a schedule whose gaps are longer than CloudWatch can watch, naming it, before building anything', () => {
    const build = (schedule: string) => () =>
      parseStackConfig((key) => (key === 'schedule' ? schedule : undefined));
    expect(build('cron(0 6 ? * MON *)')).toThrow(
      /schedule: "cron\(0 6 \? \* MON \*\)" leaves up to 7 days between two scans/,
    );
  });

  it("notify the stack's alarm topic, or the ops topic from the context", () => {
    const [alarmTopicId] = only(stackOf(defaults), 'AWS::SNS::Topic', 'TopicsAlarms');
    for (const alarm of alarmsOf(stackOf(defaults)))
      expect(alarm.AlarmActions).toEqual([{ Ref: alarmTopicId }]);
    for (const alarm of alarmsOf(stackOf(full))) expect(alarm.AlarmActions).toEqual([OPS_TOPIC_ARN]);
  });
});

describe('deployability', () => {
  const NAME_PROPERTIES = [
    'Name',
    'TableName',
    'TopicName',
    'QueueName',
    'FunctionName',
    'RoleName',
    'LogGroupName',
    'AlarmName',
  ];

  it('leaves every name to CloudFormation except the API key secret the user puts the key in', () => {
    for (const synthesized of [defaults, full, emails]) {
      for (const [id, resource] of Object.entries(
        stackOf(synthesized).toJSON().Resources as Record<string, Resource>,
      )) {
        const hardCoded = NAME_PROPERTIES.filter(
          (property) => typeof resource.Properties?.[property] === 'string',
        );
        expect(hardCoded, id).toEqual(resource.Type === 'AWS::SecretsManager::Secret' ? ['Name'] : []);
      }
    }
  });

  it('synthesizes a second copy in the same app that shares the API key secret instead of creating it again', () => {
    const copy = defaults.templates.ExpiryAlertsCopy;
    expect(copy).toBeDefined();
    copy?.resourceCountIs('AWS::SecretsManager::Secret', 0);
    copy?.resourceCountIs('AWS::DynamoDB::Table', 2);
  });

  it('outputs what the deploy guide needs', () => {
    const outputs = Object.keys(stackOf(full).toJSON().Outputs as object);
    expect(outputs).toEqual(
      expect.arrayContaining([
        'AlertTopicArn',
        'AlarmTopicArn',
        'ApiKeySecretName',
        'StateTableName',
        'DigestTableName',
        'ScanFunctionName',
        'WorkQueueUrl',
        'WorkDeadLetterQueueUrl',
        'ScanScheduleDeadLetterQueueUrl',
        'DigestScheduleDeadLetterQueueUrl',
        'SlackFailedDeliveriesDeadLetterQueueUrl',
        'SlackUndeliveredDeadLetterQueueUrl',
      ]),
    );
  });
});
