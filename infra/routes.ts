/**
 * Routes: which team hears of which certificate. The `routes` context key is a JSON list (in cdk.json, or a JSON
 * string with `-c routes='[…]'`) of
 *
 *   { "name": "web", "emails": ["web@example.com"], "slackWebhookSecretName": "expiry-alerts/slack-web",
 *     "containers": ["Web Team"], "organizations": ["Acme Ltd"], "products": ["ssl_plus", "ssl_certificate"],
 *     "severities": ["warning", "critical"] }
 *
 * Every filter is optional (absent: everything); a route has at least one email or a Slack secret.
 * `notifyEmails` and `slackWebhookSecretName` stay as the short form: routes named `default` (every alert) and
 * `default-<severities>` for addresses with a severity filter.
 *
 * Each route becomes one SNS subscription filter policy, given to each of its subscriptions (its addresses and
 * its Slack notifier): individual alerts (`route=*`) that match its filters, or messages addressed to it by
 * name (its digest, its test alert). The policy is checked against SNS's limits here, at synth, so that a
 * deployment never fails half-way on a policy SNS refuses.
 */
import { z } from 'zod';
import { ConfigError } from '../functions/core/config.ts';
import type { Severity } from '../functions/core/model.ts';
import {
  EVERY_ROUTE,
  isShortFormRoute,
  ROUTE_ATTRIBUTE,
  type RouteFilter,
  SHORT_FORM_ROUTE,
} from '../functions/core/routes.ts';

/** A route: who is told (addresses, a Slack webhook's secret) and of what (its filters). */
export interface RouteConfig extends RouteFilter {
  emails: readonly string[];
  slackWebhookSecretName: string | null;
}

/** One address of the short form `notifyEmails`, optionally only for some severities. */
export interface ShortFormEmail {
  address: string;
  severities: readonly Severity[] | null;
}

/** SNS: at most 150 combinations of values in a filter policy (the product of each list's length, summed over `$or`). */
export const SNS_FILTER_POLICY_COMBINATIONS = 150;
/** SNS: a filter policy of at most 256 KB. */
const SNS_FILTER_POLICY_BYTES = 262_144;
/** SNS: by default at most 200 filter policies per topic. */
export const SNS_FILTER_POLICIES_PER_TOPIC = 200;
/** What the routes' filters may take of a function's environment (Lambda allows 4 KB for all of it). */
export const ROUTE_FILTERS_ENV_BYTES = 3072;

const SEVERITIES: readonly Severity[] = ['info', 'warning', 'critical'];
const ROUTE_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const ROUTE_NAME_MAX = 40;
const FILTER_VALUE_MAX = 256;
const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
export const EMAIL =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

const ROUTE_KEYS = [
  'name',
  'emails',
  'slackWebhookSecretName',
  'containers',
  'organizations',
  'products',
  'severities',
] as const;

const listOf = <T extends z.ZodType<string>>(item: T) =>
  z
    .array(item, { error: 'is not a list of strings' })
    .min(1, { error: 'is an empty list: leave the key out to match everything' });

const filterValue = z
  .string({ error: 'is not a list of strings' })
  .min(1, { error: 'has an empty string' })
  .max(FILTER_VALUE_MAX, { error: `has a value longer than ${FILTER_VALUE_MAX} characters` });

const routeSchema = z.strictObject({
  name: z
    .string({ error: 'is not a string' })
    .max(ROUTE_NAME_MAX, { error: `is longer than ${ROUTE_NAME_MAX} characters` })
    .regex(ROUTE_NAME, {
      error: 'is not a route name (lowercase letters, digits and single hyphens: web-team)',
    })
    .refine((name) => !isShortFormRoute(name), {
      error: `is reserved for the routes of notifyEmails and slackWebhookSecretName (${SHORT_FORM_ROUTE}, ${SHORT_FORM_ROUTE}-…): choose another name`,
    }),
  emails: listOf(
    z
      .string({ error: 'is not a list of strings' })
      .regex(EMAIL, { error: 'has an entry that is not an email address' }),
  ).optional(),
  slackWebhookSecretName: z
    .string({ error: 'is not a string' })
    .regex(SECRET_NAME, {
      error: 'is not a Secrets Manager secret name (1-512 of A-Z a-z 0-9 / _ + = . @ -)',
    })
    .optional(),
  containers: listOf(filterValue).optional(),
  organizations: listOf(filterValue).optional(),
  products: listOf(filterValue).optional(),
  severities: listOf(
    z.enum(['info', 'warning', 'critical'], {
      error: `has an entry that is not one of ${SEVERITIES.join(', ')}`,
    }),
  ).optional(),
});

type RouteInput = z.infer<typeof routeSchema>;

