import { describe, expect, it } from 'vitest';
import { ConsoleNotifier, type TextSink } from '../../../functions/notify/console-notifier.ts';
import { digestOf, loadEvent } from '../../fixtures/events/load.ts';

class CapturedOutput implements TextSink {
  text = '';
  write(chunk: string, callback: (error?: Error | null) => void): boolean {
    this.text += chunk;
    callback();
    return true;
  }
  lines(): string[] {
    return this.text.split('\n').filter((line) => line !== '');
  }
}

const [warning, expired, renewed] = [
  loadEvent('expiring-warning'),
  loadEvent('expired'),
  loadEvent('renewed'),
];
const events = [warning, expired, renewed];

describe('ConsoleNotifier in JSON mode', () => {
  it('prints one NDJSON line per event, digested ones included, that parses back to the event', async () => {
    const out = new CapturedOutput();
    const notifier = new ConsoleNotifier({ out, json: true });

    await notifier.send(warning, 'individual');
    await notifier.send(expired, 'digested');
    await notifier.send(renewed, 'digested');
    await notifier.sendDigest(digestOf(events));

    expect(out.text.endsWith('\n')).toBe(true);
    expect(out.lines().map((line) => JSON.parse(line))).toEqual(events);
  });
});

describe('ConsoleNotifier in text mode', () => {
  it('prints a readable line per individual alert with its severity and valid-till date', async () => {
    const out = new CapturedOutput();

    await new ConsoleNotifier({ out, json: false }).send(loadEvent('expired'), 'individual');

    expect(out.lines()).toEqual([
      '[CRITICAL] legacy.example.org expired 3 days ago (order 98765), valid till 2026-11-19',
    ]);
  });

  it('prints digested alerts once, in the grouped digest block', async () => {
    const out = new CapturedOutput();
    const notifier = new ConsoleNotifier({ out, json: false });

    for (const event of events) await notifier.send(event, 'digested');
    await notifier.sendDigest(digestOf(events));

    expect(out.lines()).toEqual([
      'Certificate expiry digest: 3 alerts (1 critical, 1 warning, 1 info)',
      '  CRITICAL (1)',
      '  - legacy.example.org: expired 3 days ago, valid till 2026-11-19, order 98765, History Department',
      '  WARNING (1)',
      '  - example.com: expires in 5 days, valid till 2026-11-27, order 123456, History Department',
      '  INFO (1)',
      '  - mail.example.com: was renewed, valid till 2026-11-28, order 1 -> 2, History Department',
    ]);
  });

  it('passes a failed write on to the caller', async () => {
    const broken: TextSink = {
      write: (_chunk, callback) => {
        callback(new Error('EPIPE'));
        return false;
      },
    };

    await expect(
      new ConsoleNotifier({ out: broken, json: false }).send(loadEvent('expired'), 'individual'),
    ).rejects.toThrow('EPIPE');
  });
});
