/**
 * Reference data the simulated accounts are made of: products, containers, organizations, people,
 * subaccounts and CSRs. Shared by every order that uses them, so a 100,000-order account stays small.
 */
import type {
  SimContact,
  SimContainer,
  SimMetadataField,
  SimOrganization,
  SimProduct,
  SimSubaccount,
  SimUser,
} from './account.ts';

export const PRODUCTS = {
  standard: {
    id: 1,
    nameId: 'ssl_plus',
    name: 'Standard SSL',
    type: 'ssl_certificate',
    validationType: 'ov',
  },
  wildcard: {
    id: 2,
    nameId: 'ssl_wildcard',
    name: 'WildCard',
    type: 'ssl_certificate',
    validationType: 'ov',
  },
  multiDomain: {
    id: 3,
    nameId: 'ssl_multi_domain',
    name: 'Multi-Domain SSL',
    type: 'ssl_certificate',
    validationType: 'ov',
  },
  secureSite: {
    id: 4,
    nameId: 'ssl_securesite',
    name: 'Secure Site SSL',
    type: 'ssl_certificate',
    validationType: 'ov',
  },
  ev: { id: 5, nameId: 'ssl_ev_plus', name: 'EV SSL', type: 'ssl_certificate', validationType: 'ev' },
  basicDv: {
    id: 6,
    nameId: 'ssl_dv_geotrust',
    name: 'GeoTrust Standard DV',
    type: 'ssl_certificate',
    validationType: 'dv',
  },
} as const satisfies Record<string, SimProduct>;

/** A client certificate, for accounts that exclude non-TLS products (not among the generated products). */
export const CLIENT_PRODUCT: SimProduct = {
  id: 7,
  nameId: 'client_premium',
  name: 'Premium Client',
  type: 'client_certificate',
  validationType: 'ov',
};

export const CONTAINERS: readonly SimContainer[] = [
  { id: 15, name: 'History Department' },
  { id: 112233, name: 'Will Smith' },
  { id: 2001, name: 'Web Platform' },
  { id: 2002, name: 'Finance, Legal & Compliance' },
  { id: 2003, name: 'EMEA Operations' },
];

export const ORGANIZATIONS: readonly SimOrganization[] = [
  {
    id: 221133,
    name: 'Real Organization',
    assumedName: 'Real Organization',
    address1: '123 Fake Street',
    address2: '',
    city: 'Lehi',
    state: 'Utah',
    country: 'us',
    unit: 'IT department',
  },
  {
    id: 112233,
    name: 'Epigyne Unwieldiness llc',
    assumedName: 'Epigyne Unwieldiness',
    address1: '55 Nicollet Mall',
    address2: 'Suite 400',
    city: 'Minneapolis',
    state: 'mn',
    country: 'us',
    unit: 'Not Fake Company Inc.',
  },
  {
    id: 334455,
    name: 'Real Organization, LLC',
    assumedName: 'Real Organization',
    address1: '2801 N Thanksgiving Way',
    address2: '',
    city: 'Lehi',
    state: 'Utah',
    country: 'us',
    unit: 'Sales department',
  },
  {
    id: 445566,
    name: 'Example Widgets "Nord" GmbH',
    assumedName: 'Example Widgets',
    address1: 'Musterstraße 1',
    address2: '3. OG',
    city: 'Berlin',
    state: 'Berlin',
    country: 'de',
    unit: 'Platform Engineering',
  },
];

export const CONTACTS: readonly SimContact[] = [
  {
    firstName: 'Gia',
    lastName: 'Booth',
    email: 'gia.booth@example.com',
    jobTitle: 'Clinical Laboratory Technician',
    telephone: '666-186-6450',
  },
  {
    firstName: 'Will',
    lastName: 'Smith',
    email: 'will.smith@example.com',
    jobTitle: 'Fresh Prince',
    telephone: '8015555555',
  },
  {
    firstName: 'Ana',
    lastName: "O'Neill",
    email: 'ana.oneill@example.org',
    jobTitle: 'Site Reliability Engineer',
    telephone: '+49 30 1234567',
  },
  {
    firstName: 'Kenji',
    lastName: 'Sato',
    email: 'kenji.sato@example.net',
    jobTitle: 'Network Administrator',
    telephone: '+81 3-1234-5678',
  },
];

export const USERS: readonly SimUser[] = [
  { id: 44, firstName: 'John', lastName: 'Smith', email: 'john.smith@example.com' },
  { id: 123123, firstName: 'Will', lastName: 'Smith', email: 'will.smith@example.com' },
  { id: 257107, firstName: 'Jill', lastName: 'Valentine', email: 'jill.valentine@example.org' },
];

/** Three immediate subaccounts (one whose orders the order endpoint refuses with 403) and a sub-subaccount. */
export const SUBACCOUNTS: readonly SimSubaccount[] = [
  {
    accountId: 123445,
    accountType: 'enterprise',
    organizationName: 'Sub account organization',
    immediate: true,
    orderEndpointStatus: 404,
  },
  {
    accountId: 123446,
    accountType: 'retail',
    organizationName: 'Northwind Reseller Ltd',
    immediate: true,
    orderEndpointStatus: 404,
  },
  {
    accountId: 123447,
    accountType: 'enterprise',
    organizationName: 'Contoso Partner Services',
    immediate: true,
    orderEndpointStatus: 403,
  },
  {
    accountId: 223448,
    accountType: 'enterprise',
    organizationName: 'Fabrikam Sub-Subaccount',
    immediate: false,
    orderEndpointStatus: 404,
  },
];

export const METADATA_SAMPLES: readonly (readonly SimMetadataField[])[] = [
  [],
  [{ id: 12, label: 'Invoice #', value: '123456' }],
  [
    { id: 12, label: 'Invoice #', value: '884213' },
    { id: 14, label: 'Cost center', value: 'CC-7, "Web" team' },
  ],
];

export const DOMAINS: readonly string[] = [
  'example.com',
  'example.net',
  'example.org',
  'shop.example.com',
  'eu.example.net',
  'intranet.example.org',
];

export const HOST_LABELS: readonly string[] = [
  'www',
  'api',
  'mail',
  'portal',
  'vpn',
  'cdn',
  'auth',
  'billing',
  'status',
  'docs',
  'git',
  'grafana',
  'payments',
  'sso',
  'static',
];

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** A PEM CSR of the usual size (about 1 KB of base64 in 64-character lines), the same for a given `n`. */
function pemRequest(n: number): string {
  let state = n;
  const lines: string[] = [];
  for (let line = 0; line < 16; line += 1) {
    let text = line === 0 ? 'MIIC' : '';
    while (text.length < (line === 15 ? 28 : 64)) {
      state = (state * 48_271) % 2_147_483_647;
      text += BASE64[state % 64];
    }
    lines.push(text);
  }
  return `-----BEGIN CERTIFICATE REQUEST-----\n${lines.join('\n')}\n-----END CERTIFICATE REQUEST-----\n`;
}

export const CSRS: readonly string[] = Array.from({ length: 8 }, (_, n) => pemRequest(n + 1));
