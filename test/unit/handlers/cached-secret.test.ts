import {
  DecryptionFailure,
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { CachedSecret, SecretUnavailableError } from '../../../functions/runtime/cached-secret.ts';

const SECRET_ID =
  'arn:aws:secretsmanager:eu-west-1:123456789012:secret:expiry-alerts/digicert-api-key-Ab12Cd';
const MAX_AGE_MS = 300_000;

const secrets = mockClient(SecretsManagerClient);
let nowMs: number;

const cachedSecret = () =>
  new CachedSecret(new SecretsManagerClient({ region: 'eu-west-1' }), SECRET_ID, MAX_AGE_MS, () => nowMs);

const reads = () => secrets.commandCalls(GetSecretValueCommand, { SecretId: SECRET_ID }).length;

beforeEach(() => {
  secrets.reset();
  nowMs = Date.parse('2026-11-23T06:00:00Z');
});

describe('CachedSecret', () => {
  it('reads the secret once while the value is younger than its maximum age', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 'key-one' });
    const secret = cachedSecret();

    const first = await secret.value();
    nowMs += MAX_AGE_MS - 1;
    const second = await secret.value();

    expect([first, second]).toEqual(['key-one', 'key-one']);
    expect(reads()).toBe(1);
  });

  it('reads it again once the value is older, so a rotated key is picked up', async () => {
    secrets
      .on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: 'key-one' })
      .resolves({ SecretString: 'key-two' });
    const secret = cachedSecret();

    await secret.value();
    nowMs += MAX_AGE_MS;

    expect(await secret.value()).toBe('key-two');
    expect(reads()).toBe(2);
  });

  it('trims the stored value', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: '  key-one\n' });

    expect(await cachedSecret().value()).toBe('key-one');
  });

  it.each([
    ['empty', { SecretString: '' }],
    ['blank', { SecretString: ' \n' }],
    ['binary', { SecretBinary: new Uint8Array([1, 2]) }],
  ])('refuses an %s secret with an error naming the secret', async (_case, answer) => {
    secrets.on(GetSecretValueCommand).resolves(answer);

    const failure = cachedSecret().value();

    await expect(failure).rejects.toThrow(SecretUnavailableError);
    await expect(failure).rejects.toThrow(SECRET_ID);
  });

  it('says how to set a secret that was created without a value', async () => {
    secrets
      .on(GetSecretValueCommand)
      .rejects(new ResourceNotFoundException({ message: 'no AWSCURRENT version', $metadata: {} }));

    await expect(cachedSecret().value()).rejects.toThrow(
      `secret ${SECRET_ID} has no value yet: put it with aws secretsmanager put-secret-value`,
    );
  });

  it('lets other Secrets Manager failures through, and reads again on the next call', async () => {
    secrets
      .on(GetSecretValueCommand)
      .rejectsOnce(new DecryptionFailure({ message: 'KMS key access denied', $metadata: {} }))
      .resolves({ SecretString: 'key-one' });
    const secret = cachedSecret();

    await expect(secret.value()).rejects.toThrow(DecryptionFailure);
    expect(await secret.value()).toBe('key-one');
  });
});
