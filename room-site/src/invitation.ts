/**
 * Turns whatever a participant pastes (the full invitation link, a link to the room page,
 * or the bare code) into the magic-link token, or null when it is neither.
 */
const TOKEN_PATTERN = /^[A-Za-z0-9._~-]{6,512}$/;

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
  const fromQuery = url.searchParams.get('token')?.trim();
  if (fromQuery && TOKEN_PATTERN.test(fromQuery)) return fromQuery;

  const segments = url.pathname.split('/').filter(Boolean);
  const at = segments.findIndex((segment) => segment === 'join' || segment === 'room');
  const fromPath = at >= 0 ? segments[at + 1] : undefined;
  if (fromPath && TOKEN_PATTERN.test(decodeURIComponent(fromPath))) return decodeURIComponent(fromPath);
  return null;
}

export function joinPath(token: string): string {
  return `/join?token=${encodeURIComponent(token)}`;
}

export function roomPath(token: string): string {
  return `/room/${encodeURIComponent(token)}`;
}
