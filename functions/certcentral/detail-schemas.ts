import { z } from 'zod';
import type { Contact, DuplicateCertificate, OrderDetail, Plan, Product } from '../core/model.ts';
import { CertCentralError, type Endpoint } from './errors.ts';
import { calendarDate, describeIssues, positiveId } from './schema-fields.ts';

const optionalText = z.string().nullish();

/** A yes/no as CertCentral writes one: `true`, `1`, `"1"` (and `false`, `0`, `"0"`, `""`). */
const looseFlag = z
  .union([z.boolean(), z.literal(0), z.literal(1), z.enum(['0', '1', '', 'true', 'false'])], {
    error: 'is not a yes/no flag (true/false, 0/1)',
  })
  .nullish()
  .transform((value) => value === true || value === 1 || value === '1' || value === 'true');

/** `auto_renew`: 0/1, or a count of renewals left. */
const renewalCount = z
  .union(
    [
      z.number().int().min(0),
      z
        .string()
        .regex(/^\d{1,6}$/)
        .transform(Number),
    ],
    {
      error: 'is not a number of renewals',
    },
  )
  .nullish()
  .transform((value) => value ?? 0);

const optionalDate = z.union([z.literal(''), calendarDate]).nullish();

const contactSchema = z.object({
  first_name: optionalText,
  last_name: optionalText,
  email: optionalText,
});

const productSchema = z.object({
  name_id: optionalText,
  name: optionalText,
  type: optionalText,
});

const certificateSchema = z.object({
  id: positiveId.nullish(),
  common_name: optionalText,
  dns_names: z.array(z.string()).nullish(),
  valid_from: optionalDate,
  valid_till: optionalDate,
});

const orderSchema = z.object({
  id: positiveId,
  status: z.string(),
  certificate: certificateSchema.nullish(),
  organization: z.object({ name: optionalText }).nullish(),
  container: z.object({ name: optionalText }).nullish(),
  product: productSchema.nullish(),
  technical_contact: contactSchema.nullish(),
  organization_contact: contactSchema.nullish(),
  // Multi-year Plans and automation (DigiCert's current docs; the seeds' examples lack them: all optional).
  is_multi_year_plan: looseFlag,
  order_valid_till: optionalDate,
  auto_renew: renewalCount,
  auto_reissue: looseFlag,
  disable_renewal_notifications: z
    .union([z.boolean(), z.literal(0), z.literal(1), z.enum(['0', '1'])])
    .nullish(),
});

const subaccountOrderSchema = orderSchema.extend({
  subaccount: z.object({ account_id: positiveId, organization_name: optionalText }),
});

const duplicatesSchema = z.object({
  certificates: z.array(
    z.object({
      id: positiveId,
      status: z.string(),
      common_name: optionalText,
      dns_names: z.array(z.string()).nullish(),
      valid_from: optionalDate,
      valid_till: optionalDate,
    }),
  ),
});

type OrderResponse = z.output<typeof orderSchema>;
type ContactResponse = z.output<typeof contactSchema>;

/** `GET /order/certificate/{id}` -> `OrderDetail`. */
export function toOrderDetail(json: unknown): OrderDetail {
  return normaliseOrder(validate(orderSchema, json, 'order'), null);
}

/** `GET /account/subaccount/order/{id}` -> `OrderDetail` naming the subaccount. */
export function toSubaccountOrderDetail(json: unknown): OrderDetail {
  const order = validate(subaccountOrderSchema, json, 'subaccountOrder');
  const { account_id, organization_name } = order.subaccount;
  return normaliseOrder(order, { accountId: account_id, organizationName: organization_name ?? '' });
}

/** `GET /order/certificate/{id}/duplicate` -> its certificates. */
export function toDuplicates(json: unknown): DuplicateCertificate[] {
  return validate(duplicatesSchema, json, 'duplicates').certificates.map((certificate) => ({
    id: certificate.id,
    status: certificate.status,
    commonName: certificate.common_name ?? '',
    dnsNames: certificate.dns_names ?? [],
    validFrom: certificate.valid_from || null,
    validTill: certificate.valid_till || null,
  }));
}

function validate<Schema extends z.ZodType>(
  schema: Schema,
  json: unknown,
  endpoint: Endpoint,
): z.output<Schema> {
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new CertCentralError(
      `CertCentral ${endpoint} response does not fit the expected shape: ${describeIssues(parsed.error, json)}`,
      { endpoint, status: 200, code: 'invalid_response' },
    );
  }
  return parsed.data;
}

function normaliseOrder(order: OrderResponse, subaccount: OrderDetail['subaccount']): OrderDetail {
  const { certificate } = order;
  return {
    orderId: order.id,
    status: order.status,
    certificateId: certificate?.id ?? null,
    commonName: certificate?.common_name ?? null,
    dnsNames: certificate?.dns_names ?? [],
    validTill: certificate?.valid_till || null,
    validFrom: certificate?.valid_from || null,
    organization: order.organization?.name ?? null,
    container: order.container?.name ?? null,
    product: order.product ? toProduct(order.product) : null,
    contacts: contacts([
      ['technical', order.technical_contact],
      ['organization', order.organization_contact],
    ]),
    subaccount,
    plan: planOf(order),
    disableRenewalNotifications:
      order.disable_renewal_notifications === undefined || order.disable_renewal_notifications === null
        ? null
        : order.disable_renewal_notifications === true ||
          order.disable_renewal_notifications === 1 ||
          order.disable_renewal_notifications === '1',
  };
}

/** The plan fields of an order; an order without them is not a Multi-year Plan. */
function planOf(order: OrderResponse): Plan {
  const multiYear = order.is_multi_year_plan;
  return {
    multiYear,
    orderValidTill: multiYear ? order.order_valid_till || null : null,
    autoRenew: order.auto_renew,
    autoReissue: multiYear && order.auto_reissue,
  };
}

function toProduct(product: z.output<typeof productSchema>): Product {
  return { nameId: product.name_id ?? '', name: product.name ?? '', type: product.type ?? '' };
}

/** Contacts with an email, first role wins when two share an address (CertCentral copies one into the other). */
function contacts(entries: [Contact['role'], ContactResponse | null | undefined][]): Contact[] {
  const byEmail = new Map<string, Contact>();
  for (const [role, contact] of entries) {
    const email = contact?.email?.trim() ?? '';
    const key = email.toLowerCase();
    if (email !== '' && !byEmail.has(key)) {
      const name = `${contact?.first_name ?? ''} ${contact?.last_name ?? ''}`.trim();
      byEmail.set(key, { role, name, email });
    }
  }
  return [...byEmail.values()];
}
