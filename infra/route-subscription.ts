/**
 * Subscribes an endpoint to the alert topic with a route's filter policy. CDK's typed `filterPolicy` cannot say
 * `$or`, so the policy is set on the CloudFormation subscription itself. The subscription keeps the id CDK gives
 * it (`Topic.addSubscription`), so an address subscribed before routes existed keeps its confirmed subscription.
 */
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { RouteFilter } from '../functions/core/routes.ts';
import { routeFilterPolicy } from './routes.ts';

export function subscribeRoute(
  topic: sns.ITopic,
  subscriber: sns.ITopicSubscription,
  route: RouteFilter,
): sns.Subscription {
  const subscription = topic.addSubscription(subscriber);
  (subscription.node.defaultChild as sns.CfnSubscription).addPropertyOverride(
    'FilterPolicy',
    routeFilterPolicy(route),
  );
  return subscription;
}
