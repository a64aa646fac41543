/**
 * `GET /report/order` as the vendor writes it (seed 002): the seed's header in its order, every value in
 * double quotes with inner quotes doubled, multi-line CSRs, metadata fields joined by the byte 0x1f.
 */
import type { SimOrder } from './account.ts';
import { serialNumberOf, thumbprintOf } from './fingerprints.ts';

/** The account id the report shows for orders of the account itself. */
export const ACCOUNT_ID = 4_567_890;
const METADATA_SEPARATOR = '\x1f';
const ROWS_PER_CHUNK = 250;

const flag = (value: boolean): string => (value ? '1' : '0');
/** A value of the order's certificate, once issued. */
const certificate = (order: SimOrder, value: (certificateId: number) => string): string =>
  order.validTill === null ? '' : value(order.certificateId);

type Column = readonly [name: string, value: (order: SimOrder) => string | number];

const COLUMNS: readonly Column[] = [
  ['order_id', (o) => o.id],
  ['customer_order_id', () => ''],
  ['date_created', (o) => o.dateCreated],
  ['container_id', (o) => o.container.id],
  ['container_name', (o) => o.container.name],
  ['status', (o) => o.reportStatus ?? o.status],
  ['user_id', (o) => o.user.id],
  ['organization_id', (o) => o.organization.id],
  ['organization_name', (o) => o.organization.name],
  ['organization_address_1', (o) => o.organization.address1],
  ['organization_address_2', (o) => o.organization.address2],
  ['organization_city', (o) => o.organization.city],
  ['organization_state', (o) => o.organization.state],
  ['organization_country', (o) => o.organization.country],
  ['organization_unit', (o) => o.organization.unit],
  ['tech_first_name', (o) => o.technicalContact.firstName],
  ['tech_last_name', (o) => o.technicalContact.lastName],
  ['tech_email', (o) => o.technicalContact.email],
  ['tech_title', (o) => o.technicalContact.jobTitle],
  ['tech_telephone', (o) => o.technicalContact.telephone],
  ['server_type', () => -1],
  ['issuing_ca', (o) => certificate(o, () => 'DigiCert Global G2 TLS RSA SHA256 2020 CA1')],
  ['agreement_id', () => 41],
  ['validity_years', (o) => o.validityYears],
  ['signature_hash', () => 'sha256'],
  ['dcv_method', (o) => (o.product.validationType === 'dv' ? 'dns-txt-token' : '')],
  ['common_name', (o) => o.commonName],
  ['plus_feature', () => '0'],
  ['dns_names', (o) => o.dnsNames.join(',')],
  ['product_id', (o) => o.product.id],
  ['product_name_id', (o) => o.product.nameId],
  ['product_name', (o) => o.product.name],
  ['product_type', (o) => o.product.type],
  ['email', () => ''],
  ['csr', (o) => o.csr],
  ['valid_from', (o) => o.validFrom ?? ''],
  ['valid_till', (o) => o.validTill ?? ''],
  ['certificate_tracker_id', (o) => o.certificateId],
  ['is_renewed', (o) => flag(o.isRenewed)],
  // The seed writes "0" on orders that renew nothing.
  ['renewed_order_id', (o) => o.renewedOrderId ?? 0],
  ['receipt_id', (o) => o.id + 400_000],
  ['disable_issuance_email', () => '0'],
  ['pay_type', () => 'A'],
  ['is_out_of_contract', () => '0'],
  ['disable_renewal_notifications', (o) => flag(o.disableRenewalNotifications)],
  ['additional_emails', () => ''],
  ['auto_renew', (o) => o.autoRenew],
  ['custom_renewal_message', () => ''],
  ['thumbprint', (o) => certificate(o, thumbprintOf)],
  ['serial_number', (o) => certificate(o, serialNumberOf)],
  ['account_id', (o) => o.subaccount?.accountId ?? ACCOUNT_ID],
  ['user_first_name', (o) => o.user.firstName],
  ['user_last_name', (o) => o.user.lastName],
  ['user_email', (o) => o.user.email],
  ['user_assignments', (o) => o.user.id],
  ['cost', (o) => o.cost.toFixed(2)],
  [
    'metadata',
    (o) => o.metadata.flatMap((field) => [field.id, field.label, field.value]).join(METADATA_SEPARATOR),
  ],
  ['has_duplicates', (o) => flag(o.duplicates.length > 0)],
];

export const REPORT_HEADER = COLUMNS.map(([name]) => name).join(',');

function quote(value: string | number): string {
  if (typeof value === 'number') return `"${value}"`;
  return `"${value.includes('"') ? value.replaceAll('"', '""') : value}"`;
}

export function reportRow(order: SimOrder): string {
  const raw = order.rawReportCells;
  let row = '';
  for (const [name, value] of COLUMNS) {
    const cell = raw?.[name] ?? quote(value(order));
    row += row === '' ? cell : `,${cell}`;
  }
  return row;
}

/** The index in `orders` of the report's row number `offset` (0-based), skipping orders not in the report. */
function startOf(orders: readonly SimOrder[], offset: number): number {
  let skipped = 0;
  let index = 0;
  while (index < orders.length && (skipped < offset || !(orders[index] as SimOrder).inReport)) {
    if ((orders[index] as SimOrder).inReport) skipped += 1;
    index += 1;
  }
  return index;
}

/**
 * One page of the report, in chunks of a few hundred rows: the header, then the `limit` orders of the report
 * that follow the first `offset` ones.
 */
export function* reportPage(orders: readonly SimOrder[], offset: number, limit: number): Generator<string> {
  yield `${REPORT_HEADER}\n`;
  let index = startOf(orders, offset);
  let written = 0;
  let chunk = '';
  let chunkRows = 0;
  for (; index < orders.length && written < limit; index += 1) {
    const order = orders[index] as SimOrder;
    if (!order.inReport) continue;
    chunk += `${reportRow(order)}\n`;
    written += 1;
    chunkRows += 1;
    if (chunkRows === ROWS_PER_CHUNK) {
      yield chunk;
      chunk = '';
      chunkRows = 0;
    }
  }
  if (chunk !== '') yield chunk;
}
