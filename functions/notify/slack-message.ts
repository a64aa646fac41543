import type { AlertDigest, NotificationEvent, Severity } from '../core/model.ts';
import {
  actionLabel,
  alertSubject,
  automationNote,
  contactLabel,
  daysLeft,
  digestSubject,
  expiryPhrase,
  nextStep,
  orderLinkLabel,
  orderReference,
  productLabel,
  renewalState,
  subaccountLabel,
  TEST_NOTE,
  thresholdLabel,
} from './alert-text.ts';
import type { DeliveredEvent } from './event-fit.ts';
import { groupBySeverity, type SeverityGroup, worstSeverity } from './severity.ts';
import { singleLine } from './text-fit.ts';

export interface SlackText {
  type: 'plain_text' | 'mrkdwn';
  text: string;
}

/** A link button: opens `url`; Slack sends nothing back to the app. */
export interface SlackLinkButton {
  type: 'button';
  text: { type: 'plain_text'; text: string };
  url: string;
  action_id: string;
  style?: 'primary' | 'danger';
}

export type SlackBlock =
  | { type: 'header'; text: SlackText }
  | { type: 'section'; text: SlackText }
  | { type: 'section'; fields: SlackText[] }
  | { type: 'context'; elements: SlackText[] }
  | { type: 'actions'; elements: SlackLinkButton[] };

export interface SlackAttachment {
  color: string;
  blocks: SlackBlock[];
}

/** An incoming-webhook payload: `text` is the notification fallback, the attachment carries the colour bar. */
export interface SlackPayload {
  text: string;
  blocks: SlackBlock[];
  attachments: SlackAttachment[];
}

/** Block Kit limits: blocks per message, characters per header and per section. */
const MAX_BLOCKS = 50;
const HEADER_MAX = 150;
const SECTION_MAX = 3000;
/**
 * Slack also refuses a message whose block texts add up to more than about 12,000 characters
 * (`msg_blocks_too_long`, undocumented for section blocks); this keeps a margin below it.
 */
const MESSAGE_TEXT_MAX = 10_000;
/** Per-alert shares of that budget. */
const FIELD_VALUE_MAX = 300;
const LIST_MAX = 2000;
/** Longest escaped name shown: a DNS name has at most 253 characters, anything longer is cut. */
const NAME_MAX = 260;
/** Room kept at the end of a list for "… and N more". */
const MORE_ROOM = 40;
/** What a digest group needs at least: its title, one linked line and "… and N more". */
const GROUP_MIN = 400;

const STYLE: Record<Severity, { emoji: string; color: string; label: string }> = {
  critical: { emoji: ':rotating_light:', color: '#D40E0D', label: 'Critical' },
  warning: { emoji: ':warning:', color: '#F2A900', label: 'Warning' },
  info: { emoji: ':information_source:', color: '#1D9BD1', label: 'Info' },
};

/**
 * A renewed notice is the all-clear: green, whatever the severity it carries (the last alert's, so that the
 * routes that heard the alert hear this too); the footer says which alert it ends.
 */
function styleOf(event: NotificationEvent): { emoji: string; color: string; label: string } {
  const severity = STYLE[event.severity];
  if (event.type !== 'certificate.renewed') return severity;
  return {
    emoji: ':white_check_mark:',
    color: '#2EB67D',
    label: `Renewed (the last alert was ${severity.label.toLowerCase()})`,
  };
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** Escapes `&`, `<` and `>` (Slack's control characters) and fits the result in `maxLength`, never cutting an escape. */
function slackEscape(text: string, maxLength = Number.POSITIVE_INFINITY): string {
  let escaped = '';
  for (const character of text) {
    const piece = ESCAPES[character] ?? character;
    if (escaped.length + piece.length > maxLength - 1) return `${escaped}…`;
    escaped += piece;
  }
  return escaped;
}

function plain(text: string): SlackText {
  return { type: 'plain_text', text };
}

function mrkdwn(text: string): SlackText {
  return { type: 'mrkdwn', text };
}

/** Inline code keeps `*.example.com` from being read as bold. */
function code(name: string): string {
  return `\`${slackEscape(singleLine(name).replaceAll('`', "'"), NAME_MAX)}\``;
}

function field(label: string, value: string): SlackText {
  return mrkdwn(`*${label}*\n${slackEscape(singleLine(value) || '(none)', FIELD_VALUE_MAX)}`);
}

function detailFields(event: NotificationEvent): SlackText[] {
  const certificate = event.certificateId === null ? '' : `, certificate ${event.certificateId}`;
  const fields = [
    field('Valid till', `${event.validTill} (${daysLeft(event)})`),
    field('Order', `${event.orderId}${certificate}${event.duplicate ? ' (duplicate)' : ''}`),
    field('Organization', event.organization),
    field('Container', event.container),
    field('Product', productLabel(event)),
    field('Renewal', renewalState(event)),
  ];
  if (event.type !== 'certificate.renewed') fields.push(field('Action', actionLabel(event)));
  if (event.threshold !== null) fields.push(field('Alert level', thresholdLabel(event.threshold)));
  const subaccount = subaccountLabel(event);
  if (subaccount) fields.push(field('Subaccount', subaccount));
  return fields;
}

/** The automation note as a second paragraph, or nothing. */
function automationLine(event: NotificationEvent): string {
  const note = automationNote(event);
  return note ? `\n_${slackEscape(note)}_` : '';
}

/** Slack's limit for a button's URL. */
const BUTTON_URL_MAX = 3000;

/** The button to the order in the CertCentral console, when the event has a link Slack accepts. */
function orderButton(event: NotificationEvent): SlackBlock[] {
  const url = event.orderUrl;
  if (!url || url.length > BUTTON_URL_MAX) return [];
  return [
    {
      type: 'actions',
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: orderLinkLabel(event) },
          url,
          action_id: 'open-order',
          ...(event.type === 'certificate.renewed' ? {} : { style: 'primary' as const }),
        },
      ],
    },
  ];
}

