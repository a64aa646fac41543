import { describe, expect, it } from 'vitest';
import { createDynamoClients } from '../../../functions/state/dynamo-clients.ts';

describe('createDynamoClients', () => {
  it('needs no AWS credentials or region for a local endpoint', async () => {
    const { client } = createDynamoClients({ endpoint: 'http://127.0.0.1:8000' });

    expect(await client.config.region()).toBe('local');
    expect(await client.config.credentials()).toMatchObject({ accessKeyId: 'local' });
  });

  it('uses the region it is given', async () => {
    const { client } = createDynamoClients({ endpoint: 'http://localhost:8000', region: 'eu-west-3' });

    expect(await client.config.region()).toBe('eu-west-3');
  });

  it('points the document client at the endpoint', async () => {
    const { doc } = createDynamoClients({ endpoint: 'http://localhost:8123' });

    const endpoint = await doc.config.endpoint?.();
    expect(endpoint).toMatchObject({ hostname: 'localhost', port: 8123 });
  });
});
