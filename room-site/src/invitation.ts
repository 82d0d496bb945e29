/**
 * Turns whatever a participant pastes (the full invitation link, a link to the room page,
 * or the bare code) into the magic-link token, or null when it is neither.
 *
 * The token travels in the URL fragment (`/join#token=…`): browsers never send a fragment to a
 * server, so it reaches no CDN or proxy log. Links sent before that carried it in the query
 * (`/join?token=…`); they are still accepted, once, and the address is rewritten at once
 * (useLinkToken).
 */
const TOKEN_PATTERN = /^[A-Za-z0-9._~-]{6,512}$/;

function fromParams(params: URLSearchParams): string | null {
  const value = params.get('token')?.trim();
  return value && TOKEN_PATTERN.test(value) ? value : null;
}

/** The token of an address: its fragment's `token=`, else (links sent earlier) its query's. */
export function linkTokenOf(location: { hash: string; search: string }): { token: string | null; fromQuery: boolean } {
  const fromHash = fromParams(new URLSearchParams(location.hash.replace(/^#/, '')));
  if (fromHash) return { token: fromHash, fromQuery: false };
  const fromQuery = fromParams(new URLSearchParams(location.search));
  return { token: fromQuery, fromQuery: fromQuery !== null };
}

export function tokenFromInvitation(input: string): string | null {
  const text = input.trim();
  if (!text) return null;
  if (TOKEN_PATTERN.test(text)) return text;

  let url: URL;
  try {
    url = new URL(text.includes('://') ? text : `https://${text}`);
  } catch {
    return null;
  }
  const { token: fromLink } = linkTokenOf(url);
  if (fromLink) return fromLink;

  const segments = url.pathname.split('/').filter(Boolean);
  const at = segments.findIndex((segment) => segment === 'join' || segment === 'room');
  const fromPath = at >= 0 ? segments[at + 1] : undefined;
  if (fromPath && TOKEN_PATTERN.test(decodeURIComponent(fromPath))) return decodeURIComponent(fromPath);
  return null;
}

/** Where each page is; the token is in the fragment, never in a path or a query. */
export function joinPath(token: string): string {
  return `/join#token=${encodeURIComponent(token)}`;
}

export function roomPath(token: string): string {
  return `/room#token=${encodeURIComponent(token)}`;
}

export function leftPath(token: string): string {
  return `/room/left#token=${encodeURIComponent(token)}`;
}
