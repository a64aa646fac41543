/**
 * A Secrets Manager secret read once and kept for a while (so a rotated value is picked up), never logged and
 * never put in an environment variable.
 */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

export class SecretUnavailableError extends Error {
  override readonly name = 'SecretUnavailableError';
}

export class CachedSecret {
  private cached: { value: string; at: number } | null = null;

  constructor(
    private readonly client: SecretsManagerClient,
    private readonly secretId: string,
    private readonly maxAgeMs = 300_000,
    private readonly now: () => number = Date.now,
  ) {}

  async value(): Promise<string> {
    if (this.cached && this.now() - this.cached.at < this.maxAgeMs) return this.cached.value;
    const { SecretString } = await this.client.send(new GetSecretValueCommand({ SecretId: this.secretId }));
    const value = SecretString?.trim();
    if (!value) {
      throw new SecretUnavailableError(
        `secret ${this.secretId} has no value yet: put it with aws secretsmanager put-secret-value`,
      );
    }
    this.cached = { value, at: this.now() };
    return value;
  }
}
