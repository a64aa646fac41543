import { describe, expect, it } from 'vitest';
import { parseStackConfig, stackWarnings } from '../../infra/config.ts';
import { filterPolicyCombinations, parseRoutes, routeFilterPolicy } from '../../infra/routes.ts';
import { refusal } from '../support/refusal.ts';

const parse = (context: Record<string, unknown>) => parseStackConfig((key) => context[key]);

const web = { name: 'web', emails: ['web@example.com'], containers: ['Web Team'] };

describe('the routes context key', () => {
  it('takes a JSON list (cdk.json) or the same list as a JSON string (-c routes=…), every filter optional', () => {
    const routes = [
      web,
      { name: 'ops', slackWebhookSecretName: 'expiry-alerts/slack-ops', severities: ['critical'] },
    ];
    const expected = [
      {
        name: 'web',
        emails: ['web@example.com'],
        slackWebhookSecretName: null,
        containers: ['Web Team'],
        organizations: null,
        products: null,
        severities: null,
      },
      {
        name: 'ops',
        emails: [],
        slackWebhookSecretName: 'expiry-alerts/slack-ops',
        containers: null,
        organizations: null,
        products: null,
        severities: ['critical'],
      },
    ];

    expect(parseRoutes(routes)).toEqual(expected);
    expect(parseRoutes(JSON.stringify(routes))).toEqual(expected);
    expect(parseRoutes('')).toEqual([]);
  });

  it('reads a filter of every severity as no filter', () => {
    const [route] = parseRoutes([{ ...web, severities: ['critical', 'info', 'warning'] }]);

    expect(route?.severities).toBeNull();
  });

  it.each([
    [
      'an unknown key',
      [{ ...web, container: 'Web Team' }],
      'routes, route "web", key "container": "Web Team" is not a route key',
    ],
    [
      'a route that tells nobody',
      [{ name: 'web', containers: ['Web Team'] }],
      'routes, route "web": {"name":"web","containers":["Web Team"]} tells nobody',
    ],
    [
      'a bad address',
      [{ ...web, emails: ['web@'] }],
      'routes, route "web", key "emails": ["web@"] has an entry that is not an email address',
    ],
    [
      'a duplicate name',
      [web, { ...web, emails: ['other@example.com'] }],
      'routes, route "web", key "name": "web" names two routes',
    ],
    [
      'a filter that is one string',
      [{ ...web, containers: 'Web Team' }],
      'routes, route "web", key "containers": "Web Team" is not a list of strings',
    ],
    [
      'a filter with a number',
      [{ ...web, products: ['ssl_plus', 7] }],
      'routes, route "web", key "products": ["ssl_plus",7] is not a list of strings',
    ],
    [
      'an empty filter',
      [{ ...web, organizations: [] }],
      'routes, route "web", key "organizations": [] is an empty list',
    ],
    [
      'an unknown severity',
      [{ ...web, severities: ['urgent'] }],
      'routes, route "web", key "severities": ["urgent"] has an entry that is not one of info, warning, critical',
    ],
    [
      'a route without a name',
      [{ emails: ['a@example.com'] }],
      'routes, route at index 0, key "name": {"emails":["a@example.com"]} has no "name"',
    ],
    [
      'a name with a space',
      [{ ...web, name: 'web team' }],
      'routes, route "web team", key "name": "web team" is not a route name',
    ],
    ['a route that is not an object', [web, 'ops'], 'routes, route at index 1: "ops" is not an object'],
    ['a value that is not JSON', '[{name: web}]', 'routes: "[{name: web}]" is not JSON'],
    ['an object instead of a list', { web }, 'routes: {"web":'],
  ])('refuses %s, naming the route and the key', (_case, routes, message) => {
    const error = refusal(() => parse({ routes }));

    expect(error.message).toContain(message);
  });

  it('refuses a route whose filters exceed the 150 combinations SNS allows, naming the route', () => {
    const values = (prefix: string, count: number) =>
      Array.from({ length: count }, (_, i) => `${prefix}${i}`);
    const big = { ...web, containers: values('team-', 10), products: values('product-', 15) };

    // 10 containers × 14 products, plus the route's own messages: 141, accepted.
    expect(() => parse({ routes: [{ ...big, products: values('p', 14) }] })).not.toThrow();
    const error = refusal(() => parse({ routes: [big] }));
    expect(error.message).toContain(
      'routes, route "web": {"containers":10,"products":15} makes 151 combinations',
    );
  });

  it('refuses an address in two routes: SNS subscribes an address to a topic once', () => {
    const error = refusal(() => parse({ routes: [web, { name: 'ops', emails: ['WEB@example.com'] }] }));

    expect(error.message).toContain(
      'routes, route "ops", key "emails": "WEB@example.com" is in route "web" too',
    );
  });

  it("refuses a route named like one of the short form's (with or without it), and names that differ only by hyphens", () => {
    for (const [name, context] of [
      ['default-critical', { notifyEmails: 'ops@example.com:critical' }],
      ['default', {}],
      ['default-web', {}],
    ] as const) {
      expect(refusal(() => parse({ ...context, routes: [{ ...web, name }] })).message).toContain(
        `routes, route "${name}", key "name": "${name}" is reserved for the routes of notifyEmails and slackWebhookSecretName`,
      );
    }
    expect(
      refusal(() =>
        parse({
          routes: [
            { ...web, name: 'web-1' },
            { name: 'web1', emails: ['b@example.com'] },
          ],
        }),
      ).message,
    ).toContain('routes, route "web1", key "name": "web1" makes the same resource names as route "web-1"');
  });

  it("refuses filters the digest function's environment cannot hold", () => {
    const routes = Array.from({ length: 30 }, (_, index) => ({
      name: `team-${index}`,
      emails: [`team-${index}@example.com`],
      containers: [`A container with a rather long name for team number ${index}`],
      organizations: [`An organization with a long legal name, number ${index}`],
    }));

    expect(refusal(() => parse({ routes })).message).toMatch(
      /^routes: "\d+ bytes of filters" is more than the 3072 bytes/,
    );
  });
});

describe('route filter policies', () => {
  it('match individual alerts by the filters, or anything addressed to the route', () => {
    const [route] = parseRoutes([
      { ...web, severities: ['critical'], products: ['ssl_plus', 'ssl_certificate'] },
    ]);
    if (!route) throw new Error('no route');

    expect(routeFilterPolicy(route)).toEqual({
      $or: [
        {
          route: ['*'],
          container: ['Web Team'],
          products: ['ssl_plus', 'ssl_certificate'],
          severity: ['critical'],
        },
        { route: ['web'] },
      ],
    });
    expect(filterPolicyCombinations(routeFilterPolicy(route))).toBe(3);
  });

  it('are one list for a route without filters', () => {
    const [route] = parseRoutes([{ name: 'all', emails: ['all@example.com'] }]);
    if (!route) throw new Error('no route');

    expect(routeFilterPolicy(route)).toEqual({ route: ['*', 'all'] });
  });
});

describe('synthesis', () => {
  it('warns when nobody would be told anything, and not when someone is', () => {
    expect(stackWarnings(parse({}))).toEqual([expect.stringContaining('nobody will be told')]);
    expect(stackWarnings(parse({ routes: [web] }))).toEqual([]);
    expect(stackWarnings(parse({ slackWebhookSecretName: 'expiry-alerts/slack' }))).toEqual([]);
  });
});
