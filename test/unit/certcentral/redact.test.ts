import { describe, expect, it } from 'vitest';
import { CertCentralError, CertCentralKeyRefusedError } from '../../../functions/certcentral/errors.ts';
import { REDACTED, Redactor, redactStream } from '../../../functions/certcentral/redact.ts';
import { redactingOutput } from '../../../functions/local/redacting-output.ts';

const KEY = 'dc-key-with/slash+plus=0123';
const redactor = new Redactor([KEY]);

async function throughStream(chunks: string[], with_: Redactor = redactor): Promise<string> {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
  return new Response(redactStream(body, with_)).text();
}

describe('Redactor.text', () => {
  it('replaces the key, its trimmed form and its URL-encoded form, everywhere', () => {
    const padded = new Redactor([` ${KEY}\n`]);

    expect(padded.text(`a ${KEY} b ${encodeURIComponent(KEY)} c ${KEY}`)).toBe(
      `a ${REDACTED} b ${REDACTED} c ${REDACTED}`,
    );
  });

  it('leaves text alone when there is no secret, or only values too short to be one', () => {
    expect(new Redactor([undefined, null, '', 'abc']).text('abc def')).toBe('abc def');
  });
});

describe('Redactor.deep', () => {
  it('cleans every string of a nested value in a copy, and hands back a clean value as it is', () => {
    const clean = { orderId: 1, names: ['a.example.com'], product: { name: 'SSL' } };
    const dirty = { orderId: 1, names: [`${KEY}.example.com`], product: { name: KEY }, none: null };

    expect(redactor.deep(clean)).toBe(clean);
    expect(redactor.deep(dirty)).toEqual({
      orderId: 1,
      names: [`${REDACTED}.example.com`],
      product: { name: REDACTED },
      none: null,
    });
    expect(dirty.product.name).toBe(KEY);
  });
});

describe('Redactor.error', () => {
  it('scrubs the message, the stack, the fields and the causes in place, and keeps the class', () => {
    const cause = new AggregateError([new Error(`inner ${KEY}`)], `outer ${KEY}`);
    const error = new CertCentralKeyRefusedError('report', 403, `access_denied|${KEY}`);
    Object.defineProperty(error, 'cause', { value: cause });
    const plain = new TypeError(`Headers.append: "${KEY}" is an invalid header value.`);

    redactor.error(error);
    redactor.error(plain);

    expect(error).toBeInstanceOf(CertCentralKeyRefusedError);
    expect(error.code).toBe(`access_denied|${REDACTED}`);
    expect(error.message).toContain(`HTTP 403 access_denied|${REDACTED}`);
    expect(`${error.stack}${cause.message}${(cause.errors[0] as Error).message}`).not.toContain(KEY);
    expect(plain.message).toBe(`Headers.append: "${REDACTED}" is an invalid header value.`);
    expect(plain.stack).not.toContain(KEY);
  });

  it('survives an error that refers to itself', () => {
    const error = new CertCentralError(`loop ${KEY}`, { endpoint: 'order', status: null, code: null });
    Object.defineProperty(error, 'cause', { value: error });

    expect(redactor.error(error).message).toBe(`loop ${REDACTED}`);
  });
});

describe('redactStream', () => {
  it('replaces a key split over chunks, at the very start and at the very end', async () => {
    const text = `${KEY},"a ${KEY} b",${KEY}`;
    const cuts = [3, KEY.length + 5, KEY.length + 9, text.length - 4];
    const chunks = [0, ...cuts].map((start, index) => text.slice(start, cuts[index] ?? text.length));

    expect(await throughStream(chunks)).toBe(`${REDACTED},"a ${REDACTED} b",${REDACTED}`);
  });

  it('passes everything else through byte for byte, one byte per chunk included', async () => {
    const text = 'order_id,common_name\n"1","bücher.example.de"\n"2","dc-key-with"\n';

    expect(await throughStream([...text])).toBe(text);
  });
});

describe('redactingOutput', () => {
  it('redacts strings and bytes written to the stream and leaves its other properties alone', () => {
    const written: unknown[] = [];
    const stream = Object.assign(
      { write: (chunk: unknown) => written.push(chunk) > 0, isTTY: true },
      {},
    ) as unknown as NodeJS.WritableStream & { isTTY: boolean };

    const out = redactingOutput(stream, redactor) as typeof stream;
    out.write(`key=${KEY}\n`);
    out.write(Buffer.from(`bytes ${KEY}`));
    out.write(Buffer.from('clean'));

    expect(written.map(String)).toEqual([`key=${REDACTED}\n`, `bytes ${REDACTED}`, 'clean']);
    expect(out.isTTY).toBe(true);
  });
});