/** `routes, route "web", key "emails"`: where a bad value is. */
function where(index: number, name: unknown, key?: string): string {
  const route = typeof name === 'string' && name !== '' ? `route "${name}"` : `route at index ${index}`;
  return `routes, ${route}${key ? `, key "${key}"` : ''}`;
}

const unique = <T>(values: readonly T[]): T[] => [...new Set(values)];

/** A filter that lists every severity is no filter. */
function severityFilter(severities: readonly Severity[] | undefined): Severity[] | null {
  if (!severities) return null;
  const listed = SEVERITIES.filter((severity) => severities.includes(severity));
  return listed.length === SEVERITIES.length ? null : listed;
}

function toRoute(input: RouteInput): RouteConfig {
  return {
    name: input.name,
    emails: unique(input.emails ?? []),
    slackWebhookSecretName: input.slackWebhookSecretName ?? null,
    containers: input.containers ? unique(input.containers) : null,
    organizations: input.organizations ? unique(input.organizations) : null,
    products: input.products ? unique(input.products) : null,
    severities: severityFilter(input.severities),
  };
}

function parseOne(value: unknown, index: number): RouteConfig {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(where(index, null), value, 'is not an object: { "name": …, "emails": […], … }');
  }
  const name = (value as Record<string, unknown>).name;
  const parsed = routeSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue?.code === 'unrecognized_keys') {
      const key = issue.keys[0] ?? '';
      throw new ConfigError(
        where(index, name, key),
        (value as Record<string, unknown>)[key],
        `is not a route key: use ${ROUTE_KEYS.join(', ')}`,
      );
    }
    const key = String(issue?.path[0] ?? 'name');
    const given = (value as Record<string, unknown>)[key];
    if (given === undefined) throw new ConfigError(where(index, name, key), value, `has no "${key}"`);
    throw new ConfigError(where(index, name, key), given, issue?.message ?? 'is not valid');
  }
  const route = toRoute(parsed.data);
  if (route.emails.length === 0 && route.slackWebhookSecretName === null) {
    throw new ConfigError(
      where(index, route.name),
      value,
      'tells nobody: give it "emails", a "slackWebhookSecretName", or both',
    );
  }
  return route;
}

/** The `routes` context value: a JSON list, or that list as a JSON string (`-c routes='[…]'`). */
export function parseRoutes(value: unknown, source = 'routes'): RouteConfig[] {
  let list = value;
  if (typeof value === 'string') {
    if (value.trim() === '') return [];
    try {
      list = JSON.parse(value);
    } catch {
      throw new ConfigError(
        source,
        value,
        'is not JSON: a list of routes, [{ "name": "web", "emails": [ … ] }]',
      );
    }
  }
  if (!Array.isArray(list)) {
    throw new ConfigError(source, value, 'is not a list of routes: [{ "name": "web", "emails": [ … ] }]');
  }
  const routes = list.map(parseOne);
  const seen = new Map<string, number>();
  routes.forEach((route, index) => {
    if (seen.has(route.name)) {
      throw new ConfigError(where(index, route.name, 'name'), route.name, 'names two routes');
    }
    seen.set(route.name, index);
  });
  return routes;
}

/** The short form as routes: `default` (every alert, and the Slack secret) and one route per severity filter. */
export function shortFormRoutes(
  notifyEmails: readonly ShortFormEmail[],
  slackWebhookSecretName: string | null,
): RouteConfig[] {
  const bySeverities = new Map<string, { severities: Severity[] | null; emails: string[] }>();
  const everything = { severities: null, emails: [] as string[] };
  bySeverities.set(SHORT_FORM_ROUTE, everything);
  for (const { address, severities } of notifyEmails) {
    const filter = severityFilter(severities ?? undefined);
    const name = filter === null ? SHORT_FORM_ROUTE : `${SHORT_FORM_ROUTE}-${filter.join('-')}`;
    const route = bySeverities.get(name) ?? { severities: filter, emails: [] };
    route.emails.push(address);
    bySeverities.set(name, route);
  }
  return [...bySeverities]
    .filter(
      ([name, route]) => route.emails.length > 0 || (name === SHORT_FORM_ROUTE && slackWebhookSecretName),
    )
    .map(([name, route]) => ({
      name,
      emails: route.emails,
      slackWebhookSecretName: name === SHORT_FORM_ROUTE ? slackWebhookSecretName : null,
      containers: null,
      organizations: null,
      products: null,
      severities: route.severities,
    }));
}

/** `web-team` -> `WebTeam`: a route's part of construct ids and output names. */
export function routeId(name: string): string {
  return name
    .split('-')
    .map((part) => `${part.charAt(0).toUpperCase()}${part.slice(1)}`)
    .join('');
}

/** The SNS filter policy of a route's subscriptions (message attributes). */
export type FilterPolicy = Record<string, unknown>;

