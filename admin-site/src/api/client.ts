import createClient from 'openapi-fetch';
import { createAuthFetch } from './authFetch';
import type { paths } from './schema';
import type { SessionStore } from './session';

export type Client = ReturnType<typeof createClient<paths>>;

/** The typed API client (paths and bodies from the generated schema), sending the session's
 * token and refreshing it one at a time (authFetch). */
export function createApiClient(baseUrl: string, store: SessionStore, fetchImpl?: typeof fetch): Client {
  return createClient<paths>({ baseUrl, fetch: createAuthFetch(baseUrl, store, fetchImpl) });
}

/** One key per form submission: a retried request (network, token refresh) is not applied twice. */
export function idempotencyHeaders(key: string = newKey()): { 'Idempotency-Key': string } {
  return { 'Idempotency-Key': key };
}

function newKey(): string {
  if (typeof crypto !== 'undefined' && 'randomUUID' in crypto) return crypto.randomUUID();
  return `${Date.now().toString(16)}-${Math.random().toString(16).slice(2)}`;
}
