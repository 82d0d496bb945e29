import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { createApiClient, type Client } from './api/client';
import { SessionStore, type Session } from './api/session';
import type { RuntimeConfig } from './config';

interface Runtime {
  config: RuntimeConfig;
  api: Client;
  store: SessionStore;
}

const RuntimeContext = createContext<Runtime | null>(null);

export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: (count, error) => count < 1 && !(error as { status?: number })?.status, staleTime: 10_000, refetchOnWindowFocus: false },
      mutations: { retry: false },
    },
  });
}

/** The runtime config, the session store, the typed API client and the query cache. */
export function RuntimeProvider({ config, store, api, queryClient, children }: {
  config: RuntimeConfig;
  store?: SessionStore;
  api?: Client;
  queryClient?: QueryClient;
  children: ReactNode;
}) {
  const value = useMemo(() => {
    const s = store ?? new SessionStore();
    return { config, store: s, api: api ?? createApiClient(config.apiUrl, s) };
  }, [config, store, api]);
  const [client] = useState(() => queryClient ?? makeQueryClient());
  useEffect(
    () => value.store.subscribe((session) => {
      if (!session) client.clear(); // nothing of one user's data outlives their session
    }),
    [value.store, client],
  );
  return (
    <RuntimeContext.Provider value={value}>
      <QueryClientProvider client={client}>{children}</QueryClientProvider>
    </RuntimeContext.Provider>
  );
}

function useRuntime(): Runtime {
  const runtime = useContext(RuntimeContext);
  if (!runtime) throw new Error('useRuntime must be used inside <RuntimeProvider>');
  return runtime;
}

export const useApi = (): Client => useRuntime().api;
export const useSessionStore = (): SessionStore => useRuntime().store;
export const useRuntimeConfig = (): RuntimeConfig => useRuntime().config;

/** The current session (null when logged out), re-rendering when it changes. */
export function useSession(): Session | null {
  const store = useSessionStore();
  const [session, setSession] = useState(() => store.get());
  useEffect(() => {
    setSession(store.get());
    return store.subscribe(setSession);
  }, [store]);
  return session;
}
