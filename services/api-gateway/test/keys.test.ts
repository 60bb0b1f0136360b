import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { JsonWebKeySet } from '@azora/contracts';
import { createUserTokenIssuer, createUserTokenVerifier, fixedClock, generateUserSigningKey } from '@azora/service-kit';
import { viewKeyRing } from '../src/domain/key-rotation';
import { keyEncryptionKeyFrom } from '../src/keys/key-encryption';
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

  describe('encrypted at rest', () => {
    let gateway: TestGateway;

    beforeAll(async () => {
      gateway = await startGateway();
    });

    afterAll(async () => {
      await gateway.close();
    });

    /** Every text column of every stored key, as one string. */
    const storedRows = async () => JSON.stringify((await gateway.pool.query(`SELECT * FROM signing_keys`)).rows);

    it('When the gateway makes a signing key, then its stored row holds no private key in the clear', async () => {
      const { accessToken } = await register(gateway.url);

      const stored = await storedRows();

      expect(stored).toContain('aes-256-gcm');
      expect(stored).toContain(gateway.keyEncryptionKey.id);
      expect(stored).not.toMatch(/PRIVATE KEY|"d":/);
      const verifier = createUserTokenVerifier({ jwksUrl: `${gateway.url}/.well-known/jwks.json` });
      await expect(verifier.verify(accessToken)).resolves.toMatchObject({ role: 'student' });
    });

    it('When a key was stored in the clear before encryption existed, then loading encrypts it and it keeps signing', async () => {
      const { user, account } = await register(gateway.url);
      const legacy = generateUserSigningKey();
      const { token } = await createUserTokenIssuer(legacy).issue({ id: user.id, role: 'student' });
      await gateway.pool.query(`DELETE FROM signing_keys`);
      await gateway.pool.query(
        `INSERT INTO signing_keys (kid, private_key_pem, public_jwk, created_at) VALUES ($1, $2, $3, now())`,
        [legacy.kid, legacy.privateKeyPem, JSON.stringify(legacy.publicJwk)],
      );

      await gateway.keyRing.reload();
      const stored = await storedRows();
      const me = await request(gateway.url).get('/api/auth/me').set('authorization', `Bearer ${token}`);
      const { accessToken } = (await request(gateway.url).post('/api/auth/login').send(account)).body;

      expect(stored).not.toContain('PRIVATE KEY');
      expect(stored).toContain(legacy.kid);
      expect(me.status).toBe(200);
      expect(JSON.parse(Buffer.from(accessToken.split('.')[0]!, 'base64url').toString()).kid).toBe(legacy.kid);
    });

    it('When another instance starts with a different encryption key, then loading the keys fails and says which variable is wrong', async () => {
      await register(gateway.url);
      const other = await startGateway({ sharing: gateway, keyEncryptionKey: keyEncryptionKeyFrom(randomBytes(32)) });

      try {
        await expect(other.keyRing.reload()).rejects.toThrow(/GATEWAY_KEY_ENCRYPTION_KEY/);
      } finally {
        await other.close();
      }
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
