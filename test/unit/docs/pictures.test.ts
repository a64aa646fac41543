/**
 * What `npm run docs:pictures` shows people, checked without Chromium (CI has none): the HTML it screenshots is
 * the real Block Kit payload of each sample, rendered faithfully and safely; the emails in the docs are the real
 * email texts, current; and every picture the docs show is in the repository.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { slackMessage } from '../../../functions/notify/slack-message.ts';
import { digest, expiring, renewed } from '../../../scripts/pictures/samples.ts';
import { mrkdwnToHtml, slackMessageHtml } from '../../../scripts/pictures/slack-html.ts';
import {
  emailBlock,
  GENERATED_EMAILS,
  pictureHtml,
  picturePath,
  readDoc,
  SAMPLES,
  sampleNamed,
  withEmail,
} from '../../../scripts/pictures.ts';
import { loadEvent } from '../../fixtures/events/load.ts';

describe('the Slack pictures', () => {
  it("render each sample's header, colour bar, fields and button from the payload the code posts", () => {
    const html = pictureHtml(sampleNamed('expiring'));

    expect(html).toContain('⚠️ shop.example.com expires in 7 days (order 1045873)');
    expect(html).toContain('border-left-color: #F2A900');
    expect(html).toContain('<b>Container</b><br>Web Platform');
    expect(html).toContain(
      '<a class="button primary" href="https://www.digicert.com/secure/orders/1045873">Open the order in CertCentral</a>',
    );
    expect(html).toContain('<code>shop.example.com</code>');
  });

  it('show the renewed notice at the severity of the last alert, linking to the new order', () => {
    expect(renewed.severity).toBe(expiring.severity);
    const html = pictureHtml(sampleNamed('renewed'));

    expect(html).toContain('shop.example.com was renewed (order 1045873 -&gt; 1101292)');
    expect(html).toContain('href="https://www.digicert.com/secure/orders/1101292"');
  });

  it("show a route's digest of its own alerts, each order linked", () => {
    const html = pictureHtml(sampleNamed('digest'));

    expect(digest.route).toBe('web');
    expect(html).toContain('Certificate expiry digest for web: 8 alerts (3 critical, 3 warning, 2 info)');
    expect(
      html.match(/<a href="https:\/\/www\.digicert\.com\/secure\/orders\/\d+">order \d+<\/a>/g),
    ).toHaveLength(8);
  });

  it('turn no value of an event into markup', () => {
    const hostile = {
      ...loadEvent('expiring-warning'),
      commonName: '<img src=x onerror=alert(1)>.example.com',
      container: '<script>alert(1)</script>',
    };

    const html = slackMessageHtml(slackMessage(hostile), '6:00 AM');

    expect(html).not.toMatch(/<img|<script/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('read Slack mrkdwn: links, bold, italic and code, and leave snake_case alone', () => {
    expect(
      mrkdwnToHtml('*Product*\nStandard SSL (ssl_plus) _late_ `a*b` <https://x.example/1|order 1>'),
    ).toBe(
      '<b>Product</b><br>Standard SSL (ssl_plus) <i>late</i> <code>a*b</code> <a href="https://x.example/1">order 1</a>',
    );
  });

  it.each(SAMPLES.map((sample) => [sample.name, picturePath(sample)]))(
    'the %s picture is in the repository, and the docs show it',
    (_name, path) => {
      const png = readFileSync(new URL(`../../../${path}`, import.meta.url));
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      const inDocs = path.replace(/^docs\//, '');
      expect(readDoc('docs/deploy.md')).toContain(`](${inDocs})`);
    },
  );
});

describe('the emails in the docs', () => {
  it.each(GENERATED_EMAILS.flatMap(({ file, names }) => names.map((name) => [file, name])))(
    '%s shows the current %s email (npm run docs:pictures)',
    (file, name) => {
      const text = readDoc(file);
      expect(withEmail(text, name, emailBlock(sampleNamed(name)))).toBe(text);
    },
  );
});
