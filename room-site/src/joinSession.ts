/**
 * What the staging area hands to the meeting page, kept in sessionStorage (per tab, gone
 * when the tab closes) and keyed by the magic-link token of the page's URL fragment.
 */
export interface JoinSession {
  joinToken: string;
  roomId: string;
  participantName: string;
  roomTitle: string;
  /** Epoch milliseconds after which the join token is no longer accepted. */
  expiresAt: number;
  /** Whether to publish camera and microphone on entering (the staging-area toggles). */
  camera: boolean;
  microphone: boolean;
}

const PREFIX = 'doctorlive.join.';

function storage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

export function saveJoinSession(magicToken: string, session: JoinSession): void {
  storage()?.setItem(PREFIX + magicToken, JSON.stringify(session));
}

export function loadJoinSession(magicToken: string, now = Date.now()): JoinSession | null {
  const raw = storage()?.getItem(PREFIX + magicToken);
  if (!raw) return null;
  try {
    const session = JSON.parse(raw) as Partial<JoinSession>;
    if (typeof session.joinToken !== 'string' || typeof session.roomId !== 'string') return null;
    if (typeof session.expiresAt === 'number' && session.expiresAt <= now) {
      clearJoinSession(magicToken);
      return null;
    }
    return {
      joinToken: session.joinToken,
      roomId: session.roomId,
      participantName: session.participantName ?? '',
      roomTitle: session.roomTitle ?? '',
      expiresAt: session.expiresAt ?? Number.POSITIVE_INFINITY,
      camera: session.camera !== false,
      microphone: session.microphone !== false,
    };
  } catch {
    return null;
  }
}

export function clearJoinSession(magicToken: string): void {
  storage()?.removeItem(PREFIX + magicToken);
}
