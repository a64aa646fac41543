import { describe, expect, it } from 'vitest';
import type { NotificationEvent } from '../../../functions/core/model.ts';
import {
  type SlackBlock,
  type SlackPayload,
  slackDigestMessage,
  slackMessage,
} from '../../../functions/notify/slack-message.ts';
import { digestOf, loadEvent, manyAlerts } from '../../fixtures/events/load.ts';

function allBlocks(payload: SlackPayload): SlackBlock[] {
  return [...payload.blocks, ...payload.attachments.flatMap((attachment) => attachment.blocks)];
}

function allTexts(payload: SlackPayload): string[] {
  return [
    payload.text,
    ...allBlocks(payload).flatMap((block) => {
      if (block.type === 'context') return block.elements.map((element) => element.text);
      if (block.type === 'actions') return block.elements.map((button) => button.text.text);
      if ('fields' in block) return block.fields.map((field) => field.text);
      return [block.text.text];
    }),
  ];
}

describe('slackMessage', () => {
  it('escapes &, < and > in everything the event supplies', () => {
    const hostile: NotificationEvent = {
      ...loadEvent('expiring-today-renewal-pending'),
      commonName: '<script>&alert</script>.example.com',
      organization: 'Smith & Sons <Holdings>',
      container: '<!channel>',
      dnsNames: ['<b>.example.com'],
      contacts: [{ role: 'technical', name: 'Eve <eve>', email: 'eve&co@example.com' }],
    };

    const texts = allTexts(slackMessage(hostile)).join('\n');

    expect(texts).not.toMatch(/[<>]|&(?!amp;|lt;|gt;)/);
    expect(texts).toContain('&lt;script&gt;&amp;alert&lt;/script&gt;.example.com');
    expect(texts).toContain('Smith &amp; Sons &lt;Holdings&gt;');
    expect(texts).toContain('&lt;!channel&gt;');
    expect(texts).toContain('Eve &lt;eve&gt; &lt;eve&amp;co@example.com&gt;');
  });

  it('colours the message by severity', () => {
    const colour = (event: NotificationEvent) => slackMessage(event).attachments[0]?.color;

    expect(colour(loadEvent('expired'))).toBe('#D40E0D');
    expect(colour(loadEvent('expiring-warning'))).toBe('#F2A900');
    expect(colour(loadEvent('expiring-info-duplicate'))).toBe('#1D9BD1');
  });

  it('shows a renewed notice as the all-clear (green, a check mark), whatever the severity it carries', () => {
    const renewed = { ...loadEvent('renewed'), severity: 'critical' as const };
    const payload = slackMessage(renewed);

    expect(payload.attachments[0]?.color).toBe('#2EB67D');
    expect(payload.text.startsWith(':white_check_mark: ')).toBe(true);
    expect(allTexts(payload).join('\n')).toContain('Renewed (the last alert was critical)');
    expect(allTexts(payload).join('\n')).not.toContain(':rotating_light:');
  });

  it('puts the subject with a severity emoji in the header and the notification text', () => {
    const payload = slackMessage(loadEvent('expired'));

    expect(payload.text).toBe(':rotating_light: legacy.example.org expired 3 days ago (order 98765)');
    expect(payload.blocks).toEqual([{ type: 'header', text: { type: 'plain_text', text: payload.text } }]);
  });

  it('shows the facts as fields: expiry, order, organisation, container, product, renewal, subaccount', () => {
    const fields = allBlocks(slackMessage(loadEvent('expiring-tomorrow-subaccount')))
      .flatMap((block) => ('fields' in block ? block.fields : []))
      .map((field) => field.text);

    expect(fields).toEqual([
      '*Valid till*\n2026-11-23 (1 day left)',
      '*Order*\n200301',
      '*Organization*\nSubsidiary Trading Ltd',
      '*Container*\n(none)',
      '*Product*\nWildcard SSL (ssl_wildcard)',
      '*Renewal*\nNo renewal yet',
      '*Action*\nRenew (buy the next certificate)',
      '*Alert level*\n1 day before expiry',
      '*Subaccount*\nSubsidiary Trading Ltd (account 123445)',
    ]);
  });

  it('lists DNS names as code, so a wildcard does not turn into bold, and the contacts', () => {
    const texts = allTexts(slackMessage(loadEvent('expiring-warning')));

    expect(texts).toContain('*DNS names*\n`example.com`, `www.example.com`');
    expect(texts).toContain(
      '*Contacts*\nGia Booth &lt;gia.booth@example.com&gt; (technical)\nJill Valentine &lt;jill.valentine@example.com&gt; (organization)',
    );
  });

  it('says reissue, and until when the plan covers, for a Multi-year Plan order; and when automation is late', () => {
    const event = {
      ...loadEvent('expiring-warning'),
      action: 'reissue' as const,
      plan: { multiYear: true, orderValidTill: '2028-01-31', autoRenew: 0, autoReissue: true },
    };
    const texts = allTexts(slackMessage(event));

    expect(texts).toContain(
      '*Action*\nReissue under the Multi-year Plan, covered until 2028-01-31 (nothing to buy)',
    );
    expect(texts.join('\n')).toContain('Auto-reissue is on and no reissue has been issued yet');
  });

  it('says a renewal is pending', () => {
    const texts = allTexts(slackMessage(loadEvent('expiring-today-renewal-pending')));

    expect(texts).toContain('*Renewal*\nA renewal (order 100009) is pending');
  });

  it('says a reissue is pending and asks to complete it', () => {
    const texts = allTexts(slackMessage({ ...loadEvent('expiring-warning'), status: 'reissue_pending' }));

    expect(texts).toContain(
      '*Renewal*\nA reissue (order 123456) is pending: this certificate stays in use until it is issued',
    );
    expect(texts.join('\n')).toContain('Complete the pending reissue (order 123456) in CertCentral');
  });

  it('keeps a huge SAN list within one section', () => {
    const event = {
      ...loadEvent('expiring-warning'),
      dnsNames: Array.from({ length: 400 }, (_, index) => `san-${index}.example.com`),
    };

    const dns = allTexts(slackMessage(event)).find((text) => text.startsWith('*DNS names*')) ?? '';

    expect(dns.length).toBeLessThanOrEqual(3000);
    expect(dns).toMatch(/, … and \d+ more$/);
  });

  it('keeps an event with outsized values within 12,000 characters of block text', () => {
    const long = 'x'.repeat(5000);
    const event: NotificationEvent = {
      ...loadEvent('expiring-tomorrow-subaccount'),
      commonName: long,
      organization: long,
      container: long,
      product: { nameId: long, name: long, type: long },
      dnsNames: Array.from({ length: 250 }, (_, index) => `${index}.${'d'.repeat(60)}.example.com`),
      contacts: Array.from({ length: 100 }, () => ({ role: 'technical' as const, name: long, email: long })),
    };

    const texts = allTexts(slackMessage(event));

    expect(allBlocks(slackMessage(event))[0]).toMatchObject({ type: 'header' });
    expect((texts[1] ?? '').length).toBeLessThanOrEqual(150);
    for (const text of texts.slice(1)) expect(text.length).toBeLessThanOrEqual(3000);
    expect(texts.slice(1).join('').length).toBeLessThanOrEqual(12_000);
  });
});

