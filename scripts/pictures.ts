/**
 * `npm run docs:pictures`: what people receive, made from the code so the docs cannot drift from it. It renders
 * the Slack messages (the Block Kit payloads `slack-message.ts` posts) to PNGs under docs/pictures/ in headless
 * Chromium (Debian's `chromium`, driven by playwright-core), and writes the emails (the subject and text
 * `alert-text.ts` makes) into the README and the deploy guide between their markers. A unit test checks the
 * HTML and the emails in the docs; the pictures need Chromium, so they are made here and committed.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { AlertDigest, NotificationEvent } from '../functions/core/model.ts';
import { alertSubject, alertText, digestSubject, digestText } from '../functions/notify/alert-text.ts';
import { type SlackPayload, slackDigestMessage, slackMessage } from '../functions/notify/slack-message.ts';
import { digest, expired, expiring, renewed } from './pictures/samples.ts';
import { slackMessageHtml } from './pictures/slack-html.ts';

const ROOT = new URL('..', import.meta.url);
export const PICTURES_DIR = 'docs/pictures';
const TIME = '6:00 AM';

export interface Sample {
  /** `expiring`, `expired`, `renewed`, `digest`. */
  name: string;
  /** What the picture shows, for its alt text. */
  caption: string;
  slack: SlackPayload;
  email: { subject: string; text: string };
}

const eventSample = (name: string, caption: string, event: NotificationEvent): Sample => ({
  name,
  caption,
  slack: slackMessage(event),
  email: { subject: alertSubject(event), text: alertText(event) },
});

const digestSample = (name: string, caption: string, sent: AlertDigest): Sample => ({
  name,
  caption,
  slack: slackDigestMessage(sent),
  email: { subject: digestSubject(sent), text: digestText(sent) },
});

export const SAMPLES: readonly Sample[] = [
  eventSample('expiring', 'An expiring certificate in Slack', expiring),
  eventSample('expired', 'An expired certificate in Slack', expired),
  eventSample('renewed', 'A renewed notice in Slack', renewed),
  digestSample('digest', "The route web's digest in Slack", digest),
];

export const picturePath = (sample: Sample): string => `${PICTURES_DIR}/slack-${sample.name}.png`;

export const pictureHtml = (sample: Sample): string => slackMessageHtml(sample.slack, TIME);

/** The email as the docs show it: its subject, then its text. */
export function emailBlock(sample: Sample): string {
  return ['```text', `Subject: ${sample.email.subject}`, '', sample.email.text.trimEnd(), '```'].join('\n');
}

/** Which emails each document shows, between `<!-- pictures:email-NAME … -->` and `<!-- /pictures:email-NAME -->`. */
export const GENERATED_EMAILS: readonly { file: string; names: readonly string[] }[] = [
  { file: 'README.md', names: ['expiring', 'expired', 'renewed', 'digest'] },
  { file: 'docs/deploy.md', names: ['expiring', 'expired', 'renewed', 'digest'] },
];

export function withEmail(text: string, name: string, rendered: string): string {
  const start = `<!-- pictures:email-${name} (npm run docs:pictures writes this) -->`;
  const end = `<!-- /pictures:email-${name} -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`the markers of the ${name} email are missing`);
  return `${text.slice(0, from + start.length)}\n\n${rendered}\n\n${text.slice(to)}`;
}

export function sampleNamed(name: string): Sample {
  const sample = SAMPLES.find((each) => each.name === name);
  if (!sample) throw new Error(`no sample ${name}`);
  return sample;
}

export const readDoc = (file: string): string => readFileSync(new URL(file, ROOT), 'utf8');

/** The flags `node.md` gives for Chromium on these machines: no sandbox as root, no background networking. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

async function takePictures(): Promise<void> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  try {
    const page = await browser.newPage({ viewport: { width: 800, height: 600 }, deviceScaleFactor: 2 });
    mkdirSync(new URL(`${PICTURES_DIR}/`, ROOT), { recursive: true });
    for (const sample of SAMPLES) {
      await page.setContent(pictureHtml(sample), { waitUntil: 'load' });
      await page.locator('.message').screenshot({ path: new URL(picturePath(sample), ROOT).pathname });
      process.stdout.write(`${picturePath(sample)} written\n`);
    }
  } finally {
    await browser.close();
  }
}

function writeEmails(): void {
  for (const { file, names } of GENERATED_EMAILS) {
    let text = readDoc(file);
    for (const name of names) text = withEmail(text, name, emailBlock(sampleNamed(name)));
    writeFileSync(new URL(file, ROOT), text);
    process.stdout.write(`${file}: emails written\n`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeEmails();
  await takePictures();
}
