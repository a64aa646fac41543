import { ConfigError } from '../core/config.ts';
import type { AlertDigest, Delivery, NotificationEvent } from '../core/model.ts';
import type { Clock, Notifier } from '../core/ports.ts';
import { type SlackPayload, slackDigestMessage, slackMessage } from './slack-message.ts';

/** Slack answered 4xx (other than 429): the payload or the webhook is wrong, so retrying cannot help. */
export class SlackRejectedError extends Error {
  override readonly name = 'SlackRejectedError';
  constructor(
    readonly status: number,
    /** Slack's plain-text error code, e.g. `invalid_blocks`, `no_service`. */
    readonly slackError: string,
  ) {
    super(`Slack refused the message: HTTP ${status} ${slackError}`);
  }
}

/** Slack stayed unreachable, throttling or failing (5xx) through every attempt. */
export class SlackDeliveryError extends Error {
  override readonly name = 'SlackDeliveryError';
  constructor(
    /** The last HTTP status, or null when the last attempt got no response. */
    readonly status: number | null,
    readonly attempts: number,
    reason: string,
  ) {
    super(`Slack webhook failed after ${attempts} attempts: ${reason}`);
  }
}

export interface SlackWebhookOptions {
  /** A secret: it never appears in an error or a log line. */
  webhookUrl: string;
  fetch?: typeof globalThis.fetch;
  now?: Clock;
  sleep?: (ms: number) => Promise<void>;
  /** Slack accepts about one message per second per webhook. */
  minIntervalMs?: number;
  maxAttempts?: number;
  timeoutMs?: number;
}

type Attempt = { kind: 'sent' } | { kind: 'retry'; status: number | null; waitMs: number; reason: string };

const DEFAULT_RETRY_AFTER_MS = 1000;
const BACKOFF_BASE_MS = 1000;
const BACKOFF_MAX_MS = 30_000;
const SLACK_ERROR_MAX = 200;

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function validWebhookUrl(webhookUrl: string): string {
  const hidden = '(hidden)';
  if (!URL.canParse(webhookUrl)) throw new ConfigError('Slack webhook URL', hidden, 'is not a URL');
  const { protocol } = new URL(webhookUrl);
  if (protocol !== 'https:' && protocol !== 'http:') {
    throw new ConfigError('Slack webhook URL', hidden, 'must be an https URL');
  }
  return webhookUrl;
}

/** Why a request got no response, without the URL: only the error's name and code. */
function networkReason(error: unknown): string {
  if (!(error instanceof Error)) return 'network error';
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? `${error.name} (${code})` : error.name;
}

/** Posts payloads to a Slack incoming webhook, one at a time and at most one per `minIntervalMs`. */
export class SlackWebhookSender {
  private readonly webhookUrl: string;
  private readonly fetch: typeof globalThis.fetch;
  private readonly now: Clock;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly minIntervalMs: number;
  private readonly maxAttempts: number;
  private readonly timeoutMs: number;
  private lastRequestAt: number | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: SlackWebhookOptions) {
    this.webhookUrl = validWebhookUrl(options.webhookUrl);
    this.fetch = options.fetch ?? globalThis.fetch;
    this.now = options.now ?? (() => new Date());
    this.sleep = options.sleep ?? sleepFor;
    this.minIntervalMs = options.minIntervalMs ?? 1000;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** Resolves once Slack has accepted the payload. Concurrent calls are sent one after the other. */
  post(payload: SlackPayload): Promise<void> {
    const delivery = this.queue.then(() => this.deliver(JSON.stringify(payload)));
    this.queue = delivery.catch(() => undefined);
    return delivery;
  }

  private async deliver(body: string): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      await this.pace();
      const outcome = await this.attempt(body, attempt);
      if (outcome.kind === 'sent') return;
      if (attempt >= this.maxAttempts) throw new SlackDeliveryError(outcome.status, attempt, outcome.reason);
      await this.sleep(outcome.waitMs);
    }
  }

  private async pace(): Promise<void> {
    if (this.lastRequestAt !== null) {
      const wait = this.lastRequestAt + this.minIntervalMs - this.now().getTime();
      if (wait > 0) await this.sleep(wait);
    }
    this.lastRequestAt = this.now().getTime();
  }

  private async attempt(body: string, attempt: number): Promise<Attempt> {
    const backoffMs = Math.min(BACKOFF_BASE_MS * 2 ** (attempt - 1), BACKOFF_MAX_MS);
    let response: Response;
    try {
      response = await this.fetch(this.webhookUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      return { kind: 'retry', status: null, waitMs: backoffMs, reason: networkReason(error) };
    }
    const answer = (await response.text().catch(() => '')).trim();
    if (response.ok) return { kind: 'sent' };
    if (response.status === 429) {
      const waitMs = this.retryAfterMs(response.headers.get('retry-after'));
      return { kind: 'retry', status: 429, waitMs, reason: 'HTTP 429 rate limited' };
    }
    if (response.status >= 500) {
      return { kind: 'retry', status: response.status, waitMs: backoffMs, reason: `HTTP ${response.status}` };
    }
    throw new SlackRejectedError(response.status, this.slackError(answer));
  }

  /** `Retry-After` in seconds or as an HTTP date; 1 s when absent or unreadable. */
  private retryAfterMs(header: string | null): number {
    if (header === null) return DEFAULT_RETRY_AFTER_MS;
    if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
    const date = Date.parse(header);
    return Number.isNaN(date) ? DEFAULT_RETRY_AFTER_MS : Math.max(0, date - this.now().getTime());
  }

  private slackError(answer: string): string {
    const redacted = answer.replaceAll(this.webhookUrl, '(webhook URL)');
    return redacted.slice(0, SLACK_ERROR_MAX) || '(no error text)';
  }
}

/** Slack as a notifier: one message per individual alert, one for a digest; digested alerts are not posted. */
export class SlackNotifier implements Notifier {
  constructor(private readonly sender: Pick<SlackWebhookSender, 'post'>) {}

  async send(event: NotificationEvent, delivery: Delivery): Promise<void> {
    if (delivery === 'individual') await this.sender.post(slackMessage(event));
  }

  async sendDigest(digest: AlertDigest): Promise<void> {
    await this.sender.post(slackDigestMessage(digest));
  }
}
