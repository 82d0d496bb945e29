/**
 * Runtime configuration read from `/config.json` at startup.
 *
 * It is written at deploy (or dev) time next to the static build, so one build can be
 * pointed at any backend without rebuilding.
 */
export interface RuntimeConfig {
  /** Base URL of the doctor-live API; "" means the same origin as the site. */
  apiUrl: string;
  /** Fallback LiveKit URL, used only when the join API does not return one. */
  livekitUrl: string;
}

export const DEFAULT_CONFIG: RuntimeConfig = { apiUrl: '', livekitUrl: '' };

export function parseRuntimeConfig(raw: unknown): RuntimeConfig {
  const source = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
  return {
    apiUrl: text(source.apiUrl).replace(/\/+$/, ''),
    livekitUrl: text(source.livekitUrl),
  };
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
    // Same-origin API is the sensible guess when the file is missing (e.g. behind one CDN).
    console.warn(`doctor-live: could not read ${url}; using same-origin API`, error);
    return DEFAULT_CONFIG;
  }
}
