import {
  type MessageAttributeValue,
  PublishCommand,
  type PublishCommandInput,
  type SNSClient,
} from '@aws-sdk/client-sns';
import { parseTopicArn } from '../config/sns-topic-arn.ts';
import { byUrgency } from '../core/digest.ts';
import type { AlertDigest, Delivery, NotificationEvent } from '../core/model.ts';
import type { Notifier } from '../core/ports.ts';
import { EVERY_ROUTE, ROUTE_ATTRIBUTE } from '../core/routes.ts';
import { alertSubject, alertText, asciiSubject, digestSubject, digestText } from './alert-text.ts';
import { type DeliveredEvent, fitEvent } from './event-fit.ts';
import { worstSeverity } from './severity.ts';
import { publishSize, SNS_MESSAGE_LIMIT_BYTES } from './sns-size.ts';

/**
 * In a digest, an alert whose JSON is larger than this is cut first (its DNS names, then its long texts), so
 * that one huge certificate cannot push every other alert out of the digest.
 */
const DIGEST_ALERT_MAX_BYTES = 16_384;

/** SNS refuses empty attribute values. */
const NO_VALUE = '(none)';

function text(value: string): MessageAttributeValue {
  return { DataType: 'String', StringValue: value || NO_VALUE };
}

/**
 * Per-protocol bodies: email gets readable text. Every other protocol (sqs, lambda, http/s, email-json,
 * firehose) falls back to `default`, the JSON, so it is not repeated under each key: that would count
 * against the size limit once per copy.
 */
function message(json: string, emailText: string): string {
  return JSON.stringify({ default: json, email: emailText });
}

/** A list attribute: a filter policy value matches it when it matches any of its items. */
function list(values: readonly string[]): MessageAttributeValue {
  const items = [...new Set(values.filter((value) => value !== ''))];
  return { DataType: 'String.Array', StringValue: JSON.stringify(items.length > 0 ? items : [NO_VALUE]) };
}

/**
 * The attributes that subscriptions filter on (at most 10, what SQS raw delivery passes on). `route` addresses
 * the message: `*` for an individual alert (every route whose filters match it), a route's name for its digest
 * or test alert; digested events have none, so that only subscribers without a route's filter get them.
 * `products` holds the product's name id and type, so that one route filter matches either.
 */
function eventInput(
  topicArn: string,
  event: DeliveredEvent,
  delivery: Delivery,
  route: string | null,
): PublishCommandInput {
  const attributes: Record<string, MessageAttributeValue> = {
    type: text(event.type),
    severity: text(event.severity),
    container: text(event.container),
    organization: text(event.organization),
    product: text(event.product.nameId),
    productType: text(event.product.type),
    products: list([event.product.nameId, event.product.type]),
    delivery: text(delivery),
  };
  if (event.threshold !== null) {
    attributes.threshold = { DataType: 'Number', StringValue: String(event.threshold) };
  }
  if (route !== null) attributes[ROUTE_ATTRIBUTE] = text(route);
  return {
    TopicArn: topicArn,
    MessageStructure: 'json',
    Subject: alertSubject(event, 'ascii'),
    Message: message(JSON.stringify(event), alertText(event)),
    MessageAttributes: attributes,
  };
}

function digestInput(topicArn: string, digest: AlertDigest): PublishCommandInput {
  return {
    TopicArn: topicArn,
    MessageStructure: 'json',
    Subject: asciiSubject(digestSubject(digest)),
    Message: message(JSON.stringify(digest), digestText(digest)),
    MessageAttributes: {
      type: text('digest'),
      severity: text(worstSeverity(digest)),
      delivery: text('digest'),
      ...(digest.route === null ? {} : { [ROUTE_ATTRIBUTE]: text(digest.route) }),
    },
  };
}

/**
 * The digest as one publish within the SNS limit: when all alerts do not fit, the most urgent ones that do
 * are kept; `total` and `bySeverity` still count every alert, so the text ends each group with "… and N more".
 */
function fittedDigestInput(topicArn: string, digest: AlertDigest): PublishCommandInput {
  const alerts = [...digest.alerts].sort(byUrgency).map(fittedDigestAlert);
  const withFirst = (count: number) => digestInput(topicArn, { ...digest, alerts: alerts.slice(0, count) });

  const complete = withFirst(alerts.length);
  if (fitsSns(complete)) return complete;
  let fitting = 0;
  let tooMany = alerts.length;
  while (tooMany - fitting > 1) {
    const middle = Math.floor((fitting + tooMany) / 2);
    if (fitsSns(withFirst(middle))) fitting = middle;
    else tooMany = middle;
  }
  return withFirst(fitting);
}

function fitsSns(input: PublishCommandInput): boolean {
  return publishSize(input) <= SNS_MESSAGE_LIMIT_BYTES;
}

/** One event as one publish within the SNS limit: cut (and marked `truncated`) only when it would not fit. */
export function fittedEventInput(
  topicArn: string,
  event: NotificationEvent,
  delivery: Delivery,
  route: string | null = null,
): PublishCommandInput {
  return eventInput(
    topicArn,
    fitEvent(event, (candidate) => fitsSns(eventInput(topicArn, candidate, delivery, route))),
    delivery,
    route,
  );
}

function fittedDigestAlert(alert: NotificationEvent): DeliveredEvent {
  const fitsInDigest = (candidate: DeliveredEvent) =>
    Buffer.byteLength(JSON.stringify(candidate)) <= DIGEST_ALERT_MAX_BYTES;
  return fitEvent(alert, fitsInDigest);
}

/** Publishes alerts to an SNS topic: readable text for email, the JSON event for every other subscriber. */
export class SnsNotifier implements Notifier {
  constructor(
    private readonly sns: SNSClient,
    private readonly topicArn: string,
  ) {
    parseTopicArn(topicArn, 'snsTopicArn');
  }

  async send(event: NotificationEvent, delivery: Delivery): Promise<void> {
    const route = delivery === 'individual' ? EVERY_ROUTE : null;
    await this.sns.send(new PublishCommand(fittedEventInput(this.topicArn, event, delivery, route)));
  }

  /** An event for one route only, whatever its filters say (a test alert): `route` is the route's name. */
  async sendToRoute(event: NotificationEvent, route: string): Promise<void> {
    await this.sns.send(new PublishCommand(fittedEventInput(this.topicArn, event, 'individual', route)));
  }

  async sendDigest(digest: AlertDigest): Promise<void> {
    await this.sns.send(new PublishCommand(fittedDigestInput(this.topicArn, digest)));
  }
}
