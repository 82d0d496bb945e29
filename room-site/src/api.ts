/**
 * The doctor-live API as the participant site sees it: three calls, typed replies and one
 * error type carrying the backend's `{"error": {"code", "message", "details"}}` shape.
 */

export type RoomStatus = 'SCHEDULED' | 'ACTIVE' | 'COMPLETED' | 'CANCELLED';

export interface RoomSummary {
  id: string;
  title: string;
  description: string | null;
  scheduled_start: string;
  scheduled_end: string;
  status: RoomStatus;
  organizer_name: string;
  entity_name: string;
  /** The meeting is recorded: said before joining and shown during the meeting. */
  recorded: boolean;
}

export interface MagicLinkPreview {
  room: RoomSummary;
  participant: { name: string };
}

export interface MagicLinkValidation {
  room: RoomSummary;
  participant: { id: string; name: string };
  join_token: string;
  /** Lifetime of join_token in seconds. */
  expires_in: number;
}

export interface RoomJoin {
  /** The meeting is being recorded (the control bar shows it). */
  recorded: boolean;
  livekit_url: string;
  livekit_token: string;
  room_name: string;
  participant_identity: string;
}

/** Codes produced by this client itself, next to the backend's own codes. */
export const NETWORK_ERROR = 'network_error';
export const UNEXPECTED_RESPONSE = 'unexpected_response';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown> | null;
  /** Seconds to wait before trying again (429), from Retry-After or details.retry_after. */
  readonly retryAfterSeconds: number | null;

  constructor(
    status: number,
    code: string,
    message: string,
    details: Record<string, unknown> | null = null,
    retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export interface ApiClient {
  getMagicLinkPreview(token: string, signal?: AbortSignal): Promise<MagicLinkPreview>;
  validateMagicLink(token: string, password: string): Promise<MagicLinkValidation>;
  joinRoom(roomId: string, joinToken: string): Promise<RoomJoin>;
}

export function createApiClient(apiUrl: string, fetchImpl: typeof fetch = (...a) => fetch(...a)): ApiClient {
  const base = apiUrl.replace(/\/+$/, '');

  async function request<T>(path: string, init: RequestInit = {}): Promise<T> {
    const headers = new Headers(init.headers);
    headers.set('Accept', 'application/json');
    if (init.body !== undefined) headers.set('Content-Type', 'application/json');
    let response: Response;
    try {
      response = await fetchImpl(`${base}/api/v1${path}`, { ...init, headers });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') throw error;
      throw new ApiError(0, NETWORK_ERROR, error instanceof Error ? error.message : String(error));
    }
    const body = await readJson(response);
    if (!response.ok) throw errorFromResponse(response, body);
    if (body === undefined) {
      throw new ApiError(response.status, UNEXPECTED_RESPONSE, 'The server reply was not JSON');
    }
    return body as T;
  }

  return {
    // The token in the body, never in the path: paths reach access logs.
    getMagicLinkPreview: (token, signal) =>
      request<MagicLinkPreview>('/magic-link/preview', {
        method: 'POST',
        body: JSON.stringify({ token }),
        signal,
      }),
    validateMagicLink: (token, password) =>
      request<MagicLinkValidation>('/magic-link/validate', {
        method: 'POST',
        body: JSON.stringify({ token, password }),
      }),
    joinRoom: (roomId, joinToken) =>
      request<RoomJoin>(`/rooms/${encodeURIComponent(roomId)}/join`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${joinToken}` },
      }),
  };
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text().catch(() => '');
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const CODE_BY_STATUS: Record<number, string> = {
  400: 'bad_request',
  401: 'invalid_credentials',
  404: 'not_found',
  409: 'conflict',
  410: 'link_expired',
  429: 'too_many_attempts',
};

export function errorFromResponse(response: Response, body: unknown): ApiError {
  const error =
    body && typeof body === 'object' && 'error' in body && body.error && typeof body.error === 'object'
      ? (body.error as Record<string, unknown>)
      : null;
  const code =
    typeof error?.code === 'string' && error.code
      ? error.code
      : (CODE_BY_STATUS[response.status] ?? `http_${response.status}`);
  const message =
    typeof error?.message === 'string' && error.message
      ? error.message
      : response.statusText || `HTTP ${response.status}`;
  const details =
    error?.details && typeof error.details === 'object' ? (error.details as Record<string, unknown>) : null;
  return new ApiError(response.status, code, message, details, retryAfterSeconds(response, details));
}

function retryAfterSeconds(response: Response, details: Record<string, unknown> | null): number | null {
  // The header is only readable cross-origin when the API exposes it (CORS), hence the body fallback.
  const header = response.headers.get('Retry-After');
  if (header) {
    const seconds = Number(header);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds;
    const date = Date.parse(header);
    if (!Number.isNaN(date)) return Math.max(0, Math.round((date - Date.now()) / 1000));
  }
  const fromBody = Number(details?.retry_after);
  return Number.isFinite(fromBody) && fromBody >= 0 && details?.retry_after !== null ? fromBody : null;
}
