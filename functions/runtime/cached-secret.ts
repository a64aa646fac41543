/**
 * A Secrets Manager secret read once and kept for a while (so a rotated value is picked up), never logged and
 * never put in an environment variable.
 */
import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';

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
    const value = (await this.read())?.trim();
    if (!value) throw this.unavailable();
    this.cached = { value, at: this.now() };
    return value;
  }

  /** A secret created without a value answers ResourceNotFoundException (no AWSCURRENT version). */
  private async read(): Promise<string | undefined> {
    try {
      const { SecretString } = await this.client.send(new GetSecretValueCommand({ SecretId: this.secretId }));
      return SecretString;
    } catch (error) {
      if (error instanceof ResourceNotFoundException) throw this.unavailable();
      throw error;
    }
  }

  private unavailable(): SecretUnavailableError {
    return new SecretUnavailableError(
      `secret ${this.secretId} has no value yet: put it with aws secretsmanager put-secret-value`,
    );
  }
}