/**
 * Individual alerts (`route=*`) that match the route's filters, or anything addressed to the route by name (its
 * digest, its test alert). Without filters, one list does: `{"route": ["*", "web"]}`.
 */
export function routeFilterPolicy(route: RouteFilter): FilterPolicy {
  const filters: Record<string, readonly string[]> = {};
  if (route.containers) filters.container = route.containers;
  if (route.organizations) filters.organization = route.organizations;
  if (route.products) filters.products = route.products;
  if (route.severities) filters.severity = route.severities;
  if (Object.keys(filters).length === 0) return { [ROUTE_ATTRIBUTE]: [EVERY_ROUTE, route.name] };
  return {
    $or: [{ [ROUTE_ATTRIBUTE]: [EVERY_ROUTE], ...filters }, { [ROUTE_ATTRIBUTE]: [route.name] }],
  };
}

/** SNS's count: each `$or` branch multiplies its lists' lengths; the branches add up. */
export function filterPolicyCombinations(policy: FilterPolicy): number {
  const branch = (part: Record<string, unknown>): number => {
    let combinations = 1;
    for (const [key, value] of Object.entries(part)) {
      if (key === '$or' && Array.isArray(value)) {
        combinations *= value.reduce((sum: number, each) => sum + branch(each as Record<string, unknown>), 0);
      } else if (Array.isArray(value)) {
        combinations *= value.length;
      }
    }
    return combinations;
  };
  return branch(policy);
}

/** Attribute names per `$or` branch (SNS counts at most 5 keys in an attribute filter policy). */
function keysPerBranch(policy: FilterPolicy): number {
  const or = policy.$or;
  if (!Array.isArray(or)) return Object.keys(policy).length;
  return Math.max(...or.map((branch) => Object.keys(branch as object).length));
}

/**
 * Every route, the short form's first, checked together: names unique (the short form's too), an address in one
 * route only (SNS keeps one subscription per address and topic), each policy within SNS's limits, the count of
 * filtered subscriptions within the topic's, and the filters within what a function's environment holds.
 */
export function checkRoutes(routes: readonly RouteConfig[], filtersEnvBytes: number): void {
  const ids = new Map<string, string>();
  const addresses = new Map<string, string>();
  let subscriptions = 0;
  routes.forEach((route, index) => {
    const id = routeId(route.name);
    const sameId = ids.get(id);
    if (sameId !== undefined) {
      throw new ConfigError(
        where(index, route.name, 'name'),
        route.name,
        `makes the same resource names as route "${sameId}": choose names that differ by more than hyphens`,
      );
    }
    ids.set(id, route.name);
    for (const address of route.emails) {
      const other = addresses.get(address.toLowerCase());
      if (other !== undefined) {
        throw new ConfigError(
          where(index, route.name, 'emails'),
          address,
          `is in route "${other}" too: SNS subscribes an address to a topic once; use one route for it, or another address`,
        );
      }
      addresses.set(address.toLowerCase(), route.name);
    }
    const policy = routeFilterPolicy(route);
    const combinations = filterPolicyCombinations(policy);
    if (combinations > SNS_FILTER_POLICY_COMBINATIONS) {
      throw new ConfigError(
        where(index, route.name),
        sizes(route),
        `makes ${combinations} combinations of filter values (the lists' lengths multiplied, plus 1 for the route's own messages); SNS accepts at most ${SNS_FILTER_POLICY_COMBINATIONS} in a filter policy: shorten a list or split the route`,
      );
    }
    if (Buffer.byteLength(JSON.stringify(policy)) > SNS_FILTER_POLICY_BYTES || keysPerBranch(policy) > 5) {
      throw new ConfigError(where(index, route.name), sizes(route), 'makes a filter policy SNS refuses');
    }
    subscriptions += route.emails.length + (route.slackWebhookSecretName ? 1 : 0);
  });
  if (subscriptions > SNS_FILTER_POLICIES_PER_TOPIC) {
    throw new ConfigError(
      'routes',
      `${subscriptions} subscriptions`,
      `is more filtered subscriptions than SNS allows on a topic by default (${SNS_FILTER_POLICIES_PER_TOPIC}): use distribution lists`,
    );
  }
  if (filtersEnvBytes > ROUTE_FILTERS_ENV_BYTES) {
    throw new ConfigError(
      'routes',
      `${filtersEnvBytes} bytes of filters`,
      `is more than the ${ROUTE_FILTERS_ENV_BYTES} bytes the digest function's environment can hold (Lambda allows 4 KB): use fewer or shorter filter values`,
    );
  }
}

function sizes(route: RouteFilter): Record<string, number> {
  const lengths: Record<string, number> = {};
  for (const key of ['containers', 'organizations', 'products', 'severities'] as const) {
    const list = route[key];
    if (list) lengths[key] = list.length;
  }
  return lengths;
}
