import { useCallback, useEffect, useState } from 'react';
import { ApiError, type MagicLinkValidation } from '../api';
import { minutesUntil, normalizePassword } from '../password';
import { useApi } from '../RuntimeProvider';

export interface PasswordCheck {
  check: (password: string) => Promise<MagicLinkValidation | null>;
  pending: boolean;
  error: unknown;
  /** Minutes left on a too-many-attempts lock; 0 when not locked. */
  lockedMinutes: number;
  /** True while locked without knowing for how long. */
  lockedUnknown: boolean;
}

/**
 * Sends the magic-link token and password to the API. A 429 locks the prompt for the time the
 * server gives (Retry-After), counting down so the message stays true while the page is open.
 */
export function usePasswordCheck(token: string): PasswordCheck {
  const api = useApi();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [lockedUntil, setLockedUntil] = useState<number | null>(null);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    if (lockedUntil === null || !Number.isFinite(lockedUntil)) return;
    const timer = window.setInterval(() => {
      const current = Date.now();
      setNow(current);
      if (current >= lockedUntil) {
        setLockedUntil(null);
        setError(null);
      }
    }, 5_000);
    return () => window.clearInterval(timer);
  }, [lockedUntil]);

  const check = useCallback(
    async (password: string) => {
      setPending(true);
      setError(null);
      try {
        const validation = await api.validateMagicLink(token, normalizePassword(password));
        setLockedUntil(null);
        return validation;
      } catch (caught) {
        setError(caught);
        if (caught instanceof ApiError && caught.status === 429) {
          const current = Date.now();
          setNow(current);
          setLockedUntil(
            caught.retryAfterSeconds === null ? Number.POSITIVE_INFINITY : current + caught.retryAfterSeconds * 1000,
          );
        }
        return null;
      } finally {
        setPending(false);
      }
    },
    [api, token],
  );

  const locked = lockedUntil !== null;
  const lockedUnknown = locked && !Number.isFinite(lockedUntil);
  return {
    check,
    pending,
    error,
    lockedMinutes: locked && !lockedUnknown ? Math.max(1, minutesUntil(lockedUntil, now)) : 0,
    lockedUnknown,
  };
}
