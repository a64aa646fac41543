/** SNS's size limit, and the bytes of a publish it counts against it. */
import type { PublishCommandInput } from '@aws-sdk/client-sns';

/** SNS refuses a publish whose message, subject and attributes together exceed 256 KB. */
export const SNS_MESSAGE_LIMIT_BYTES = 262_144;

/** The bytes SNS counts against its limit: the message, the subject and every attribute's name, type and value. */
export function publishSize(input: PublishCommandInput): number {
  const attributes = Object.entries(input.MessageAttributes ?? {}).reduce(
    (sum, [name, value]) =>
      sum +
      Buffer.byteLength(name) +
      Buffer.byteLength(value.DataType ?? '') +
      Buffer.byteLength(value.StringValue ?? ''),
    0,
  );
  return Buffer.byteLength(input.Message ?? '') + Buffer.byteLength(input.Subject ?? '') + attributes;
}
