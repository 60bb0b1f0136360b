// The monitoring namespace: each method calls its route with its query, and the types are the
// contracts' (checked by the compiler: a contract change the client does not follow fails the build).
import type * as C from '@azora/contracts';
import type { z } from 'zod';
import type { AzoraClient } from '../src';
import type { FakeGateway } from './support/fake-gateway';
import { startSignedInClient, type SignedInClient } from './support/signed-in-client';
import { assertType, type Arg, type Equal, type Result } from './support/type-assertions';

type Monitoring = AzoraClient['monitoring'];

assertType<Equal<Result<Monitoring['status']>, z.output<typeof C.ServiceStatusList>>>();
assertType<Equal<Arg<Monitoring['uptime']>, z.input<typeof C.UptimeQuery> | undefined>>();
assertType<Equal<Result<Monitoring['uptime']>, z.output<typeof C.UptimeReport>>>();
assertType<Equal<Arg<Monitoring['incidents']>, z.input<typeof C.IncidentListQuery> | undefined>>();
assertType<Equal<Result<Monitoring['incidents']>, z.output<typeof C.IncidentPage>>>();
assertType<Equal<Result<Monitoring['bus']>, z.output<typeof C.BusHealth>>>();
assertType<Equal<Result<Monitoring['gatewayHealth']>, z.output<typeof C.GatewayHealth>>>();

let gateway: FakeGateway;
let client: AzoraClient;
let lastRequestOf: SignedInClient['lastRequestOf'];

beforeAll(async () => {
  ({ gateway, client, lastRequestOf } = await startSignedInClient());
});

afterAll(async () => {
  await gateway.close();
});

type Case = [name: string, call: () => Promise<unknown>, method: string, path: string, query?: Record<string, string>];

const cases: Case[] = [
  ['status', () => client.monitoring.status(), 'GET', '/api/monitoring/status'],
  ['uptime', () => client.monitoring.uptime({ hours: 48 }), 'GET', '/api/monitoring/uptime', { hours: '48' }],
  [
    'incidents',
    () => client.monitoring.incidents({ service: 'azora-mint', state: 'open', limit: 5 }),
    'GET',
    '/api/monitoring/incidents',
    { service: 'azora-mint', state: 'open', limit: '5' },
  ],
  ['bus', () => client.monitoring.bus(), 'GET', '/api/monitoring/bus'],
  ['gatewayHealth', () => client.monitoring.gatewayHealth(), 'GET', '/api/health'],
];

test.each(cases.map(([name, call, method, path, query]) => ({ name, call, method, path, query })))(
  'When monitoring.$name is called, then it sends its method, path and query',
  async ({ call, method, path, query }) => {
    const request = await lastRequestOf(call);

    expect(request.method).toBe(method);
    expect(request.path).toBe(path);
    if (query !== undefined) expect(request.query).toEqual(query);
  },
);

test('When every monitoring method is listed, then each has a case above', () => {
  expect(Object.keys(client.monitoring).filter((m) => !cases.some(([name]) => name === m))).toEqual([]);
});
