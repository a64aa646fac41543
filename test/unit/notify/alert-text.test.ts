import { describe, expect, it } from 'vitest';
import type { NotificationEvent } from '../../../functions/core/model.ts';
import {
  alertSubject,
  alertText,
  asciiSubject,
  digestSubject,
  digestText,
} from '../../../functions/notify/alert-text.ts';
import { digestOf, type EventFixture, loadEvent, manyAlerts } from '../../fixtures/events/load.ts';

/** What SNS takes as a subject: printable ASCII, starting with a letter, a digit or punctuation, under 100. */
function expectSnsSubject(subject: string): void {
  expect(subject).toMatch(/^[!-~][ -~]*$/);
  expect(subject.length).toBeLessThan(100);
  expect(subject).not.toContain('…');
}

const UNICODE_NAMES: Array<[string, string, RegExp]> = [
  ['German umlauts', 'bücher.example.de', /^bucher\.example\.de /],
  ['Japanese', '証明書.例え.jp', /^ZhengMingShu\.Lie\.jp /],
  ['Chinese', '中文.example.cn', /^ZhongWen\.example\.cn /],
  ['emoji', '😀🔒.example.com', /^:grinning::lock:\.example\.com /],
  ['Arabic (right to left)', 'مثال.example', /^mthl\.example /],
  ['Hebrew with a direction override', '\u202Eשלום.example.co.il\u202C', /^slvm\.example\.co\.il /],
  ['combining marks', 'e\u0301te\u0301.example.fr', /^ete\.example\.fr /],
  [
    'control characters',
    'evil\u0007\u001b[2J\r\nSubject: x.example.com',
    /^evil \[2J Subject: x\.example\.com /,
  ],
  ['only characters with no ASCII form', '\u200B\u200D', /^\(non-ASCII name\) /],
];

const SUBJECT_TYPES: EventFixture[] = [
  'expiring-warning',
  'expiring-today-renewal-pending',
  'expiring-info-duplicate',
  'expired',
  'renewed',
];

describe('alertSubject', () => {
  it('says how many days are left and names the order', () => {
    expect(alertSubject(loadEvent('expiring-warning'))).toBe('example.com expires in 5 days (order 123456)');
  });

  it('says today, tomorrow, expired and renewed in words', () => {
    expect(alertSubject(loadEvent('expiring-today-renewal-pending'))).toBe(
      'api.example.com expires today (order 123457)',
    );
    expect(alertSubject(loadEvent('expiring-tomorrow-subaccount'))).toBe(
      '*.shop.subsidiary.example expires tomorrow (order 200301)',
    );
    expect(alertSubject(loadEvent('expired'))).toBe('legacy.example.org expired 3 days ago (order 98765)');
    expect(alertSubject(loadEvent('renewed'))).toBe('mail.example.com was renewed (order 1 -> 2)');
  });

  it('tells a duplicate certificate apart from its order', () => {
    expect(alertSubject(loadEvent('expiring-info-duplicate'))).toBe(
      'example.com expires in 45 days (order 123456, certificate 7002)',
    );
  });

  it('stays under 100 characters on one line for a 300-character common name', () => {
    const event = { ...loadEvent('expired'), commonName: `${'a'.repeat(150)}\r\n${'b'.repeat(148)}` };

    const subject = alertSubject(event);

    expect(subject.length).toBeLessThan(100);
    expect(subject).not.toMatch(/[\p{Cc}]/u);
    expect(subject).toMatch(/^a+… expired 3 days ago \(order 98765\)$/);
  });

  it('never splits a character made of two UTF-16 units', () => {
    const event = { ...loadEvent('expiring-warning'), commonName: '😀'.repeat(100) };

    const subject = alertSubject(event);

    expect(subject.length).toBeLessThan(100);
    expect(subject).toMatch(/^(😀)+… expires in 5 days/u);
  });
});

describe('alertSubject for SNS (ascii)', () => {
  it.each(UNICODE_NAMES)(
    'transliterates %s to a subject SNS takes, for every event type',
    (_case, name, start) => {
      for (const fixture of SUBJECT_TYPES) {
        const event: NotificationEvent = { ...loadEvent(fixture), commonName: name };
        const tail = alertSubject({ ...event, commonName: 'x' }).slice(1);

        const subject = alertSubject(event, 'ascii');

        expectSnsSubject(subject);
        expect(subject, fixture).toMatch(start);
        expect(subject.endsWith(tail), fixture).toBe(true);
      }
    },
  );

  it('cuts a 300-character name with "..." and keeps the words and the order after it', () => {
    for (const name of ['a'.repeat(300), 'ü'.repeat(300), '東'.repeat(300), '😀'.repeat(300)]) {
      for (const fixture of SUBJECT_TYPES) {
        const subject = alertSubject({ ...loadEvent(fixture), commonName: name }, 'ascii');

        expectSnsSubject(subject);
        expect(subject).toMatch(/\.\.\. (expires|expired|was renewed)/);
        expect(subject).toMatch(/\(order [0-9]+.*\)$/);
      }
    }
  });

  it('keeps an ASCII name as it is', () => {
    expect(alertSubject(loadEvent('expiring-warning'), 'ascii')).toBe(
      'example.com expires in 5 days (order 123456)',
    );
    expect(alertSubject(loadEvent('renewed'), 'ascii')).toBe('mail.example.com was renewed (order 1 -> 2)');
  });

  it('leaves the unicode subject (Slack, the terminal) with the real name', () => {
    const event = { ...loadEvent('expiring-warning'), commonName: 'bücher.example.de' };

    expect(alertSubject(event)).toBe('bücher.example.de expires in 5 days (order 123456)');
  });
});

describe('asciiSubject', () => {
  it('makes any subject SNS-safe: the digest subject, and anything with Unicode, controls or length', () => {
    const digest = digestOf([{ ...loadEvent('expired'), commonName: '証明書.jp' }]);
    expect(asciiSubject(digestSubject(digest))).toBe(digestSubject(digest));
    expectSnsSubject(asciiSubject(digestSubject(digest)));
    for (const subject of ['\u0000\tTäglich: 証明書\n😀', ' leading space', 'x'.repeat(300)]) {
      expectSnsSubject(asciiSubject(subject));
    }
    expect(asciiSubject('x'.repeat(300))).toBe(`${'x'.repeat(96)}...`);
  });
});

describe('alertText', () => {
  it('gives the facts someone needs to act on an expiring certificate', () => {
    const text = alertText(loadEvent('expiring-warning'));

    expect(text).toContain('example.com expires in 5 days (valid till 2026-11-27, UTC).');
    expect(text).toContain('2026-11-27 (5 days left)');
    expect(text).toContain('7 days before expiry');
    expect(text).toContain('123456, certificate 5001');
    expect(text).toContain('Real Organization');
    expect(text).toContain('History Department');
    expect(text).toContain('Standard SSL (ssl_plus)');
    expect(text).toContain('example.com, www.example.com');
    expect(text).toContain('Gia Booth <gia.booth@example.com> (technical)');
    expect(text).toContain('Jill Valentine <jill.valentine@example.com> (organization)');
    expect(text).toContain('No renewal yet');
    expect(text).toContain(
      'Renew the certificate in CertCentral (order 123456) and install the new one before 2026-11-27.',
    );
  });

  it('says a renewal is pending and asks to complete it', () => {
    const text = alertText(loadEvent('expiring-today-renewal-pending'));

    expect(text).toContain('A renewal (order 100009) is pending');
    expect(text).toContain('Complete the pending renewal (order 100009)');
    expect(text).toContain('2026-11-22 (expires today)');
  });

  it('says a reissue is pending and asks to complete it, for the order and not for a duplicate', () => {
    const event = { ...loadEvent('expiring-warning'), status: 'reissue_pending' };
    const text = alertText(event);

    expect(text).toContain(
      'A reissue (order 123456) is pending: this certificate stays in use until it is issued',
    );
    expect(text).toContain('Complete the pending reissue (order 123456) in CertCentral');
    expect(text).not.toContain('No renewal yet');
    const duplicate = alertText({ ...event, duplicate: true, certificateId: 77 });
    expect(duplicate).toContain('No renewal yet');
    expect(duplicate).not.toContain('pending reissue');
  });

  it('names the subaccount and shows missing values as (none)', () => {
    const text = alertText(loadEvent('expiring-tomorrow-subaccount'));

    expect(text).toContain('Subaccount    Subsidiary Trading Ltd (account 123445)');
    expect(text).toContain('Container     (none)');
    expect(text).toContain('Contacts      (none)');
  });

  it('announces a renewal with both orders', () => {
    const text = alertText(loadEvent('renewed'));

    expect(text).toContain('mail.example.com (order 1) was renewed by order 2.');
    expect(text).toContain('Renewed by order 2');
    expect(text).not.toContain('Alert level');
  });

  it('says an expired certificate expired, and when', () => {
    const text = alertText(loadEvent('expired'));

    expect(text).toContain('legacy.example.org expired 3 days ago (valid till 2026-11-19, UTC).');
    expect(text).toContain('2026-11-19 (expired 3 days ago)');
  });
});

describe('links and test alerts', () => {
  it("ends the email with the order's link in the console, and a renewed notice's with the new order's", () => {
    expect(alertText(loadEvent('expiring-warning'))).toContain(
      '\nOpen the order in CertCentral: https://www.digicert.com/secure/orders/123456\n',
    );
    expect(alertText(loadEvent('renewed'))).toContain(
      'Open the new order in CertCentral: https://www.digicert.com/secure/orders/2',
    );
    expect(alertText({ ...loadEvent('expiring-warning'), orderUrl: null })).not.toContain('Open the order');
  });

  it('marks a test alert in the subject and says first that nothing needs doing', () => {
    const test = { ...loadEvent('expiring-warning'), test: true };

    expect(alertSubject(test)).toBe('[test] example.com expires in 5 days (order 123456)');
    expect(alertText(test).split('\n')[0]).toMatch(
      /^This is a test alert from expiry-alerts: no certificate needs anything/,
    );
    expect(alertSubject({ ...test, commonName: 'x'.repeat(300) })).toHaveLength(99);
  });

  it("says whose digest a route's digest is, and links each alert to its order", () => {
    const digest = { ...digestOf([loadEvent('expired')]), route: 'web-team' };

    expect(digestSubject(digest)).toBe(
      'Certificate expiry digest for web-team: 1 alerts (1 critical, 0 warning, 0 info)',
    );
    expect(digestText(digest)).toContain('1 certificate alerts for the route web-team from the scan at');
    expect(digestText(digest)).toContain(
      '- legacy.example.org: expired 3 days ago, valid till 2026-11-19, order 98765, History Department\n  https://www.digicert.com/secure/orders/98765\n',
    );
  });

  it('does not name the routes people did not name (notifyEmails, slackWebhookSecretName)', () => {
    for (const route of ['default', 'default-critical']) {
      const digest = { ...digestOf([loadEvent('expired')]), route };
      expect(digestSubject(digest)).toBe(
        'Certificate expiry digest: 1 alerts (1 critical, 0 warning, 0 info)',
      );
      expect(digestText(digest)).toContain('1 certificate alerts from the scan at');
    }
  });

  it('names a certificate reissued in its own order once: "order 7", not "order 7 -> 7"', () => {
    const reissued = { ...loadEvent('renewed'), orderId: 7, renewal: { orderId: 7, status: 'issued' } };

    expect(alertSubject(reissued)).toBe('mail.example.com was renewed (order 7)');
    expect(alertText(reissued)).toContain('Renewed: the certificate now runs to a later date');
  });
});

describe('alertText for automation and Multi-year Plans', () => {
  it('says auto-renew is on and no renewal has been issued yet, for the order and not for a duplicate', () => {
    const event = {
      ...loadEvent('expiring-warning'),
      plan: { ...loadEvent('expiring-warning').plan, autoRenew: 1 },
    };

    expect(alertText(event)).toContain('Auto-renew is on and no renewal has been issued yet');
    expect(alertText({ ...event, duplicate: true, certificateId: 77 })).not.toContain('Auto-renew is on');
  });

  it('tells to reissue under the plan, and until when it covers', () => {
    const event = {
      ...loadEvent('expiring-warning'),
      action: 'reissue' as const,
      plan: { multiYear: true, orderValidTill: '2028-01-31', autoRenew: 0, autoReissue: false },
    };
    const text = alertText(event);

    expect(text).toMatch(
      /Action {8}Reissue under the Multi-year Plan, covered until 2028-01-31 \(nothing to buy\)/,
    );
    expect(text).toContain('Reissue the certificate in CertCentral');
    expect(alertText(loadEvent('expiring-warning'))).toMatch(/Action {8}Renew \(buy the next certificate\)/);
  });
});

describe('alertText with Unicode names', () => {
  it('keeps the real name in the email body', () => {
    const text = alertText({ ...loadEvent('expiring-warning'), commonName: 'bücher.example.de' });

    expect(text).toContain('bücher.example.de expires in 5 days');
  });
});

describe('digest text', () => {
  const digest = digestOf([
    loadEvent('expiring-info-duplicate'),
    loadEvent('expiring-warning'),
    loadEvent('expired'),
    loadEvent('renewed'),
    loadEvent('expiring-today-renewal-pending'),
  ]);

  it('counts the alerts by severity in the subject', () => {
    expect(digestSubject(digest)).toBe('Certificate expiry digest: 5 alerts (2 critical, 1 warning, 2 info)');
  });

  it('lists one line per certificate, grouped by severity and sorted by days left', () => {
    const lines = digestText(digest).split('\n');
    const order = [
      'CRITICAL (2)',
      'legacy.example.org',
      'api.example.com',
      'WARNING (1)',
      'example.com: expires in 5',
      'INFO (2)',
      'mail.example.com',
      'example.com: expires in 45',
    ];

    const positions = order.map((start) =>
      lines.findIndex((line) => line.replace(/^- /, '').startsWith(start)),
    );

    expect(positions.every((position) => position >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(lines).toContain(
      '- api.example.com: expires today, valid till 2026-11-22, order 123457, Platform Team, renewal 100009 pending',
    );
  });

  it('says how many more there are when the digest lists fewer alerts than it counts', () => {
    const alerts = manyAlerts(10);
    const cut = { ...digestOf(alerts), alerts: alerts.slice(0, 4) };

    const text = digestText(cut);

    expect(text).toContain('WARNING (10)');
    expect(text).toContain('… and 6 more');
    expect(text.match(/^- /gm)).toHaveLength(4);
  });
});
