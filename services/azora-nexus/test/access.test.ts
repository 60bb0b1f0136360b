import request from 'supertest';
import { describeEachBackend } from './support/backends';
import { lessonCompleted } from './support/events';
import { startEndpoint, type TestEndpoint } from './support/endpoint';
import { startNexus, type Nexus } from './support/harness';
import { addDeadLetters, storedCopies, subscriptionRow } from './support/inspect';

describeEachBackend('Who may call which route', (backend) => {
  let nexus: Nexus;
  let endpoint: TestEndpoint;

  beforeAll(async () => {
    nexus = await startNexus(undefined, { backend });
    endpoint = await startEndpoint();
  });

  afterAll(async () => {
    await nexus.close();
    await endpoint.close();
  });

  const as = async (service: string, method: 'get' | 'post', path: string, body?: object) => {
    const agent = request(nexus.app);
    const call = (method === 'get' ? agent.get(path) : agent.post(path)).auth(await nexus.token(service), {
      type: 'bearer',
    });
    return body ? call.send(body) : call;
  };

  /** A subscription of `subscriber` to `endpoint` with one dead letter; returns the dead letter's id. */
  async function deadLetterOf(subscriber: string): Promise<string> {
    const subscriptionId = await subscriptionRow(nexus, {
      subscriber,
      endpoint: `${endpoint.url}?${subscriber}-${Math.random()}`,
      secret: 'secret',
    });
    const published = await nexus.publish('azora-education', [lessonCompleted()]);
    const [dead] = await addDeadLetters(nexus, subscriptionId, await storedCopies(nexus, published));
    endpoint.secret = 'secret';
    return dead as string;
  }

  it('When a service that owns no event type publishes, then it answers 403 auth.service_not_allowed', async () => {
    const res = await as('monitoring-service', 'post', '/events', { events: [lessonCompleted()] });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('auth.service_not_allowed');
  });

  it('When a service other than analytics or monitoring replays or streams the log, then it answers 403', async () => {
    expect((await as('azora-mint', 'get', '/events')).status).toBe(403);
    expect((await as('azora-mint', 'get', '/stream')).status).toBe(403);
    expect((await as('analytics-service', 'get', '/events')).status).toBe(200);
  });

  it("When a service lists another service's subscriptions or dead letters, then it answers 403; without a filter it sees only its own", async () => {
    await deadLetterOf('azora-forge');
    await deadLetterOf('azora-mint');
    expect((await as('azora-mint', 'get', '/subscriptions?subscriber=azora-forge')).body.code).toBe(
      'subscriptions.not_own',
    );
    expect((await as('azora-mint', 'get', '/dead-letters?subscriber=azora-forge')).body.code).toBe(
      'dead_letters.not_own',
    );
    const own = await as('azora-mint', 'get', '/dead-letters');
    expect(own.status).toBe(200);
    expect(own.body.items.length).toBeGreaterThan(0);
    expect(own.body.items.every((d: { subscriber: string }) => d.subscriber === 'azora-mint')).toBe(true);
    const subscriptions = await as('azora-mint', 'get', '/subscriptions');
    expect(subscriptions.body.items.every((s: { subscriber: string }) => s.subscriber === 'azora-mint')).toBe(true);
  });

  it("When the operator lists without a filter, then it sees every subscriber's dead letters", async () => {
    await deadLetterOf('azora-forge');
    await deadLetterOf('notification-service');
    const res = await as('monitoring-service', 'get', '/dead-letters?limit=100');
    const subscribers = new Set(res.body.items.map((d: { subscriber: string }) => d.subscriber));
    expect([...subscribers]).toEqual(expect.arrayContaining(['azora-forge', 'notification-service']));
  });

  it("When a service retries another subscriber's dead letter, then it answers 403 and nothing is sent; the operator's retry delivers it", async () => {
    const id = await deadLetterOf('azora-forge');
    const sentBefore = endpoint.deliveries.length;
    const foreign = await as('azora-mint', 'post', `/dead-letters/${id}/retry`);
    expect(foreign.status).toBe(403);
    expect(foreign.body.code).toBe('dead_letters.not_own');
    expect(endpoint.deliveries).toHaveLength(sentBefore);

    const operator = await as('monitoring-service', 'post', `/dead-letters/${id}/retry`);
    expect(operator.status).toBe(200);
    expect(operator.body).toMatchObject({ id, status: 'delivered', subscriber: 'azora-forge' });
  });
});
