/**
 * The last net where text leaves the local command: stdout and stderr with every secret (the API key, the Slack
 * webhook URL) replaced in whatever is written, whichever code path wrote it.
 */
import type { Redactor } from '../certcentral/redact.ts';

/** The same stream (isTTY, columns, events and all) whose `write` redacts. */
export function redactingOutput(stream: NodeJS.WritableStream, redactor: Redactor): NodeJS.WritableStream {
  if (redactor.secrets.length === 0) return stream;
  const write = (chunk: unknown, ...rest: unknown[]): boolean =>
    (stream.write as (...args: unknown[]) => boolean)(clean(chunk, redactor), ...rest);
  return new Proxy(stream, {
    get(target, property) {
      if (property === 'write') return write;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function clean(chunk: unknown, redactor: Redactor): unknown {
  if (typeof chunk === 'string') return redactor.text(chunk);
  if (chunk instanceof Uint8Array) {
    const text = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('utf8');
    const redacted = redactor.text(text);
    return redacted === text ? chunk : Buffer.from(redacted, 'utf8');
  }
  return chunk;
}
