/**
 * The weekly summary in Slack: a header, then one section per severity (most urgent first) listing the
 * certificates, muted ones marked, cut with "… and N more" to stay inside Block Kit's limits.
 */
import type { Severity } from '../core/model.ts';
import type { WeeklySummary } from '../core/summary.ts';
import type { SlackBlock, SlackPayload } from './slack-message.ts';
import { summaryGroups, summaryLine, summarySubject, summaryWorstSeverity } from './summary-text.ts';

/** Block Kit: a section's text at most 3,000 characters, a header's 150. */
const SECTION_MAX = 3000;
const HEADER_MAX = 150;
/** Room kept in a section for its "… and N more" line. */
const MORE_ROOM = 40;

const STYLE: Record<Severity, { emoji: string; color: string }> = {
  critical: { emoji: ':rotating_light:', color: '#D40E0D' },
  warning: { emoji: ':warning:', color: '#F2A900' },
  info: { emoji: ':information_source:', color: '#1D9BD1' },
};

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const slackEscape = (text: string): string =>
  text.replace(/[&<>]/g, (character) => ESCAPES[character] ?? character);

function section(title: string, lines: readonly string[], count: number): string {
  let text = `*${title} (${count})*`;
  let listed = 0;
  for (const line of lines) {
    const next = `\n• ${slackEscape(line)}`;
    if (text.length + next.length > SECTION_MAX - MORE_ROOM) break;
    text += next;
    listed += 1;
  }
  const more = count - listed;
  return more > 0 ? `${text}\n… and ${more} more` : text;
}

export function slackSummaryMessage(summary: WeeklySummary): SlackPayload {
  const style = STYLE[summaryWorstSeverity(summary)];
  const subject = `${style.emoji} ${slackEscape(summarySubject(summary))}`.slice(0, HEADER_MAX);
  const context = `As of ${slackEscape(summary.scannedAt)} · expiry-alerts · muted certificates get no alerts until their mutes end`;
  const sections = summaryGroups(summary).map(
    (group): SlackBlock => ({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: section(group.severity.toUpperCase(), group.rows.map(summaryLine), group.count),
      },
    }),
  );
  const empty: SlackBlock = {
    type: 'section',
    text: { type: 'mrkdwn', text: `Nothing expires within ${summary.withinDays} days.` },
  };
  return {
    text: subject,
    blocks: [{ type: 'header', text: { type: 'plain_text', text: subject } }],
    attachments: [
      {
        color: style.color,
        blocks: [
          { type: 'context', elements: [{ type: 'mrkdwn', text: context }] },
          ...(sections.length > 0 ? sections : [empty]),
        ],
      },
    ],
  };
}
