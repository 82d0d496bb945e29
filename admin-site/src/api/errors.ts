/** An API error in the platform's shape {"error": {code, message, details}}; `fields` maps a
 * request field (e.g. "name", "participants.0.email") to the API's message for it. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string> = {},
    readonly details: unknown = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface ErrorShape {
  error?: { code?: string; message?: string; details?: unknown };
}

export function toApiError(status: number, body: unknown): ApiError {
  const error = (body as ErrorShape | null)?.error;
  const details = error?.details;
  const fields: Record<string, string> = {};
  const list = (details as { fields?: { field?: string; message?: string }[] } | null)?.fields;
  if (Array.isArray(list)) {
    for (const item of list) {
      if (!item?.field) continue;
      const name = item.field.replace(/^(body|query|path)\./, '');
      fields[name] ??= item.message ?? '';
    }
  }
  return new ApiError(status, error?.code ?? `http_${status}`, error?.message ?? `HTTP ${status}`, fields, details ?? null);
}

/** openapi-fetch's {data, error, response} → data, or an ApiError thrown. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || !result.response.ok) throw toApiError(result.response.status, result.error ?? null);
  return result.data as T;
}

/** A message for any thrown value, for a page-level alert. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
