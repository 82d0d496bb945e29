import { useEffect } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { linkTokenOf } from '../invitation';

/**
 * The magic-link token of the current page, read from the fragment (`#token=…`).
 *
 * An invitation sent before the token moved to the fragment opens `/join?token=…`: that request
 * already reached the server, but from here on the token leaves the address bar at once — the
 * address is replaced (history.replaceState, no new history entry) by the same page with the
 * token in the fragment, so it is not kept in history, bookmarks or copied links, nor sent again
 * on a reload.
 */
export function useLinkToken(): string | null {
  const location = useLocation();
  const navigate = useNavigate();
  const { token, fromQuery } = linkTokenOf(location);

  // An effect, not a layout effect: the router subscribes to history in its own effect, after
  // its children's layout effects, and would miss a replace made before.
  useEffect(() => {
    if (!token || !fromQuery) return;
    const rest = new URLSearchParams(location.search);
    rest.delete('token');
    const search = rest.toString();
    navigate(
      { pathname: location.pathname, search: search ? `?${search}` : '', hash: `token=${encodeURIComponent(token)}` },
      { replace: true, state: location.state },
    );
  }, [token, fromQuery, location.pathname, location.search, location.state, navigate]);

  return token;
}
