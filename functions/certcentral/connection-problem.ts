/**
 * Why a request got no HTTP answer at all, in words, from what `fetch` threw: "connection refused
 * (ECONNREFUSED)". Some problems will not go away by retrying within one request (no such host, a certificate
 * that is not trusted): those are final.
 */

export interface ConnectionProblem {
  text: string;
  /** Retrying cannot help: fail at once. */
  final: boolean;
}

const DESCRIPTIONS: Record<string, { text: string; final: boolean }> = {
  ECONNREFUSED: { text: 'connection refused', final: false },
  ECONNRESET: { text: 'connection reset', final: false },
  EPIPE: { text: 'connection closed while sending', final: false },
  UND_ERR_SOCKET: { text: 'connection closed by the server', final: false },
  ETIMEDOUT: { text: 'connection timed out', final: false },
  UND_ERR_CONNECT_TIMEOUT: { text: 'connection timed out', final: false },
  EHOSTUNREACH: { text: 'host unreachable', final: false },
  ENETUNREACH: { text: 'network unreachable', final: false },
  EAI_AGAIN: { text: 'name lookup failed for now', final: false },
  ENOTFOUND: { text: 'no such host', final: true },
};

/** The codes Node's TLS layer uses for a certificate it will not trust. */
const CERTIFICATE_CODE = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS_CERT/;

export function connectionProblem(error: unknown): ConnectionProblem {
  const cause = innermost(error);
  const code = codeOf(cause) ?? codeOf(error);
  if (code !== undefined) {
    const known = DESCRIPTIONS[code];
    if (known) return { text: `${known.text} (${code})`, final: known.final };
    if (CERTIFICATE_CODE.test(code)) {
      return {
        text: `the server's TLS certificate is not trusted: ${messageOf(cause)} (${code})`,
        final: true,
      };
    }
    return { text: `${messageOf(cause)} (${code})`, final: false };
  }
  return { text: messageOf(cause), final: false };
}

/** `fetch failed` is undici's wrapper: the reason is its cause (or the cause's cause). */
function innermost(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < 5; depth++) {
    const cause =
      typeof current === 'object' && current !== null ? (current as { cause?: unknown }).cause : undefined;
    if (cause === undefined || cause === null) return current;
    current = cause;
  }
  return current;
}

function codeOf(value: unknown): string | undefined {
  const code = typeof value === 'object' && value !== null ? (value as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code !== '' ? code : undefined;
}

function messageOf(value: unknown): string {
  if (value instanceof Error) return value.message || value.name;
  return String(value);
}
