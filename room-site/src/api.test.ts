import { describe, expect, it, vi } from 'vitest';
import { ApiError, createApiClient, NETWORK_ERROR } from './api';

function reply(status: number, body: unknown, headers: Record<string, string> = {}) {
  return new Response(body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

const errorBody = (code: string, message: string, details: unknown = null) => ({ error: { code, message, details } });

describe('api client', () => {
  it('calls the documented URLs with the bearer join token', async () => {
    const fetchImpl = vi.fn(async () => reply(200, { ok: true }));
    const api = createApiClient('http://127.0.0.1:8000/', fetchImpl);

    await api.getMagicLinkPreview('tok en');
    await api.validateMagicLink('tok', '12345678');
    await api.joinRoom('room-1', 'join-jwt');

    const calls = fetchImpl.mock.calls as unknown as [string, RequestInit][];
    // The magic-link token never in a URL: the preview is a POST with the token in its body.
    expect(calls[0][0]).toBe('http://127.0.0.1:8000/api/v1/magic-link/preview');
    expect(calls[0][1].method).toBe('POST');
    expect(JSON.parse(String(calls[0][1].body))).toEqual({ token: 'tok en' });
    expect(calls[1][0]).toBe('http://127.0.0.1:8000/api/v1/magic-link/validate');
    expect(calls[1][1].method).toBe('POST');
    expect(JSON.parse(String(calls[1][1].body))).toEqual({ token: 'tok', password: '12345678' });
    expect(calls[2][0]).toBe('http://127.0.0.1:8000/api/v1/rooms/room-1/join');
    expect(new Headers(calls[2][1].headers).get('Authorization')).toBe('Bearer join-jwt');
  });

  it('uses the same origin when apiUrl is empty', async () => {
    const fetchImpl = vi.fn(async () => reply(200, {}));
    await createApiClient('', fetchImpl).getMagicLinkPreview('abc123');
    expect((fetchImpl.mock.calls as unknown as [string][])[0][0]).toBe('/api/v1/magic-link/preview');
  });

  it.each([
    [404, 'not_found'],
    [410, 'link_expired'],
    [409, 'room_cancelled'],
    [409, 'room_finished'],
    [401, 'invalid_credentials'],
  ])('maps a %i {"error": {"code": "%s"}} reply to an ApiError', async (status, code) => {
    const api = createApiClient('', async () => reply(status, errorBody(code, `server says ${code}`, { a: 1 })));
    const error = await api.getMagicLinkPreview('abc123').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status, code, message: `server says ${code}`, details: { a: 1 } });
  });

  it('reads the lock time of a 429 from Retry-After', async () => {
    const api = createApiClient('', async () =>
      reply(429, errorBody('too_many_attempts', 'Too many attempts', { retry_after: 60 }), { 'Retry-After': '900' }),
    );
    const error = (await api.validateMagicLink('t', '12345678').catch((e: unknown) => e)) as ApiError;
    expect(error.code).toBe('too_many_attempts');
    expect(error.retryAfterSeconds).toBe(900);
  });

  it('falls back to details.retry_after when the header is not exposed (CORS)', async () => {
    const api = createApiClient('', async () => reply(429, errorBody('too_many_attempts', 'Too many', { retry_after: 120 })));
    const error = (await api.validateMagicLink('t', '12345678').catch((e: unknown) => e)) as ApiError;
    expect(error.retryAfterSeconds).toBe(120);
  });

  it('gives replies without the error shape a code from their status', async () => {
    const api = createApiClient('', async () => reply(410, '<html>Gone</html>'));
    const error = (await api.getMagicLinkPreview('abc123').catch((e: unknown) => e)) as ApiError;
    expect(error).toMatchObject({ status: 410, code: 'link_expired', details: null });

    const other = createApiClient('', async () => reply(502, undefined));
    expect(await other.getMagicLinkPreview('abc123').catch((e: unknown) => e)).toMatchObject({ status: 502, code: 'http_502' });
  });

  it('turns a failed request into a network_error', async () => {
    const api = createApiClient('', async () => {
      throw new TypeError('Failed to fetch');
    });
    expect(await api.getMagicLinkPreview('abc123').catch((e: unknown) => e)).toMatchObject({ status: 0, code: NETWORK_ERROR });
  });
});
