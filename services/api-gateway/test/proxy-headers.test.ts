import http from 'node:http';
import request from 'supertest';
import { startGateway, type TestGateway } from './support/gateway';
import { startFakeUpstream, upstream, type FakeUpstream } from './support/upstreams';

/** GET with headers exactly as given (supertest would replace Connection). */
function getWithHeaders(url: string, headers: Record<string, string>): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers, agent: false }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve(JSON.parse(body) as Record<string, unknown>));
      })
      .on('error', reject);
  });
}

describe('Connection-level headers stay on their own connection', () => {
  let gateway: TestGateway;
  let echo: FakeUpstream;

  beforeAll(async () => {
    echo = await startFakeUpstream();
    gateway = await startGateway({ upstreams: [upstream('fake', echo.url)] });
  });

  afterAll(async () => {
    await gateway.close();
    await echo.close();
  });

  it('When a client names headers in Connection, then neither they nor the standard hop-by-hop headers reach the service', async () => {
    const seen = await getWithHeaders(`${gateway.url}/api/fake/headers`, {
      connection: 'keep-alive, x-client-hop',
      'keep-alive': 'timeout=5',
      'x-client-hop': 'for the gateway only',
      te: 'trailers',
      'x-end-to-end': 'for the service',
    });

    expect(seen['x-client-hop']).toBeUndefined();
    expect(seen['keep-alive']).toBeUndefined();
    expect(seen.te).toBeUndefined();
    expect(seen['x-end-to-end']).toBe('for the service');
  });

  it('When the service answers with hop-by-hop headers, then the client gets the answer without them', async () => {
    const res = await request(gateway.url).get('/api/fake/hop-by-hop');

    expect(res.status).toBe(200);
    expect(res.headers['x-end-to-end']).toBe('for the client');
    expect(res.headers['x-service-hop']).toBeUndefined();
    expect(res.headers['keep-alive']).not.toBe('timeout=5');
  });
});
