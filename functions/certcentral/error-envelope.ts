import { z } from 'zod';

/** The first entry of CertCentral's `{"errors":[{"code","message"}]}` error body. */
export interface VendorError {
  code: string;
  message: string;
}

const envelopeSchema = z.object({
  errors: z.array(z.object({ code: z.string(), message: z.string().optional() })).min(1),
});

/** Reads an error body defensively: HTML pages, empty bodies and invalid JSON all give null. */
export function parseErrorEnvelope(body: string): VendorError | null {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return null;
  }
  const parsed = envelopeSchema.safeParse(json);
  const first = parsed.success ? parsed.data.errors[0] : undefined;
  return first === undefined ? null : { code: first.code, message: first.message ?? '' };
}