describe('slackMessage links and test alerts', () => {
  it("puts a button to the order in the console right under the alert's first lines", () => {
    const blocks = slackMessage(loadEvent('expiring-warning')).attachments[0]?.blocks ?? [];

    expect(blocks[1]).toEqual({
      type: 'actions',
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: 'Open the order in CertCentral' },
          url: 'https://www.digicert.com/secure/orders/123456',
          action_id: 'open-order',
          style: 'primary',
        },
      ],
    });
  });

  it('has no button for an event without a link', () => {
    const blocks =
      slackMessage({ ...loadEvent('expiring-warning'), orderUrl: null }).attachments[0]?.blocks ?? [];

    expect(blocks.map((block) => block.type)).not.toContain('actions');
  });

  it('marks a test alert in the header and says first that nothing needs doing', () => {
    const payload = slackMessage({ ...loadEvent('expiring-warning'), test: true });

    expect(payload.blocks[0]).toMatchObject({
      text: { text: ':warning: [test] example.com expires in 5 days (order 123456)' },
    });
    expect(JSON.stringify(payload.attachments[0]?.blocks[0])).toContain(
      'This is a test alert from expiry-alerts',
    );
  });
});

describe('slackDigestMessage', () => {
  it('groups the alerts by severity, most urgent first, coloured by the worst', () => {
    const payload = slackDigestMessage(
      digestOf([loadEvent('renewed'), loadEvent('expiring-warning'), loadEvent('expired')]),
    );
    const texts = allTexts(payload);

    expect(payload.attachments[0]?.color).toBe('#D40E0D');
    expect(payload.text).toBe(
      ':rotating_light: Certificate expiry digest: 3 alerts (1 critical, 1 warning, 1 info)',
    );
    const sections = texts.filter((text) => text.startsWith(':'));
    expect(sections.map((text) => text.split('\n')[0])).toEqual([
      payload.text,
      payload.text,
      ':rotating_light: *Critical (1)*',
      ':warning: *Warning (1)*',
      ':information_source: *Info (1)*',
    ]);
    expect(texts.join('\n')).toContain(
      '• `legacy.example.org` expired 3 days ago (2026-11-19) · <https://www.digicert.com/secure/orders/98765|order 98765>',
    );
    expect(texts.join('\n')).toContain(
      '• `mail.example.com` was renewed (2026-11-28) · <https://www.digicert.com/secure/orders/2|order 1 -&gt; 2>',
    );
  });

  it('stays within 50 blocks, 3000 characters a section and 12,000 in all, and counts what it left out', () => {
    const alerts = [...manyAlerts(3000), loadEvent('expired'), loadEvent('expiring-info-duplicate')];

    const payload = slackDigestMessage(digestOf(alerts));

    const blocks = allBlocks(payload);
    expect(blocks.length).toBeLessThanOrEqual(50);
    const texts = allTexts(payload);
    for (const text of texts) expect(text.length).toBeLessThanOrEqual(3000);
    expect(texts.slice(1).join('').length).toBeLessThanOrEqual(12_000);
    const listed = texts.join('\n').match(/^• /gm)?.length ?? 0;
    const more = texts.join('\n').match(/… and (\d+) more/);
    expect(Number(more?.[1])).toBe(3000 - (listed - 2));
    expect(texts.some((text) => text.startsWith(':information_source: *Info (1)*'))).toBe(true);
  });
});
