/**
 * Routes: which alerts reach which team. A route's filters (containers, organizations, products, severities)
 * each match when absent or when they list the event's value; a product matches by its name id or its type.
 * Values match exactly, case included, as SNS filter policies do.
 *
 * The same filters decide twice, and must agree: SNS applies them to each published alert (the route's
 * subscription filter policy, `routeFilterPolicy` in `infra/routes.ts`), and the digest function applies them to the
 * recorded events of a flood, so that each route's digest lists only that route's alerts.
 */
import type { NotificationEvent, Severity } from './model.ts';

/**
 * The routes the short form (`notifyEmails`, `slackWebhookSecretName`) makes: `default` (every alert) and
 * `default-<severities>`. People did not name them, so digests and summaries addressed to them do not name
 * them either; a configured route may not take such a name.
 */
export const SHORT_FORM_ROUTE = 'default';

export function isShortFormRoute(name: string): boolean {
  return name === SHORT_FORM_ROUTE || name.startsWith(`${SHORT_FORM_ROUTE}-`);
}

/** The route's name as people should read it in a subject or a text: none for the short form's routes. */
export function routeLabel(route: string | null): string | null {
  return route === null || isShortFormRoute(route) ? null : route;
}

/** A route's filters, without its subscribers: what the digest function and the test function are given. */
export interface RouteFilter {
  name: string;
  containers: readonly string[] | null;
  organizations: readonly string[] | null;
  /** Product name ids (`ssl_plus`) or product types (`ssl_certificate`). */
  products: readonly string[] | null;
  severities: readonly Severity[] | null;
}

/** The SNS message attribute that addresses a message to routes. */
export const ROUTE_ATTRIBUTE = 'route';
/** An individual alert is addressed to every route whose filters match it. */
export const EVERY_ROUTE = '*';

const matchesList = (list: readonly string[] | null, ...values: string[]): boolean =>
  list === null || values.some((value) => list.includes(value));

/** What a route filters on: an alert's, or a certificate's in the weekly summary. */
export type Routable = Pick<NotificationEvent, 'container' | 'organization' | 'product' | 'severity'>;

/** Does the route's filter let this event (or certificate) through? */
export function routeMatches(route: RouteFilter, event: Routable): boolean {
  return (
    matchesList(route.containers, event.container) &&
    matchesList(route.organizations, event.organization) &&
    matchesList(route.products, event.product.nameId, event.product.type) &&
    matchesList(route.severities, event.severity)
  );
}
