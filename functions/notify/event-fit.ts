/**
 * An event cut to fit a channel's size limit (SNS: 256 KB per publish). The event contract only grows: a cut
 * event is the same event with fewer DNS names, shorter texts or fewer contacts, and one more field,
 * `truncated`, that says what was cut and how big it was. An event that fits has no `truncated` field.
 */
import type { NotificationEvent } from '../core/model.ts';

/** A list that was cut: `originalCount` items before, the event lists the first ones. */
export interface CutList {
  originalCount: number;
}

/** A text that was cut to its first characters, ending with "…": `originalLength` UTF-16 units before. */
export interface CutText {
  originalLength: number;
}

/** The texts that may be cut, by their path in the event. */
export const CUTTABLE_TEXTS = [
  'commonName',
  'status',
  'organization',
  'container',
  'product.nameId',
  'product.name',
  'product.type',
  'subaccount.organizationName',
  'renewal.status',
] as const;

export type CuttableText = (typeof CUTTABLE_TEXTS)[number];

/** What was cut from an event to fit a channel: lists by their original count, texts by their original length. */
export type EventTruncation = { dnsNames?: CutList; contacts?: CutList } & {
  [path in CuttableText]?: CutText;
};

/** A notification event as a channel delivered it: `truncated` only when something had to be cut. */
export interface DeliveredEvent extends NotificationEvent {
  truncated?: EventTruncation;
}

/** Texts longer than this are cut to it, once dropping DNS names was not enough. */
export const TEXT_CUT_LENGTH = 1024;
const ELLIPSIS = '…';

/**
 * The event as it is when `fits` says so; else, in this order, until it fits: its DNS names cut to the first
 * ones that fit (a certificate with 5,000 SANs); its long texts cut to 1,024 characters (a huge organization
 * field) and as many DNS names as then fit; its contacts cut to the first ones that fit. Each cut is recorded
 * in `truncated`. `fits` sees the whole candidate, `truncated` included, so it can measure the real message.
 */
export function fitEvent(
  event: NotificationEvent,
  fits: (candidate: DeliveredEvent) => boolean,
): DeliveredEvent {
  if (fits(event)) return event;

  /** `base` with the first `count` of the event's DNS names (and `dnsNames` recorded if that is not all). */
  const withNames = (base: DeliveredEvent, count: number): DeliveredEvent => {
    const { dnsNames: _, ...otherCuts } = base.truncated ?? {};
    const all = event.dnsNames;
    return withCuts(
      { ...base, dnsNames: all.slice(0, count) },
      count < all.length ? { ...otherCuts, dnsNames: { originalCount: all.length } } : otherCuts,
    );
  };
  const mostNames = (base: DeliveredEvent): DeliveredEvent | null => {
    const count = largestFitting(event.dnsNames.length, (count) => fits(withNames(base, count)));
    return count === null ? null : withNames(base, count);
  };

  const namesCut = mostNames(event);
  if (namesCut) return namesCut;

  const textsCut = cutLongTexts(event);
  const textsAndNamesCut = mostNames(textsCut);
  if (textsAndNamesCut) return textsAndNamesCut;

  const contacts = event.contacts;
  const withContacts = (count: number): DeliveredEvent =>
    withCuts(
      { ...textsCut, contacts: contacts.slice(0, count) },
      { ...textsCut.truncated, contacts: { originalCount: contacts.length } },
    );
  const contactCount =
    largestFitting(contacts.length, (count) => fits(withNames(withContacts(count), 0))) ?? 0;
  return mostNames(withContacts(contactCount)) ?? withNames(withContacts(contactCount), 0);
}

function withCuts(event: DeliveredEvent, cuts: EventTruncation): DeliveredEvent {
  const { truncated: _, ...rest } = event;
  return Object.keys(cuts).length === 0 ? rest : { ...rest, truncated: cuts };
}

/** The largest `count` from 0 to `max` for which `fitsWith(count)` holds (it holds for every smaller one), or null. */
function largestFitting(max: number, fitsWith: (count: number) => boolean): number | null {
  if (fitsWith(max)) return max;
  if (!fitsWith(0)) return null;
  let fitting = 0;
  let tooMany = max;
  while (tooMany - fitting > 1) {
    const middle = Math.floor((fitting + tooMany) / 2);
    if (fitsWith(middle)) fitting = middle;
    else tooMany = middle;
  }
  return fitting;
}

function cutText(text: string): string {
  let kept = '';
  for (const character of text) {
    if (kept.length + character.length > TEXT_CUT_LENGTH - ELLIPSIS.length) break;
    kept += character;
  }
  return `${kept}${ELLIPSIS}`;
}

/** The event with every text of CUTTABLE_TEXTS longer than TEXT_CUT_LENGTH cut, each recorded. */
function cutLongTexts(event: NotificationEvent): DeliveredEvent {
  const truncated: EventTruncation = {};
  const cut = (path: CuttableText, text: string): string => {
    if (text.length <= TEXT_CUT_LENGTH) return text;
    truncated[path] = { originalLength: text.length };
    return cutText(text);
  };
  const { product, subaccount, renewal } = event;
  const result: DeliveredEvent = {
    ...event,
    commonName: cut('commonName', event.commonName),
    status: cut('status', event.status),
    organization: cut('organization', event.organization),
    container: cut('container', event.container),
    product: {
      nameId: cut('product.nameId', product.nameId),
      name: cut('product.name', product.name),
      type: cut('product.type', product.type),
    },
    subaccount: subaccount && {
      ...subaccount,
      organizationName: cut('subaccount.organizationName', subaccount.organizationName),
    },
    renewal: renewal && { ...renewal, status: cut('renewal.status', renewal.status) },
  };
  return Object.keys(truncated).length === 0 ? result : { ...result, truncated };
}
