/**
 * The JSON bodies of the order endpoints, shaped like the vendor's examples: order info (seed 000),
 * subaccount order info (seed 001) and the duplicate list (seed 003). `today` is the simulator's UTC date,
 * which `days_remaining` counts from.
 */
import type { SimContact, SimDuplicate, SimOrder, SimSubaccount } from './account.ts';
import { daysBetween, isoTimestamp } from './dates.ts';
import { publicIdOf, serialNumberOf, thumbprintOf } from './fingerprints.ts';

const SERVER_PLATFORM = {
  id: -1,
  name: 'OTHER',
  install_url: 'http://www.digicert.com/SSL-certificate-installation.htm',
  csr_url: 'http://www.digicert.com/csr-creation.htm',
};
const CA_CERT = { id: '1005', name: 'DigiCert Global G2 TLS RSA SHA256 2020 CA1' };
const KEY_SIZE = 2048;

const VALIDATION_NAMES = {
  dv: { validation_name: 'DV', validation_description: 'Domain Validation' },
  ov: { validation_name: 'OV', validation_description: 'Normal Organization Validation' },
  ev: { validation_name: 'EV', validation_description: 'Extended Organization Validation' },
} as const;

function contact(person: SimContact) {
  return {
    first_name: person.firstName,
    last_name: person.lastName,
    email: person.email,
    job_title: person.jobTitle,
    telephone: person.telephone,
    telephone_extension: '',
  };
}

/** `thumbprint` and `serial_number`, present once the certificate was issued. */
function issuedIdentity(certificateId: number, validTill: string | null) {
  return validTill === null
    ? {}
    : { thumbprint: thumbprintOf(certificateId), serial_number: serialNumberOf(certificateId) };
}

/** `valid_from`, `valid_till` and `days_remaining`, present once a certificate was issued. */
function validity(certificate: { validFrom: string | null; validTill: string | null }, today: string) {
  return certificate.validTill === null
    ? {}
    : {
        valid_from: certificate.validFrom,
        valid_till: certificate.validTill,
        days_remaining: daysBetween(today, certificate.validTill),
      };
}

/** DigiCert's Multi-year Plan fields (current docs; the seeds' examples predate them). */
function planFields(order: SimOrder) {
  return order.plan === null
    ? {}
    : {
        is_multi_year_plan: '1',
        order_valid_from: order.plan.orderValidFrom,
        order_valid_till: order.plan.orderValidTill,
        auto_reissue: order.plan.autoReissue ? 1 : 0,
      };
}

/** `GET /order/certificate/{id}`. */
export function orderInfo(order: SimOrder, today: string) {
  const { organization, product } = order;
  const pending = order.status === 'pending' || order.status === 'needs_approval';
  return {
    id: order.id,
    certificate: {
      id: order.certificateId,
      ...issuedIdentity(order.certificateId, order.validTill),
      common_name: order.commonName,
      dns_names: order.dnsNames,
      date_created: isoTimestamp(order.dateCreated),
      ...validity(order, today),
      csr: order.csr,
      organization: { id: organization.id },
      organization_units: [organization.unit],
      server_platform: SERVER_PLATFORM,
      signature_hash: 'sha256',
      key_size: KEY_SIZE,
      ca_cert: CA_CERT,
      user_id: order.user.id,
    },
    status: order.status,
    is_renewal: order.renewedOrderId !== null,
    is_renewed: order.isRenewed,
    ...(order.renewedOrderId === null ? {} : { renewed_order_id: order.renewedOrderId }),
    date_created: isoTimestamp(order.dateCreated),
    organization: {
      id: organization.id,
      name: organization.name,
      assumed_name: organization.assumedName,
      display_name: `${organization.name} (${organization.assumedName})`,
      city: organization.city,
      state: organization.state,
      country: organization.country,
    },
    validity_years: order.validityYears,
    disable_renewal_notifications: order.disableRenewalNotifications,
    auto_renew: order.autoRenew,
    ...planFields(order),
    container: { id: order.container.id, name: order.container.name, is_active: true },
    product: {
      name_id: product.nameId,
      name: product.name,
      type: product.type,
      validation_type: product.validationType,
      ...VALIDATION_NAMES[product.validationType],
      csr_required: true,
    },
    organization_contact: contact(order.technicalContact),
    technical_contact: contact(order.technicalContact),
    user: {
      id: order.user.id,
      first_name: order.user.firstName,
      last_name: order.user.lastName,
      email: order.user.email,
    },
    purchased_dns_names: order.dnsNames.length,
    requests: [
      {
        id: order.id + 200_000,
        date: isoTimestamp(order.dateCreated),
        type: 'new_request',
        status: pending ? 'pending' : 'approved',
        comments: '',
      },
    ],
    receipt_id: order.id + 400_000,
    public_id: publicIdOf(order.id),
    is_out_of_contract: false,
    payment_method: 'balance',
    product_name_id: product.nameId,
    custom_fields: order.metadata.map((field) => ({
      metadata_id: field.id,
      label: field.label,
      value: field.value,
    })),
    disable_issuance_email: false,
  };
}

/**
 * `GET /account/subaccount/order/{id}`: `certificate` and `organization` only for an immediate subaccount,
 * validity dates only once issued, no `days_remaining`.
 */
export function subaccountOrderInfo(order: SimOrder, subaccount: SimSubaccount) {
  const { organization } = order;
  const issued = order.validTill !== null;
  return {
    id: order.id,
    ...(subaccount.immediate
      ? {
          certificate: {
            id: order.certificateId,
            ...issuedIdentity(order.certificateId, order.validTill),
            common_name: order.commonName,
            dns_names: order.dnsNames,
            ...(issued ? { valid_from: order.validFrom, valid_till: order.validTill } : {}),
            organization_units: [organization.unit],
            signature_hash: 'sha256',
          },
          organization: {
            id: organization.id,
            name: organization.name,
            assumed_name: organization.assumedName,
            display_name: `${organization.name} (${organization.assumedName})`,
          },
        }
      : {}),
    subaccount: {
      account_id: subaccount.accountId,
      account_type: subaccount.accountType,
      organization_name: subaccount.organizationName,
    },
    product: { name_id: order.product.nameId, name: order.product.name, type: order.product.type },
    order_price: { cost: order.cost, currency: 'USD' },
    status: order.status,
    ...planFields(order),
    number_of_sans: order.dnsNames.length,
    date_created: isoTimestamp(order.dateCreated),
    ...(issued ? { date_issued: `${order.validFrom}T12:00:00+00:00` } : {}),
    validity_years: order.validityYears,
  };
}

function duplicateInfo(order: SimOrder, duplicate: SimDuplicate, index: number, today: string) {
  return {
    id: duplicate.id,
    ...issuedIdentity(duplicate.id, duplicate.validTill),
    common_name: duplicate.commonName,
    dns_names: duplicate.dnsNames,
    status: duplicate.status,
    date_created: isoTimestamp(duplicate.dateCreated),
    ...validity(duplicate, today),
    csr: order.csr,
    server_platform: SERVER_PLATFORM,
    signature_hash: 'sha256',
    key_size: KEY_SIZE,
    ca_cert_id: CA_CERT.id,
    sub_id: String(index + 111),
    public_id: publicIdOf(duplicate.id),
    archived: '0',
    user_id: order.user.id,
    firstname: order.user.firstName,
    lastname: order.user.lastName,
  };
}

/** `GET /order/certificate/{id}/duplicate`. */
export function duplicateList(order: SimOrder, today: string) {
  return {
    certificates: order.duplicates.map((duplicate, index) => duplicateInfo(order, duplicate, index, today)),
  };
}
