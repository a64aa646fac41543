import { Duration, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/**
 * A queue that keeps what could not be delivered or processed, for 14 days (the most SQS allows). SQS-managed
 * encryption, because EventBridge, SNS and Lambda destinations can all write to it without a key grant.
 */
export class DeadLetterQueue extends sqs.Queue {
  constructor(scope: Construct, id: string, description: string) {
    super(scope, id, {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: `${this.node.path} is itself the dead-letter queue for ${description}; an alarm watches it.`,
    });
  }
}
