/**
 * Keeps secrets (the CertCentral API key, a Slack webhook URL) out of everything a user or a log can see. A
 * hostile or broken server may echo the key back anywhere: an error code, a JSON field, a CSV cell, a header.
 */

export const REDACTED = '[redacted]';

/** Shorter values are not treated as secrets: redacting them would mangle ordinary text. */
const MIN_SECRET_LENGTH = 6;

export class Redactor {
  /** Each secret and its URL-encoded form, longest first so that no secret is half-replaced by a shorter one. */
  readonly secrets: readonly string[];

  constructor(secrets: Iterable<string | null | undefined>) {
    const forms = new Set<string>();
    for (const secret of secrets) {
      if (typeof secret !== 'string') continue;
      for (const form of [secret, secret.trim(), encodeURIComponent(secret.trim())]) {
        if (form.length >= MIN_SECRET_LENGTH) forms.add(form);
      }
    }
    this.secrets = [...forms].sort((a, b) => b.length - a.length);
  }

  text(text: string): string {
    let clean = text;
    for (const secret of this.secrets) {
      if (clean.includes(secret)) clean = clean.split(secret).join(REDACTED);
    }
    return clean;
  }

  /** An error as a log line shows it (`Name: message`), clean. */
  errorText(error: unknown): string {
    return this.text(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  }

  /** Every string in a JSON-like value (strings, arrays, plain objects), in a copy; the value itself when clean. */
  deep<T>(value: T): T {
    return this.#deep(value) as T;
  }

  /**
   * Scrubs an error in place, so that its class (and so its exit code) is kept: the message, the stack, every
   * own string field (a vendor `code`), its cause and, for an AggregateError, its errors. Returns the error.
   */
  error<E>(error: E): E {
    this.#scrubError(error, new Set());
    return error;
  }

  #deep(value: unknown): unknown {
    if (typeof value === 'string') return this.text(value);
    if (Array.isArray(value)) {
      const items = value.map((item) => this.#deep(item));
      return items.some((item, index) => item !== value[index]) ? items : value;
    }
    if (isPlainObject(value)) {
      let changed = false;
      const copy: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        copy[key] = this.#deep(item);
        changed ||= copy[key] !== item;
      }
      return changed ? copy : value;
    }
    return value;
  }

  #scrubError(error: unknown, seen: Set<unknown>): void {
    if (typeof error !== 'object' || error === null || seen.has(error)) return;
    seen.add(error);
    const target = error as Record<string, unknown>;
    for (const key of new Set([...Object.getOwnPropertyNames(error), 'message', 'stack'])) {
      const descriptor = findDescriptor(error, key);
      if (descriptor === undefined || !('value' in descriptor)) continue;
      const value = descriptor.value as unknown;
      if (typeof value === 'string') {
        const clean = this.text(value);
        if (clean !== value) setOwn(target, key, clean, descriptor);
      } else if (key === 'cause' || key === 'errors' || value instanceof Error) {
        for (const inner of Array.isArray(value) ? value : [value]) this.#scrubError(inner, seen);
      } else if (isPlainObject(value) || Array.isArray(value)) {
        const clean = this.#deep(value);
        if (clean !== value) setOwn(target, key, clean, descriptor);
      }
    }
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/** The property's descriptor, own or inherited (a stack may live on the prototype chain). */
function findDescriptor(object: object, key: string): PropertyDescriptor | undefined {
  for (let current: object | null = object; current !== null; current = Object.getPrototypeOf(current)) {
    const descriptor = Object.getOwnPropertyDescriptor(current, key);
    if (descriptor !== undefined) return descriptor;
  }
  return undefined;
}

function setOwn(target: Record<string, unknown>, key: string, value: unknown, was: PropertyDescriptor): void {
  try {
    Object.defineProperty(target, key, {
      value,
      writable: true,
      configurable: true,
      enumerable: was.enumerable ?? false,
    });
  } catch {
    // A frozen error keeps its field; the outlets (CLI writers, handler logs) redact again.
  }
}

/**
 * A byte stream with every secret replaced as it flows, even one split across chunks: a little of each chunk
 * (one byte less than the longest secret) is held back until the next one shows whether a secret starts there.
 */
export function redactStream(
  body: ReadableStream<Uint8Array>,
  redactor: Redactor,
): ReadableStream<Uint8Array> {
  const secrets = redactor.secrets.map((secret) => Buffer.from(secret, 'utf8'));
  if (secrets.length === 0) return body;
  const replacement = Buffer.from(REDACTED, 'utf8');
  const holdBack = Math.max(...secrets.map((secret) => secret.length)) - 1;
  let tail: Buffer = Buffer.alloc(0);
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        const buffer = Buffer.concat([tail, chunk]);
        const parts: Buffer[] = [];
        let from = 0;
        for (let match = firstMatch(buffer, secrets, from); match !== null; ) {
          parts.push(buffer.subarray(from, match.index), replacement);
          from = match.index + match.length;
          match = firstMatch(buffer, secrets, from);
        }
        const keep = Math.max(from, buffer.length - holdBack);
        parts.push(buffer.subarray(from, keep));
        tail = Buffer.from(buffer.subarray(keep));
        const out = Buffer.concat(parts);
        if (out.length > 0) controller.enqueue(new Uint8Array(out));
      },
      flush(controller) {
        if (tail.length > 0) controller.enqueue(new Uint8Array(tail));
      },
    }),
  );
}

function firstMatch(
  buffer: Buffer,
  secrets: readonly Buffer[],
  from: number,
): { index: number; length: number } | null {
  let best: { index: number; length: number } | null = null;
  for (const secret of secrets) {
    const index = buffer.indexOf(secret, from);
    if (index >= 0 && (best === null || index < best.index)) best = { index, length: secret.length };
  }
  return best;
}