/** A test alert says first that nothing is wrong. */
function testNote(event: NotificationEvent): SlackBlock[] {
  return event.test ? [{ type: 'section', text: mrkdwn(`*${slackEscape(TEST_NOTE)}*`) }] : [];
}

/**
 * A titled list that stops with "… and N more" before it outgrows its share of the message, or when the event
 * lists only the first `total` items (it was cut to fit the topic's size limit).
 */
function listSection(title: string, items: string[], separator: string, total = items.length): SlackBlock {
  let text = `*${title}*\n${items.length === 0 && total === 0 ? '(none)' : ''}`;
  let listed = 0;
  for (const [index, item] of items.entries()) {
    const piece = `${index === 0 ? '' : separator}${item}`;
    if (text.length + piece.length > LIST_MAX - MORE_ROOM) break;
    text += piece;
    listed += 1;
  }
  if (total > listed) text += `${listed === 0 ? '' : separator}… and ${total - listed} more`;
  return { type: 'section', text: mrkdwn(text) };
}

/** One alert as a Block Kit message, coloured by severity (a renewed notice green). */
export function slackMessage(event: DeliveredEvent): SlackPayload {
  const style = styleOf(event);
  const subject = alertSubject(event);
  return {
    text: `${style.emoji} ${slackEscape(subject)}`,
    blocks: [
      {
        type: 'header',
        text: plain(`${style.emoji} ${slackEscape(subject, HEADER_MAX - style.emoji.length - 1)}`),
      },
    ],
    attachments: [
      {
        color: style.color,
        blocks: [
          ...testNote(event),
          {
            type: 'section',
            text: mrkdwn(
              `${code(event.commonName)} ${expiryPhrase(event)}. ${slackEscape(nextStep(event))}${automationLine(event)}`,
            ),
          },
          ...orderButton(event),
          { type: 'section', fields: detailFields(event) },
          listSection('DNS names', event.dnsNames.map(code), ', ', event.truncated?.dnsNames?.originalCount),
          listSection(
            'Contacts',
            event.contacts.map((contact) => slackEscape(contactLabel(contact))),
            '\n',
            event.truncated?.contacts?.originalCount,
          ),
          {
            type: 'context',
            elements: [mrkdwn(`${style.label} · scanned at ${slackEscape(event.scannedAt)} · expiry-alerts`)],
          },
        ],
      },
    ],
  };
}

function digestLine(event: NotificationEvent): string {
  const renewal =
    event.type !== 'certificate.renewed' && event.renewal
      ? ` · renewal ${event.renewal.orderId} pending`
      : '';
  const container = slackEscape(singleLine(event.container) || '(no container)', NAME_MAX);
  const reference = slackEscape(orderReference(event));
  const linked =
    event.orderUrl && !/[<>|\s]/.test(event.orderUrl) ? `<${event.orderUrl}|${reference}>` : reference;
  return `• ${code(event.commonName)} ${expiryPhrase(event)} (${event.validTill}) · ${linked} · ${container}${renewal}`;
}

/**
 * A group as sections of at most 3000 characters, at most `maxBlocks` of them and `maxCharacters` in all,
 * ending with "… and N more" when not every alert fits.
 */
function groupSections(group: SeverityGroup, maxBlocks: number, maxCharacters: number): string[] {
  const style = STYLE[group.severity];
  const sections: string[] = [];
  let current = `${style.emoji} *${style.label} (${group.count})*`;
  let used = current.length;
  let listed = 0;
  for (const alert of group.alerts) {
    const line = digestLine(alert);
    if (used + 1 + line.length > maxCharacters - MORE_ROOM) break;
    if (current.length + 1 + line.length > SECTION_MAX - MORE_ROOM) {
      if (sections.length + 1 >= maxBlocks) break;
      sections.push(current);
      current = line;
    } else {
      current += `\n${line}`;
    }
    used += 1 + line.length;
    listed += 1;
  }
  const more = group.count - listed;
  sections.push(more > 0 ? `${current}\n… and ${more} more` : current);
  return sections;
}

/** A digest as one Block Kit message: grouped by severity, most urgent first, within Slack's limits. */
export function slackDigestMessage(digest: AlertDigest): SlackPayload {
  const style = STYLE[worstSeverity(digest)];
  const subject = `${style.emoji} ${slackEscape(digestSubject(digest))}`;
  const summary = `Scanned at ${slackEscape(digest.scannedAt)} · expiry-alerts · most urgent first`;
  const groups = groupBySeverity(digest);
  const sections: string[] = [];
  let blocksLeft = MAX_BLOCKS - 2;
  let charactersLeft = MESSAGE_TEXT_MAX - subject.length - summary.length;
  groups.forEach((group, index) => {
    const groupsAfter = groups.length - index - 1;
    const texts = groupSections(group, blocksLeft - groupsAfter, charactersLeft - groupsAfter * GROUP_MIN);
    blocksLeft -= texts.length;
    charactersLeft -= texts.reduce((sum, text) => sum + text.length, 0);
    sections.push(...texts);
  });
  return {
    text: subject,
    blocks: [{ type: 'header', text: plain(subject) }],
    attachments: [
      {
        color: style.color,
        blocks: [
          { type: 'context', elements: [mrkdwn(summary)] },
          ...sections.map((text): SlackBlock => ({ type: 'section', text: mrkdwn(text) })),
        ],
      },
    ],
  };
}
