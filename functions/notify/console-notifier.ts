import type { AlertDigest, Delivery, NotificationEvent, Severity } from '../core/model.ts';
import type { Notifier } from '../core/ports.ts';
import { alertSubject, digestListing, digestSubject } from './alert-text.ts';

/** Where the console notifier writes: `process.stdout` fits. */
export interface TextSink {
  write(chunk: string, callback: (error?: Error | null) => void): boolean;
}

export interface ConsoleNotifierOptions {
  out: TextSink;
  /** One NDJSON line per event, for machines; otherwise one readable line per alert, for people. */
  json: boolean;
}

const MARKER: Record<Severity, string> = {
  critical: '[CRITICAL]',
  warning: '[WARNING] ',
  info: '[INFO]    ',
};

/** The terminal as the notifier, for the local command. */
export class ConsoleNotifier implements Notifier {
  private readonly out: TextSink;
  private readonly json: boolean;

  constructor(options: ConsoleNotifierOptions) {
    this.out = options.out;
    this.json = options.json;
  }

  async send(event: NotificationEvent, delivery: Delivery): Promise<void> {
    if (this.json) {
      await this.write(JSON.stringify(event));
    } else if (delivery === 'individual') {
      await this.write(`${MARKER[event.severity]} ${alertSubject(event)}, valid till ${event.validTill}`);
    }
  }

  /** Text only: in JSON mode every event, digested or not, has already been printed on its own line. */
  async sendDigest(digest: AlertDigest): Promise<void> {
    if (!this.json) {
      const listing = digestListing(digest).flatMap((block) => block.map((line) => `  ${line}`));
      await this.write([digestSubject(digest), ...listing].join('\n'));
    }
  }

  private write(text: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.out.write(`${text}\n`, (error) => (error ? reject(error) : resolve()));
    });
  }
}
