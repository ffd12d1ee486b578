/**
 * Creating a business and pairing counters against a real PostgreSQL: the first counter's
 * token, one-time pairing codes that expire after ten minutes, wrong codes, the per-address
 * limit on failed attempts, closed sign-up, and secrets stored only as hashes.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PAIRING_ALPHABET,
  type DeviceInfo,
  type MeResponse,
  type PairingCodeResponse,
  type PairResponse,
} from '../../shared/sync/protocol';
import { createDatabase, startPostgres, type PostgresCluster } from '../support/postgres';
import { call, newBusiness, ok, startServerApp, type RunningServer } from '../support/sync-server-app';

let cluster: PostgresCluster;
let server: RunningServer;

beforeAll(async () => {
  cluster = await startPostgres();
  server = await startServerApp({ url: cluster.url });
});

afterAll(async () => {
  await server.close();
  await cluster.stop();
});

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const codeFor = (token: string, body: object = {}) =>
  ok<PairingCodeResponse>(server.url, 'POST', '/v1/pairing-codes', { token, body });

describe('creating a business', () => {
  it('makes the business, its first branch and the first counter, whose token then works', async () => {
    const paired = await newBusiness(server.url, 'Mama Nkechi Stores', 'Front till');
    expect(paired).toMatchObject({ businessName: 'Mama Nkechi Stores', branchName: 'Main branch' });
    expect(paired.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const me = await ok<MeResponse>(server.url, 'GET', '/v1/me', { token: paired.token });
    expect(me).toMatchObject({
      deviceId: paired.deviceId,
      deviceName: 'Front till',
      businessId: paired.businessId,
      branchId: paired.branchId,
      cursor: 0,
    });
  });

  it('keeps only the hash of a token', async () => {
    const paired = await newBusiness(server.url, 'Hash Check Ltd');
    const rows = await server.db.pool.query<{ token_hash: string }>(
      'SELECT token_hash FROM devices WHERE id = $1',
      [paired.deviceId],
    );
    expect(rows.rows).toEqual([{ token_hash: sha256(paired.token) }]);
    const leaked = await server.db.pool.query(`SELECT 1 FROM devices WHERE token_hash = $1 OR name = $1`, [
      paired.token,
    ]);
    expect(leaked.rowCount).toBe(0);
  });

  it('refuses a business with a sentence when the input is wrong', async () => {
    const answer = await call(server.url, 'POST', '/v1/businesses', {
      body: { businessName: '   ', deviceName: 'Till' },
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      error: { code: 'invalid_input', message: /^The new business is not valid: businessName: / },
    });
  });

  it('with sign-up closed, takes a business only with the admin token', async () => {
    const adminToken = 'admin-secret-0123456789';
    const closed = await startServerApp(
      { url: await createDatabase(cluster.url, 'closed_signup') },
      { signup: 'closed', adminToken },
    );
    try {
      const body = { businessName: 'Private Shop', deviceName: 'Till' };
      const none = await call(closed.url, 'POST', '/v1/businesses', { body });
      expect(none.status).toBe(403);
      expect(none.body).toMatchObject({ error: { code: 'forbidden' } });
      const wrong = await call(closed.url, 'POST', '/v1/businesses', {
        body,
        headers: { 'x-kasuwa-admin': 'admin-secret-guess' },
      });
      expect(wrong.status).toBe(403);
      const right = await call<PairResponse>(closed.url, 'POST', '/v1/businesses', {
        body,
        headers: { 'x-kasuwa-admin': adminToken },
      });
      expect(right.status).toBe(200);
      expect(right.body.businessName).toBe('Private Shop');
    } finally {
      await closed.close();
    }
  });
});

describe('behind a proxy', () => {
  it('counts failed pairings per forwarded client address, not against the proxy', async () => {
    const proxied = await startServerApp(
      { url: await createDatabase(cluster.url, 'behind_proxy') },
      { trustProxy: (_address: string, hop: number) => hop < 1 },
    );
    try {
      const guess = (client: string) =>
        call(proxied.url, 'POST', '/v1/pair', {
          body: { code: 'ZZZZZZZZ', deviceName: 'Guess' },
          headers: { 'x-forwarded-for': client },
        });
      for (let attempt = 0; attempt < 20; attempt += 1) expect((await guess('203.0.113.5')).status).toBe(404);
      expect((await guess('203.0.113.5')).status).toBe(429);
      expect((await guess('203.0.113.6')).status).toBe(404);
    } finally {
      await proxied.close();
    }
  });
});

describe('pairing codes', () => {
  it('pairs a new counter into the asking counter’s branch, and only once', async () => {
    const first = await newBusiness(server.url, 'Alhaji Musa & Sons');
    const code = await codeFor(first.token);
    expect(code.code).toHaveLength(8);
    for (const letter of code.code) expect(PAIRING_ALPHABET).toContain(letter);
    expect(code.branchId).toBe(first.branchId);
    expect(code.expiresAt - server.clock.now()).toBeGreaterThan(9 * 60 * 1000);
    expect(code.expiresAt - server.clock.now()).toBeLessThanOrEqual(10 * 60 * 1000);

    // Typed as shown (XXXX-XXXX) and in lower case: still the code.
    const typed = `${code.code.slice(0, 4)}-${code.code.slice(4)}`.toLowerCase();
    const second = await ok<PairResponse>(server.url, 'POST', '/v1/pair', {
      body: { code: typed, deviceName: 'Back till' },
    });
    expect(second).toMatchObject({
      businessId: first.businessId,
      businessName: 'Alhaji Musa & Sons',
      branchId: first.branchId,
    });
    expect(second.token).not.toBe(first.token);
    const devices = await ok<DeviceInfo[]>(server.url, 'GET', '/v1/devices', { token: second.token });
    expect(devices.map((d) => d.name).sort()).toEqual(['Back till', 'Till 1']);

    const again = await call(server.url, 'POST', '/v1/pair', {
      body: { code: code.code, deviceName: 'Third' },
    });
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ error: { code: 'pairing_code_used', message: /already used/ } });

    const stored = await server.db.pool.query<{ code_hash: string }>('SELECT code_hash FROM pairing_codes');
    expect(stored.rows.map((r) => r.code_hash)).toContain(sha256(code.code));
    expect(stored.rows.map((r) => r.code_hash)).not.toContain(code.code);
  });

  it('makes a new branch when asked by name, and refuses a branch of another business', async () => {
    const first = await newBusiness(server.url, 'Ikeja Phones');
    const other = await newBusiness(server.url, 'Someone Else');
    const code = await codeFor(first.token, { branchName: 'Computer Village' });
    expect(code.branchId).not.toBe(first.branchId);
    const paired = await ok<PairResponse>(server.url, 'POST', '/v1/pair', {
      body: { code: code.code, deviceName: 'CV till' },
    });
    expect(paired).toMatchObject({ branchId: code.branchId, branchName: 'Computer Village' });

    const sameBranch = await codeFor(first.token, { branchId: code.branchId });
    expect(sameBranch.branchId).toBe(code.branchId);
    const foreign = await call(server.url, 'POST', '/v1/pairing-codes', {
      token: first.token,
      body: { branchId: other.branchId },
    });
    expect(foreign.status).toBe(404);
    const both = await call(server.url, 'POST', '/v1/pairing-codes', {
      token: first.token,
      body: { branchId: code.branchId, branchName: 'Both' },
    });
    expect(both.status).toBe(400);
  });

  it('refuses an expired code and a code never issued', async () => {
    const first = await newBusiness(server.url, 'Expiry Stores');
    const code = await codeFor(first.token);
    server.clock.advance(10 * 60 * 1000 + 1);
    try {
      const late = await call(server.url, 'POST', '/v1/pair', {
        body: { code: code.code, deviceName: 'Late' },
      });
      expect(late.status).toBe(400);
      expect(late.body).toMatchObject({ error: { code: 'pairing_code_expired', message: /expired/ } });
    } finally {
      server.clock.offsetMs = 0;
    }
    const unknown = await call(server.url, 'POST', '/v1/pair', {
      body: { code: '2345ABCD', deviceName: 'X' },
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: { code: 'not_found', message: /not known/ } });
    const malformed = await call(server.url, 'POST', '/v1/pair', { body: { code: 'O0I1', deviceName: 'X' } });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ error: { message: /8 letters and digits/ } });
  });

  it('lets exactly one of two counters racing with one code pair', async () => {
    const first = await newBusiness(server.url, 'Race Mart');
    const code = await codeFor(first.token);
    const answers = await Promise.all(
      ['Racer A', 'Racer B'].map((deviceName) =>
        call(server.url, 'POST', '/v1/pair', { body: { code: code.code, deviceName } }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 400]);
  });

  it('stops an address after 20 failed attempts in 10 minutes, even with a right code', async () => {
    const limited = await startServerApp({ url: await createDatabase(cluster.url, 'rate_limit') });
    try {
      const first = await newBusiness(limited.url, 'Guarded Shop');
      const { code } = await ok<PairingCodeResponse>(limited.url, 'POST', '/v1/pairing-codes', {
        token: first.token,
        body: {},
      });
      for (let attempt = 0; attempt < 20; attempt += 1) {
        const wrong = await call(limited.url, 'POST', '/v1/pair', {
          body: { code: 'ZZZZZZZZ', deviceName: 'Guess' },
        });
        expect(wrong.status).toBe(404);
      }
      const blocked = await call(limited.url, 'POST', '/v1/pair', { body: { code, deviceName: 'Real' } });
      expect(blocked.status).toBe(429);
      expect(blocked.body).toMatchObject({ error: { code: 'too_many_attempts', message: /10 minutes/ } });

      // Held back for any code, wrong ones included, until the window passes.
      expect(
        (await call(limited.url, 'POST', '/v1/pair', { body: { code: 'ZZZZZZZZ', deviceName: 'X' } })).status,
      ).toBe(429);

      limited.clock.advance(10 * 60 * 1000 + 1);
      const later = await call(limited.url, 'POST', '/v1/pair', { body: { code, deviceName: 'Real' } });
      // The window has passed, but so has the code's own ten minutes.
      expect(later.status).toBe(400);
      expect(later.body).toMatchObject({ error: { code: 'pairing_code_expired' } });
    } finally {
      await limited.close();
    }
  });
});
