/**
 * Failures the simulator injects on request, for the next N requests whatever they ask for: the ways a
 * client's calls to CertCentral go wrong (throttling, 5xx, a CDN's HTML page, reset connections, no answer).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, requestLimitExceeded, sendError } from './answers.ts';

/** When several are set, one request consumes one of the first that is set, in the order of `Fault`. */
export interface FaultKnobs {
  /** 429 `request_limit_exceeded`. */
  throttle: number;
  /** Sent as `Retry-After` with the injected 429s when set. */
  retryAfterSeconds: number | null;
  /** 503 with the JSON error envelope. */
  serverError: number;
  /** 502 with an HTML page, as a CDN in front answers. */
  htmlError: number;
  /** The connection is reset without an answer. */
  reset: number;
  /** The request is never answered (until the simulator closes). */
  hang: number;
  /** Added before every answer. */
  latencyMs: number;
}

export type Fault = 'reset' | 'hang' | 'htmlError' | 'serverError' | 'throttle';
const PRECEDENCE: readonly Fault[] = ['reset', 'hang', 'htmlError', 'serverError', 'throttle'];

const CDN_ERROR_PAGE =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n' +
  '<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n';

export const noFaults = (): FaultKnobs => ({
  throttle: 0,
  retryAfterSeconds: null,
  serverError: 0,
  htmlError: 0,
  reset: 0,
  hang: 0,
  latencyMs: 0,
});

/** The fault this request gets, if any, counted off its knob. */
export function takeFault(knobs: FaultKnobs): Fault | null {
  const fault = PRECEDENCE.find((name) => knobs[name] > 0) ?? null;
  if (fault) knobs[fault] -= 1;
  return fault;
}

export function answerWithFault(
  fault: Fault,
  knobs: FaultKnobs,
  request: IncomingMessage,
  response: ServerResponse,
): void {
  switch (fault) {
    case 'reset':
      request.socket.resetAndDestroy();
      return;
    case 'hang':
      return;
    case 'htmlError':
      response.writeHead(502, { 'Content-Type': 'text/html' }).end(CDN_ERROR_PAGE);
      return;
    case 'serverError':
      sendError(response, new ApiError(503, 'service_unavailable', 'The service is temporarily unavailable'));
      return;
    case 'throttle':
      sendError(
        response,
        requestLimitExceeded(),
        knobs.retryAfterSeconds === null ? {} : { 'Retry-After': String(knobs.retryAfterSeconds) },
      );
      return;
  }
}
