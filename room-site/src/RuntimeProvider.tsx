import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { createApiClient, type ApiClient } from './api';
import type { RuntimeConfig } from './config';

interface Runtime {
  config: RuntimeConfig;
  api: ApiClient;
}

const RuntimeContext = createContext<Runtime | null>(null);

/** Makes the runtime config and an API client bound to it available to the hooks. */
export function RuntimeProvider({ config, api, children }: { config: RuntimeConfig; api?: ApiClient; children: ReactNode }) {
  const value = useMemo(() => ({ config, api: api ?? createApiClient(config.apiUrl) }), [config, api]);
  return <RuntimeContext.Provider value={value}>{children}</RuntimeContext.Provider>;
}

function useRuntime(): Runtime {
  const runtime = useContext(RuntimeContext);
  if (!runtime) throw new Error('useRuntime must be used inside <RuntimeProvider>');
  return runtime;
}

export function useApi(): ApiClient {
  return useRuntime().api;
}

export function useRuntimeConfig(): RuntimeConfig {
  return useRuntime().config;
}
