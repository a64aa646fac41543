import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../functions/core/config.ts';
import {
  consoleUrlFor,
  ordersListUrl,
  orderUrl,
  parseConsoleUrl,
  regionConsoleUrl,
} from '../../../functions/core/console-links.ts';

describe('links to the CertCentral console', () => {
  it("follow the account's region, read from the API base URL", () => {
    expect(regionConsoleUrl('https://www.digicert.com/services/v2')).toBe('https://www.digicert.com/secure');
    expect(regionConsoleUrl('https://certcentral.digicert.eu/services/v2')).toBe(
      'https://certcentral.digicert.eu/secure',
    );
    expect(regionConsoleUrl('http://127.0.0.1:8443/services/v2')).toBe('https://www.digicert.com/secure');
  });

  it('use a configured console instead, or a configured link template', () => {
    const eu = 'https://certcentral.digicert.eu/services/v2';

    expect(orderUrl(consoleUrlFor(eu, null), 42)).toBe('https://certcentral.digicert.eu/secure/orders/42');
    expect(orderUrl(consoleUrlFor(eu, 'https://console.example.test/secure'), 42)).toBe(
      'https://console.example.test/secure/orders/42',
    );
    const template = 'https://www.digicert.com/secure/orders/{orderId}/details#certificate';
    expect(orderUrl(template, 42)).toBe('https://www.digicert.com/secure/orders/42/details#certificate');
    expect(ordersListUrl(template)).toBe('https://www.digicert.com');
    expect(ordersListUrl('https://www.digicert.com/secure')).toBe('https://www.digicert.com/secure/orders');
  });

  it.each([
    ['not a URL', 'www digicert com'],
    ['plain http', 'http://www.digicert.com/secure'],
    ['credentials', 'https://user:pass@www.digicert.com/secure'],
    ['a query without {orderId}', 'https://www.digicert.com/secure?x=1'],
  ])('refuses %s, naming the setting', (_case, value) => {
    expect(() => parseConsoleUrl(value, 'consoleBaseUrl')).toThrow(ConfigError);
    expect(() => parseConsoleUrl(value, 'consoleBaseUrl')).toThrow(
      `consoleBaseUrl: ${JSON.stringify(value)}`,
    );
  });

  it('keeps a good console URL without its trailing slash', () => {
    expect(parseConsoleUrl('https://www.digicert.com/secure/', 'consoleBaseUrl')).toBe(
      'https://www.digicert.com/secure',
    );
  });
});
