import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Handler = (request: IncomingMessage, response: ServerResponse) => void;

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
}

export interface LocalServer {
  /** With a trailing slash, as a user might configure it. */
  baseUrl: string;
  requests: RecordedRequest[];
  /** Answers the next requests in order; once the list is used up, the last handler answers every request. */
  answer(...handlers: Handler[]): void;
  close(): Promise<void>;
}

/** A real HTTP server on a free local port, scripted per request. */
export async function startLocalServer(): Promise<LocalServer> {
  let handlers: Handler[] = [];
  const requests: RecordedRequest[] = [];
  const server = createServer((request, response) => {
    requests.push({ method: request.method ?? '', path: request.url ?? '', headers: request.headers });
    const handler = handlers.length > 1 ? handlers.shift() : handlers[0];
    if (handler === undefined) {
      response.writeHead(500).end('no handler scripted');
      return;
    }
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/services/v2/`,
    requests,
    answer: (...next) => {
      handlers = next;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

export const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Handler =>
  (_request, response) => {
    response.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(body));
  };

export const text =
  (status: number, body: string, contentType = 'text/html'): Handler =>
  (_request, response) => {
    response.writeHead(status, { 'Content-Type': contentType }).end(body);
  };

export const vendorError = (
  status: number,
  code: string,
  message = 'error',
  headers: Record<string, string> = {},
) => json(status, { errors: [{ code, message }] }, headers);

/** Drops the connection without answering. */
export const reset: Handler = (request) => {
  request.socket.destroy();
};

/** Accepts the request and never answers. */
export const silence: Handler = () => {};

/** Sends the headers and the first `bytes` of the body, then drops the connection. */
export const cutOff =
  (body: string, bytes: number, contentType = 'text/csv'): Handler =>
  (_request, response) => {
    response.writeHead(200, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
    response.write(body.slice(0, bytes), () => response.socket?.destroy());
  };
