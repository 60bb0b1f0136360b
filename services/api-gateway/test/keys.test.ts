import request from 'supertest';
import { JsonWebKeySet } from '@azora/contracts';
import { createUserTokenVerifier, fixedClock, generateUserSigningKey } from '@azora/service-kit';
import { viewKeyRing } from '../src/domain/key-rotation';
import { register, startGateway, type TestGateway } from './support/gateway';

const DAY = 86_400_000;

describe('Signing keys and /.well-known/jwks.json', () => {
  describe('kept in the database', () => {
    const clock = fixedClock('2030-01-01T00:00:00Z');
    let gateway: TestGateway;

    beforeAll(async () => {
      gateway = await startGateway({
        clock,
        settings: { signingKeyMaxAgeSeconds: 30 * 86_400, accessTokenTtlSeconds: 900 },
      });
    });

    afterAll(async () => {
      await gateway.close();
    });

    const kidOf = (token: string) =>
      (JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as { kid: string }).kid;
    const kids = async () =>
      ((await request(gateway.url).get('/.well-known/jwks.json')).body as JsonWebKeySet).keys.map((k) => k.kid);
    const login = async (account: { email: string; password: string }) =>
      (await request(gateway.url).post('/api/auth/login').send(account)).body.accessToken as string;

    it('When the key set is fetched, then it lists Ed25519 public keys with their key ids and no private part', async () => {
      const { accessToken } = await register(gateway.url);

      const res = await request(gateway.url).get('/.well-known/jwks.json');

      expect(res.status).toBe(200);
      expect(JsonWebKeySet.parse(res.body).keys.map((k) => k.kid)).toContain(kidOf(accessToken));
      expect(res.body.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
      expect(res.body.keys[0]).not.toHaveProperty('d');
      expect(res.headers['cache-control']).toMatch(/max-age=\d+/);
    });

    it('When the key reaches its maximum age, then a new key is published at once, signs a minute later, and the old one stays published until its tokens expire', async () => {
      const { account, accessToken: before } = await register(gateway.url);
      const oldKid = kidOf(before);

      clock.advance(31 * DAY);
      await gateway.keyRing.reload();
      const published = await kids();
      const duringActivation = await login(account);
      clock.advance(61_000);
      await gateway.keyRing.reload();
      const after = await login(account);
      const bothPublished = await kids();
      clock.advance(17 * 60_000);
      await gateway.keyRing.reload();
      const afterExpiry = await kids();

      expect(published).toHaveLength(2);
      expect(kidOf(duringActivation)).toBe(oldKid);
      expect(kidOf(after)).not.toBe(oldKid);
      expect(bothPublished).toEqual(expect.arrayContaining([oldKid, kidOf(after)]));
      expect(afterExpiry).toEqual([kidOf(after)]);
      // A verifier that fetches the key set now accepts tokens of the new key.
      const verifier = createUserTokenVerifier({ jwksUrl: `${gateway.url}/.well-known/jwks.json` });
      await expect(verifier.verify(after)).resolves.toMatchObject({ role: 'student' });
      expect((await request(gateway.url).get('/api/auth/me').set('authorization', `Bearer ${after}`)).status).toBe(200);
    });
  });

  describe('from GATEWAY_SIGNING_KEY_FILE', () => {
    let gateway: TestGateway;
    const key = generateUserSigningKey();

    beforeAll(async () => {
      gateway = await startGateway({ signingKeyPem: key.privateKeyPem });
    });

    afterAll(async () => {
      await gateway.close();
    });

    it('When a key file is configured, then tokens are signed with it and only its public key is published', async () => {
      const { accessToken } = await register(gateway.url);

      const jwks = (await request(gateway.url).get('/.well-known/jwks.json')).body as JsonWebKeySet;
      const stored = await gateway.pool.query(`SELECT kid FROM signing_keys`);

      expect(jwks.keys).toHaveLength(1);
      expect(jwks.keys[0]?.x).toBe(key.publicJwk.x);
      expect(jwks.keys[0]?.kid).toMatch(/^gw-[A-Za-z0-9_-]{16}$/);
      await expect(createUserTokenVerifier({ jwks }).verify(accessToken)).resolves.toMatchObject({ role: 'student' });
      expect(stored.rows).toHaveLength(0);
    });
  });

  describe('the rotation rules', () => {
    const at = (iso: string) => new Date(iso);
    const policy = { maxAgeMs: 30 * DAY, accessTokenTtlMs: 15 * 60_000 };

    it('When there is no key, then rotation is due and nothing signs', () => {
      expect(viewKeyRing([], at('2030-01-01T00:00:00Z'), policy)).toEqual({
        signing: null,
        published: [],
        rotationDue: true,
      });
    });

    it('When a successor exists but is not active yet, then the old key signs and both are published', () => {
      const keys = [
        { kid: 'old', createdAt: at('2030-01-01T00:00:00Z'), retiredAt: at('2030-02-01T00:01:00Z') },
        { kid: 'new', createdAt: at('2030-02-01T00:00:00Z'), retiredAt: null },
      ];

      const view = viewKeyRing(keys, at('2030-02-01T00:00:30Z'), policy);

      expect(view.signing?.kid).toBe('old');
      expect(view.published.map((k) => k.kid)).toEqual(['old', 'new']);
      expect(view.rotationDue).toBe(false);
    });
  });
});
