/** The CertCentral endpoints this client calls; also the keys of the call counters. */
export type Endpoint = 'report' | 'order' | 'subaccountOrder' | 'duplicates';

export interface CertCentralErrorDetails {
  endpoint: Endpoint;
  /** The HTTP status, or null when no response arrived (timeout, connection reset). */
  status: number | null;
  /**
   * The vendor's error code (`category|detail`), or one of ours: `invalid_response`, `missing_column`,
   * `redirect`, `timeout`, `network_error`. Null when the response carried no code.
   */
  code: string | null;
}

/** A CertCentral call that failed for good. Never carries the API key or a whole response body. */
export class CertCentralError extends Error {
  override readonly name: string = 'CertCentralError';
  readonly endpoint: Endpoint;
  readonly status: number | null;
  readonly code: string | null;

  constructor(message: string, details: CertCentralErrorDetails, options?: ErrorOptions) {
    super(message, options);
    this.endpoint = details.endpoint;
    this.status = details.status;
    this.code = details.code;
  }
}

/** CertCentral refused the API key itself (401, or 403 `access_denied_invalid_key`): retrying cannot help. */
export class CertCentralKeyRefusedError extends CertCentralError {
  override readonly name = 'CertCentralKeyRefusedError';

  constructor(endpoint: Endpoint, status: number, code: string | null) {
    super(
      `CertCentral refused the API key (HTTP ${status}${code === null ? '' : ` ${code}`}): ` +
        'check DIGICERT_API_KEY or the DigiCert API key secret',
      { endpoint, status, code },
    );
  }
}

/** The part of a pipe-delimited vendor code before the first `|`: `access_denied|missing_permission` -> `access_denied`. */
export function codeCategory(code: string | null): string | null {
  return code === null ? null : (code.split('|')[0] ?? code);
}

export function isInvalidKeyCode(code: string | null): boolean {
  return code?.split('|').includes('access_denied_invalid_key') ?? false;
}
