import type { SessionStore } from './session';

const REFRESH_PATH = '/api/v1/auth/refresh';
const TOKEN_CODES = ['token_expired', 'invalid_token'];
const UNAUTHENTICATED_PATHS = ['/api/v1/auth/login', REFRESH_PATH, '/api/v1/auth/set-password', '/api/v1/auth/logout'];

/**
 * A fetch that sends the session's access token and, when the API answers 401 because the token
 * expired, refreshes it ONCE however many requests are in flight: they all wait on the same
 * refresh and each retries once with the new token. The API treats a refresh token used twice as
 * stolen and revokes the session, so parallel refreshes would log the user out.
 * A refused refresh ends the session (the store is cleared; the app shows the login page).
 */
export function createAuthFetch(baseUrl: string, store: SessionStore, fetchImpl: typeof fetch = (...a) => fetch(...a)) {
  let refreshing: Promise<string | null> | null = null;

  async function refresh(): Promise<string | null> {
    const session = store.get();
    if (!session) return null;
    try {
      const response = await fetchImpl(`${baseUrl}${REFRESH_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refresh_token: session.refreshToken }),
      });
      if (!response.ok) throw new Error(`refresh refused (${response.status})`);
      const pair = (await response.json()) as { access_token: string; refresh_token: string };
      // A logout while the refresh was in flight wins.
      if (store.get() === null) return null;
      store.set({ ...session, accessToken: pair.access_token, refreshToken: pair.refresh_token });
      return pair.access_token;
    } catch {
      store.set(null);
      return null;
    }
  }

  function refreshOnce(): Promise<string | null> {
    refreshing ??= refresh().finally(() => {
      refreshing = null;
    });
    return refreshing;
  }

  function withToken(request: Request, token: string | undefined): Request {
    const headers = new Headers(request.headers);
    if (token) headers.set('authorization', `Bearer ${token}`);
    return new Request(request, { headers });
  }

  /** A 401 for the token itself (expired, invalid), not e.g. a wrong current password. */
  async function isTokenProblem(response: Response): Promise<boolean> {
    try {
      const body = (await response.clone().json()) as { error?: { code?: string } };
      return TOKEN_CODES.includes(body?.error?.code ?? '');
    } catch {
      return true;
    }
  }

  return async function authFetch(input: Request): Promise<Response> {
    const path = new URL(input.url).pathname;
    if (UNAUTHENTICATED_PATHS.some((p) => path.endsWith(p))) return fetchImpl(input);
    const retry = input.clone();
    // Wait for a refresh already under way rather than spend a token we know is stale.
    if (refreshing) await refreshing;
    const sentWith = store.get()?.accessToken;
    const response = await fetchImpl(withToken(input, sentWith));
    if (response.status !== 401 || !sentWith || !(await isTokenProblem(response))) return response;
    const current = store.get()?.accessToken;
    // Another request refreshed while this one was out: use its token without refreshing again.
    const token = current && current !== sentWith ? current : await refreshOnce();
    if (!token) return response;
    return fetchImpl(withToken(retry, token));
  };
}
