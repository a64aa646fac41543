/** How the simulator writes answers: JSON bodies and errors in the vendor's envelope. */
import type { ServerResponse } from 'node:http';

/** An answer in the vendor's error envelope: `{"errors":[{"code":…,"message":…}]}`. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const orderNotFound = (): ApiError => new ApiError(404, 'not_found|order', 'Order not found');

export const requestLimitExceeded = (): ApiError =>
  new ApiError(429, 'request_limit_exceeded', 'Service unavailable, please limit request volume');

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { ...headers, 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

export function sendError(
  response: ServerResponse,
  error: ApiError,
  headers: Record<string, string> = {},
): void {
  sendJson(response, error.status, { errors: [{ code: error.code, message: error.message }] }, headers);
}
