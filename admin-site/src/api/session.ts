import type { UserOut } from './types';

export interface Session {
  accessToken: string;
  refreshToken: string;
  user: UserOut;
}

export const SESSION_KEY = 'doctorlive.admin.session';

type Listener = (session: Session | null) => void;

/**
 * The logged-in session, kept in localStorage so it survives a reload, with listeners so the
 * React tree hears a logout that happens inside a request (a refresh the API refused).
 */
export class SessionStore {
  private session: Session | null;
  private listeners = new Set<Listener>();

  constructor(private readonly storage: Storage | null = safeLocalStorage()) {
    this.session = read(storage);
  }

  get(): Session | null {
    return this.session;
  }

  set(session: Session | null): void {
    this.session = session;
    try {
      if (session) this.storage?.setItem(SESSION_KEY, JSON.stringify(session));
      else this.storage?.removeItem(SESSION_KEY);
    } catch {
      // A session that is not remembered across reloads still works in this tab.
    }
    this.listeners.forEach((listener) => listener(session));
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

function safeLocalStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

function read(storage: Storage | null): Session | null {
  try {
    const raw = storage?.getItem(SESSION_KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<Session>;
    return parsed.accessToken && parsed.refreshToken && parsed.user ? (parsed as Session) : null;
  } catch {
    return null;
  }
}
