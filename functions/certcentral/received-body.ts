/**
 * What a response carried, in words, for the errors that say what came back instead of what was expected:
 * "an HTML page titled "Sign in" (text/html, 1234 bytes)", "an empty body". Bodies are read bounded, so a
 * hostile server cannot make the client hold gigabytes to describe them.
 */
import { CertCentralError, type Endpoint } from './errors.ts';

export type BodyKind = 'empty' | 'html' | 'json' | 'other';

export interface ReceivedBody {
  kind: BodyKind;
  contentType: string | null;
  /** Bytes read; the body may be longer when `complete` is false. */
  bytes: number;
  complete: boolean;
  /** An HTML page's title, when it has one. */
  title: string | null;
}

/** How much of a body that is not what was expected is read to count it and find its title. */
export const DESCRIBED_BODY_MAX_BYTES = 1_048_576;
const TITLE_MAX = 80;
const BYTE_ORDER_MARK = /^\uFEFF/;

/** The kind of a body from its first characters (and its media type, for HTML). */
export function bodyKind(start: string, contentType: string | null): BodyKind {
  const text = start.replace(BYTE_ORDER_MARK, '').trimStart();
  if (text === '') return 'empty';
  if (text.startsWith('<') || /html/i.test(mediaType(contentType))) return 'html';
  // `[redacted]` (a key taken out of the body) starts with a bracket too: a JSON array starts like JSON.
  if (text.startsWith('{') || /^\[\s*([[{"\d\]-]|true|false|null)/.test(text)) return 'json';
  return 'other';
}

export function describeBody(body: ReceivedBody): string {
  const type = body.contentType?.trim() || 'no content type';
  const size = `${body.complete ? '' : 'more than '}${body.bytes} bytes`;
  switch (body.kind) {
    case 'empty':
      return body.bytes === 0 ? 'an empty body' : `a blank body (${type}, ${size})`;
    case 'html': {
      const what = /xml/i.test(type) && !/html/i.test(type) ? 'an XML document' : 'an HTML page';
      return `${what}${body.title === null ? '' : ` titled ${JSON.stringify(body.title)}`} (${type}, ${size})`;
    }
    case 'json':
      return `JSON (${type}, ${size})`;
    case 'other': {
      const what = body.contentType === null ? 'body' : `${mediaType(body.contentType)} body`;
      return `${/^[aeiou]/i.test(what) ? 'an' : 'a'} ${what} of ${size}`;
    }
  }
}

/** "CertCentral report answered HTTP 200 with an HTML page (text/html, 1234 bytes), not CSV: check the base URL". */
export function unexpectedBody(
  endpoint: Endpoint,
  status: number,
  body: ReceivedBody,
  expected: string,
): CertCentralError {
  return new CertCentralError(
    `CertCentral ${endpoint} answered HTTP ${status} with ${describeBody(body)}, not ${expected}: check the base URL`,
    { endpoint, status, code: 'invalid_response' },
  );
}

export interface BoundedText {
  text: string;
  bytes: number;
  complete: boolean;
}

/** Reads at most `maxBytes` of a body (already-read `head` chunks first), then lets the rest go. */
export async function readBounded(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  maxBytes: number,
  head: readonly Uint8Array[] = [],
): Promise<BoundedText> {
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  const take = (chunk: Uint8Array): boolean => {
    const room = maxBytes - bytes;
    const kept = chunk.byteLength > room ? chunk.subarray(0, room) : chunk;
    bytes += kept.byteLength;
    text += decoder.decode(kept, { stream: true });
    return chunk.byteLength <= room;
  };
  for (const chunk of head) {
    if (!take(chunk)) return cut(reader, text, bytes);
  }
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { text: text + decoder.decode(), bytes, complete: true };
    if (!take(value)) return cut(reader, text, bytes);
  }
}

async function cut(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  text: string,
  bytes: number,
): Promise<BoundedText> {
  await reader.cancel().catch(() => undefined);
  return { text, bytes, complete: false };
}

/** Describes a body that is not what the endpoint should send, from its text as read. */
export function receivedBody(read: BoundedText, contentType: string | null): ReceivedBody {
  const kind = bodyKind(read.text, contentType);
  return {
    kind,
    contentType,
    bytes: read.bytes,
    complete: read.complete,
    title: kind === 'html' ? pageTitle(read.text) : null,
  };
}

function pageTitle(html: string): string | null {
  const match = /<title[^>]*>([^<]*)<\/title>/i.exec(html);
  const title = match?.[1]?.replace(/\s+/g, ' ').trim() ?? '';
  if (title === '') return null;
  return title.length > TITLE_MAX ? `${title.slice(0, TITLE_MAX)}…` : title;
}

function mediaType(contentType: string | null): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}
