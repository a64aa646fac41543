import { describe, expect, it } from 'vitest';
import type { OverviewRow } from '../../../functions/core/overview.ts';
import { buildSummary } from '../../../functions/core/summary.ts';
import { parseSnsAlertMessage } from '../../../functions/notify/event-schema.ts';
import { slackSummaryMessage } from '../../../functions/notify/slack-summary.ts';
import { publishSize, SNS_MESSAGE_LIMIT_BYTES } from '../../../functions/notify/sns-size.ts';
import { fittedSummaryInput } from '../../../functions/notify/sns-summary.ts';
import { summarySubject, summaryText } from '../../../functions/notify/summary-text.ts';

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:alerts';

function row(index: number, days: number): OverviewRow {
  return {
    orderId: 100_000 + index,
    certificateId: null,
    duplicate: false,
    commonName: `host-${index}.a-rather-long-department-name.example.com`,
    validTill: '2026-12-01',
    daysRemaining: days,
    severity: days <= 3 ? 'critical' : days <= 14 ? 'warning' : 'info',
    lastAnnounced: null,
    mute: index % 10 === 0 ? { until: '2026-12-31', reason: 'x'.repeat(200), by: 'ana' } : null,
    renewal: null,
    action: 'renew',
    product: { nameId: 'ssl_plus', name: 'Standard SSL', type: 'ssl_certificate' },
    organization: 'Real Organization',
    container: 'History Department',
    subaccount: null,
  };
}

const summaryOf = (rows: OverviewRow[]) =>
  buildSummary(rows, { route: null, scannedAt: '2026-11-30T07:00:00Z', withinDays: 30 });

describe('a summary of many certificates', () => {
  const big = summaryOf(Array.from({ length: 3000 }, (_, index) => row(index, (index % 40) - 5)));

  it('is published within SNS limits with the most urgent certificates, counting them all', () => {
    const input = fittedSummaryInput(TOPIC, big);
    expect(publishSize(input)).toBeLessThanOrEqual(SNS_MESSAGE_LIMIT_BYTES);
    const published = parseSnsAlertMessage(JSON.parse(input.Message ?? '').default);
    if (published.kind !== 'summary') throw new Error('not a summary');
    expect(published.summary.total).toBe(3000);
    expect(published.summary.certificates.length).toBeLessThan(2000);
    expect(published.summary.certificates[0]?.daysRemaining).toBe(-5);
    expect(JSON.parse(input.Message ?? '').email).toMatch(/\.\.\. and \d+ more/);
    expect(input.Subject?.length).toBeLessThan(100);
    expect(input.Subject).toMatch(/^[\x20-\x7e]+$/);
  });

  it('fits Slack: one section per severity, each under 3,000 characters, cut with a count', () => {
    const message = slackSummaryMessage(big);
    const sections = message.attachments[0]?.blocks.filter((block) => block.type === 'section') ?? [];
    expect(sections).toHaveLength(3);
    for (const section of sections) {
      const text = 'text' in section ? section.text.text : '';
      expect(text.length).toBeLessThanOrEqual(3000);
      expect(text).toMatch(/… and \d+ more$/);
    }
  });

  it("names a route's summary by its route, except the routes people did not name", () => {
    const empty = summaryOf([]);
    expect(summarySubject({ ...empty, route: 'web-team' })).toBe(
      'Certificate summary [web-team]: nothing expires within 30 days',
    );
    for (const route of ['default', 'default-warning-critical']) {
      expect(summarySubject({ ...empty, route })).toBe('Certificate summary: nothing expires within 30 days');
    }
  });

  it('says so when nothing expires', () => {
    const empty = summaryOf([]);
    expect(summarySubject(empty)).toBe('Certificate summary: nothing expires within 30 days');
    expect(summaryText(empty)).toContain('No watched certificate expires within 30 days');
    expect(JSON.stringify(slackSummaryMessage(empty))).toContain('Nothing expires within 30 days.');
  });
});
