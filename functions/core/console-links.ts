/**
 * Links to the CertCentral console, where people act on an alert. CertCentral runs in two regions with their
 * own consoles: the US one (www.digicert.com) and CertCentral Europe (certcentral.digicert.eu). The account's
 * region is read from the API base URL; `consoleBaseUrl` overrides it.
 *
 * The order page's path (`<console>/orders/<id>`) follows the console's own order list (`/secure/orders`); it
 * could not be confirmed against DigiCert's current documentation, so a `consoleBaseUrl` holding `{orderId}` is
 * taken as the whole link, with the order id in its place.
 */
import { ConfigError } from './config.ts';

export const US_CONSOLE_URL = 'https://www.digicert.com/secure';
export const EUROPE_CONSOLE_URL = 'https://certcentral.digicert.eu/secure';
export const ORDER_ID_PLACEHOLDER = '{orderId}';

/** The console of the API base URL's region: CertCentral Europe for certcentral.digicert.eu, else the US one. */
export function regionConsoleUrl(apiBaseUrl: string): string {
  const host = URL.canParse(apiBaseUrl) ? new URL(apiBaseUrl).hostname : '';
  return host === 'certcentral.digicert.eu' || host.endsWith('.digicert.eu')
    ? EUROPE_CONSOLE_URL
    : US_CONSOLE_URL;
}

/** The console to link to: the configured one, or the API base URL's region's. */
export function consoleUrlFor(apiBaseUrl: string, configured: string | null): string {
  return configured ?? regionConsoleUrl(apiBaseUrl);
}

/** The order's page in the console. */
export function orderUrl(consoleUrl: string, orderId: number): string {
  return consoleUrl.includes(ORDER_ID_PLACEHOLDER)
    ? consoleUrl.replaceAll(ORDER_ID_PLACEHOLDER, String(orderId))
    : `${consoleUrl}/orders/${orderId}`;
}

/** The console's list of orders (where a test alert's button leads: its sample order does not exist). */
export function ordersListUrl(consoleUrl: string): string {
  if (!consoleUrl.includes(ORDER_ID_PLACEHOLDER)) return `${consoleUrl}/orders`;
  const { origin } = new URL(consoleUrl.replaceAll(ORDER_ID_PLACEHOLDER, '0'));
  return origin;
}

/**
 * An https URL (http only for loopback) without credentials; a query or a fragment only in a link template (one
 * that holds `{orderId}`).
 */
export function parseConsoleUrl(value: string, setting: string): string {
  const text = value.trim();
  const probe = text.replaceAll(ORDER_ID_PLACEHOLDER, '1');
  if (!URL.canParse(probe)) throw new ConfigError(setting, value, 'is not a URL');
  const url = new URL(probe);
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new ConfigError(setting, value, 'must be an https URL (http only for loopback)');
  }
  const template = text.includes(ORDER_ID_PLACEHOLDER);
  if (url.username || url.password || ((url.search || url.hash) && !template)) {
    throw new ConfigError(setting, value, 'must not carry credentials, a query or a fragment');
  }
  return text.replace(/\/+$/, '');
}
