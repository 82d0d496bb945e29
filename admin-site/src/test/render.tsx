import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import { createApiClient } from '../api/client';
import { SessionStore, type Session } from '../api/session';
import type { Role } from '../api/types';
import { AppRoutes } from '../App';
import { I18nProvider } from '../i18n/I18nProvider';
import type { Language } from '../i18n/languages';
import { makeQueryClient, RuntimeProvider } from '../Runtime';

export const API = 'http://api.test';
export const ENTITY_ID = '6d1c8f8e-0000-4000-8000-00000000e001';

export function session(role: Role = 'ENTITY_ADMIN', access = 'access-1'): Session {
  return {
    accessToken: access,
    refreshToken: 'refresh-token-0000000001',
    user: { id: 'u-1', email: 'ana@clinica.test', name: 'Ana Admin', role, entity_id: role === 'MANAGER' ? null : ENTITY_ID, entity_name: 'Clínica', active: true },
  };
}

export function memoryStorage(): Storage {
  const data = new Map<string, string>();
  return {
    get length() { return data.size; },
    clear: () => data.clear(),
    getItem: (k) => data.get(k) ?? null,
    key: (i) => [...data.keys()][i] ?? null,
    removeItem: (k) => { data.delete(k); },
    setItem: (k, v) => { data.set(k, String(v)); },
  };
}

export function json(status: number, body: unknown): Response {
  return new Response(body === null ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

type Handler = (request: Request) => Response | Promise<Response>;

/** A fake API: `routes` maps "METHOD /path" to a handler; every request is recorded. */
export function fakeFetch(routes: Record<string, Handler>) {
  const calls: Request[] = [];
  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(String(input), init);
    calls.push(request.clone());
    const url = new URL(request.url);
    const handler = routes[`${request.method} ${url.pathname}`];
    if (!handler) return json(404, { error: { code: 'not_found', message: `no fake for ${request.method} ${url.pathname}` } });
    return handler(request);
  };
  return { fetchImpl: fetchImpl as typeof fetch, calls };
}

function LocationProbe() {
  const location = useLocation();
  return <output data-testid="location">{location.pathname + location.search}</output>;
}

type RenderOptions = { routes?: Record<string, Handler>; as?: Session | null; language?: Language };

/** `children` inside the app's providers, with a fake API (`routes`) and the session `as`. */
function renderWithProviders(children: ReactNode, { routes = {}, as = session(), language = 'en' }: RenderOptions) {
  const store = new SessionStore(memoryStorage());
  if (as) store.set(as);
  const { fetchImpl, calls } = fakeFetch(routes);
  const api = createApiClient(API, store, fetchImpl);
  const result = render(
    <RuntimeProvider config={{ apiUrl: API }} store={store} api={api} queryClient={makeQueryClient()}>
      <I18nProvider initialLanguage={language}>{children}</I18nProvider>
    </RuntimeProvider>,
  );
  return { ...result, store, calls };
}

/** The whole app at `path`, with a probe showing the current location (data-testid="location"). */
export function renderApp(path: string, options: RenderOptions = {}) {
  return renderWithProviders(
    <MemoryRouter initialEntries={[path]}>
      <AppRoutes />
      <Routes><Route path="*" element={<LocationProbe />} /></Routes>
    </MemoryRouter>,
    options,
  );
}

/** One component with the app's providers and a fake API, outside the routes. */
export function renderWithApi(ui: ReactNode, options: RenderOptions = {}) {
  return renderWithProviders(<MemoryRouter>{ui}</MemoryRouter>, options);
}
