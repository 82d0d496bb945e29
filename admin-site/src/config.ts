/** Runtime configuration from `/config.json`, written next to the build by `make dev` and at
 * deploy time, so one build serves every stage. */
export interface RuntimeConfig {
  /** Base URL of the doctor-live API; "" means the site's own origin. */
  apiUrl: string;
}

export const DEFAULT_CONFIG: RuntimeConfig = { apiUrl: '' };

export function parseRuntimeConfig(raw: unknown): RuntimeConfig {
  const source = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const apiUrl = typeof source.apiUrl === 'string' ? source.apiUrl.trim().replace(/\/+$/, '') : '';
  return { apiUrl };
}

export async function loadRuntimeConfig(
  url = `${import.meta.env.BASE_URL}config.json`,
  fetchImpl: typeof fetch = fetch,
): Promise<RuntimeConfig> {
  try {
    const response = await fetchImpl(url, { cache: 'no-store' });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return parseRuntimeConfig(await response.json());
  } catch (error) {
    console.warn(`doctor-live: could not read ${url}; using same-origin API`, error);
    return DEFAULT_CONFIG;
  }
}
