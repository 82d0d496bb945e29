import { describe, expect, it } from 'vitest';
import { fakeFetch, json, memoryStorage, session } from '../test/render';
import { createApiClient } from './client';
import { SessionStore } from './session';

const API = 'http://api.test';
const expired = () => json(401, { error: { code: 'token_expired', message: 'Access token expired', details: null } });

function setup(refresh: (r: Request) => Response | Promise<Response>) {
  const store = new SessionStore(memoryStorage());
  store.set(session('ENTITY_ADMIN', 'old-access'));
  let release!: () => void;
  const gate = new Promise<void>((r) => { release = r; });
  const fake = fakeFetch({
    'POST /api/v1/auth/refresh': async (r) => { await gate; return refresh(r); },
    'GET /api/v1/stats': (r) => (r.headers.get('authorization') === 'Bearer new-access'
      ? json(200, { entities: 1, active_entities: 1, departments: 0, professionals: 0, meetings_total: 0, meetings_upcoming: 0, meetings_active: 0, active_users: 1 })
      : expired()),
  });
  return { store, release, ...fake, api: createApiClient(API, store, fake.fetchImpl) };
}

describe('one refresh in flight', () => {
  it('N parallel requests that meet an expired token cause exactly one POST /auth/refresh, then each retries once', async () => {
    const { api, store, calls, release } = setup(async (r) => {
      expect(await r.json()).toEqual({ refresh_token: 'refresh-token-0000000001' });
      return json(200, { access_token: 'new-access', refresh_token: 'refresh-token-0000000002', expires_in: 900, refresh_expires_in: 3600 });
    });
    const replies = Promise.all(Array.from({ length: 5 }, () => api.GET('/api/v1/stats')));
    await new Promise((r) => setTimeout(r, 10)); // let all five meet their 401 before the refresh answers
    release();
    const results = await replies;
    expect(results.every((r) => r.response.status === 200)).toBe(true);
    const refreshes = calls.filter((c) => c.url.endsWith('/api/v1/auth/refresh'));
    expect(refreshes).toHaveLength(1);
    expect(calls.filter((c) => c.url.endsWith('/api/v1/stats'))).toHaveLength(10); // each: once stale, once retried
    expect(store.get()?.accessToken).toBe('new-access');
    expect(store.get()?.refreshToken).toBe('refresh-token-0000000002');
  });

  it('a request sent after the refresh uses the new token without refreshing again', async () => {
    const { api, calls, release } = setup(() =>
      json(200, { access_token: 'new-access', refresh_token: 'refresh-token-0000000002', expires_in: 900, refresh_expires_in: 3600 }));
    release();
    await api.GET('/api/v1/stats');
    const later = await api.GET('/api/v1/stats');
    expect(later.response.status).toBe(200);
    expect(calls.filter((c) => c.url.endsWith('/api/v1/auth/refresh'))).toHaveLength(1);
    expect(calls.at(-1)?.headers.get('authorization')).toBe('Bearer new-access');
  });

  it('a refused refresh logs out cleanly: the session is gone and the requests end with their 401', async () => {
    const { api, store, calls, release } = setup(() => json(401, { error: { code: 'invalid_refresh_token', message: 'Invalid refresh token' } }));
    const replies = Promise.all(Array.from({ length: 3 }, () => api.GET('/api/v1/stats')));
    await new Promise((r) => setTimeout(r, 10));
    release();
    const results = await replies;
    expect(results.map((r) => r.response.status)).toEqual([401, 401, 401]);
    expect(store.get()).toBeNull();
    expect(calls.filter((c) => c.url.endsWith('/api/v1/auth/refresh'))).toHaveLength(1);
  });

  it('a 401 that is not about the token (a wrong current password) does not refresh', async () => {
    const store = new SessionStore(memoryStorage());
    store.set(session());
    const { fetchImpl, calls } = fakeFetch({
      'POST /api/v1/auth/password': () => json(401, { error: { code: 'invalid_credentials', message: 'The current password is wrong' } }),
    });
    const api = createApiClient(API, store, fetchImpl);
    const reply = await api.POST('/api/v1/auth/password', { body: { current_password: 'x', new_password: 'y'.repeat(10) } });
    expect(reply.response.status).toBe(401);
    expect(calls.map((c) => new URL(c.url).pathname)).toEqual(['/api/v1/auth/password']);
    expect(store.get()).not.toBeNull();
  });

  it('the session survives a reload: a new store reads it back', () => {
    const storage = memoryStorage();
    new SessionStore(storage).set(session('PROFESSIONAL'));
    expect(new SessionStore(storage).get()?.user.role).toBe('PROFESSIONAL');
  });
});
