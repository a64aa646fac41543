import { z } from 'zod';
import type { Contact, ReportOrder, ReportRecord } from '../core/model.ts';
import { isWatchedStatus } from '../core/order-status.ts';
import { describeIssues, isCalendarDate, isPositiveIntegerText } from './schema-fields.ts';

/** The report columns the alert rules cannot do without; a header lacking one is fatal. */
export const REQUIRED_COLUMNS = [
  'order_id',
  'status',
  'valid_till',
  'common_name',
  'is_renewed',
  'renewed_order_id',
  'has_duplicates',
] as const;

const text = z
  .string()
  .optional()
  .transform((value) => value?.trim() ?? '');

const flag = z
  .string()
  .trim()
  .refine((value) => value === '0' || value === '1', { error: 'is not 0 or 1' })
  .transform((value) => value === '1');

/** A column newer than the seed's header, or one an account may leave empty: absent or empty is 0 / off. */
const optionalFlag = z
  .string()
  .optional()
  .transform((value) => value?.trim() ?? '')
  .refine((value) => value === '' || value === '0' || value === '1', { error: 'is not 0 or 1' })
  .transform((value) => value === '1');

/** `auto_renew`: 0/1 in the seed, a count of renewals left in DigiCert's newer docs. */
const renewalCount = z
  .string()
  .optional()
  .transform((value) => value?.trim() ?? '')
  .refine((value) => value === '' || /^\d{1,6}$/.test(value), { error: 'is not a number of renewals' })
  .transform((value) => (value === '' ? 0 : Number(value)));

const rowSchema = z
  .object({
    order_id: z
      .string()
      .trim()
      .refine(isPositiveIntegerText, { error: 'is not a positive integer' })
      .transform(Number),
    status: z.string().trim().min(1, { error: 'is empty' }),
    valid_till: z
      .string()
      .trim()
      .refine((value) => value === '' || isCalendarDate(value), { error: 'is not a yyyy-MM-dd date' }),
    valid_from: z
      .string()
      .optional()
      .transform((value) => value?.trim() ?? '')
      .transform((value) => (isCalendarDate(value) ? value : '')),
    thumbprint: text,
    serial_number: text,
    disable_renewal_notifications: optionalFlag,
    auto_renew: renewalCount,
    common_name: z.string().trim(),
    is_renewed: flag,
    renewed_order_id: z
      .string()
      .trim()
      .refine((value) => value === '' || value === '0' || isPositiveIntegerText(value), {
        error: 'is not an order id',
      })
      .transform((value) => (value === '' || value === '0' ? null : Number(value))),
    has_duplicates: flag,
    dns_names: text,
    container_id: text,
    container_name: text,
    organization_name: text,
    product_name_id: text,
    product_name: text,
    product_type: text,
    tech_first_name: text,
    tech_last_name: text,
    tech_email: text,
  })
  .superRefine((row, context) => {
    if (isWatchedStatus(row.status) && row.valid_till === '') {
      context.addIssue({
        code: 'custom',
        message: `is empty on an order in status ${row.status}`,
        path: ['valid_till'],
      });
    }
  });

type ValidRow = z.output<typeof rowSchema>;

/** Validates one parsed CSV row (header name -> value) and keeps only what the alert rules need. */
export function toReportRecord(row: Record<string, string>, rowNumber: number): ReportRecord {
  const parsed = rowSchema.safeParse(row);
  if (!parsed.success) {
    return skippedRow(row, rowNumber, describeIssues(parsed.error, row));
  }
  return { kind: 'order', order: toReportOrder(parsed.data) };
}

export function skippedRow(
  row: Record<string, string> | null,
  rowNumber: number,
  reason: string,
): ReportRecord {
  const orderId = row?.order_id?.trim() ?? '';
  return { kind: 'skipped', skipped: { row: rowNumber, orderId: orderId === '' ? null : orderId, reason } };
}

function toReportOrder(row: ValidRow): ReportOrder {
  return {
    orderId: row.order_id,
    status: row.status,
    commonName: row.common_name,
    dnsNames: row.dns_names
      .split(',')
      .map((name) => name.trim())
      .filter((name) => name !== ''),
    validTill: row.valid_till === '' ? null : row.valid_till,
    validFrom: row.valid_from === '' ? null : row.valid_from,
    fingerprint: [
      row.status,
      row.valid_till,
      row.thumbprint,
      row.serial_number,
      row.has_duplicates ? 1 : 0,
    ].join('|'),
    disableRenewalNotifications: row.disable_renewal_notifications,
    autoRenew: row.auto_renew,
    containerId: isPositiveIntegerText(row.container_id) ? Number(row.container_id) : null,
    containerName: row.container_name,
    organizationName: row.organization_name,
    product: { nameId: row.product_name_id, name: row.product_name, type: row.product_type },
    isRenewed: row.is_renewed,
    renewedOrderId: row.renewed_order_id,
    hasDuplicates: row.has_duplicates,
    technicalContact: technicalContact(row),
  };
}

function technicalContact(row: ValidRow): Contact | null {
  if (row.tech_email === '') {
    return null;
  }
  const name = `${row.tech_first_name} ${row.tech_last_name}`.trim();
  return { role: 'technical', name, email: row.tech_email };
}
