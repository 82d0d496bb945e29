import { Link, useLocation } from 'react-router';
import { AppShell } from '../components/AppShell';
import { useLinkToken } from '../hooks/useLinkToken';
import { useMessages } from '../i18n/I18nProvider';
import { joinPath, roomPath } from '../invitation';
import { loadJoinSession } from '../joinSession';
import type { LeftReason } from '../meetingExit';

export interface LeftPageState {
  reason?: LeftReason;
}

/** `/room/left#token=…`: after leaving (or losing) the meeting, with a way back in. */
export function LeftPage() {
  const m = useMessages();
  const token = useLinkToken() ?? '';
  const reason = (useLocation().state as LeftPageState | null)?.reason ?? 'left';
  const text = m.left[reason];
  // A still-valid join token goes straight back in; otherwise the password is asked again.
  const rejoin = loadJoinSession(token) ? roomPath(token) : joinPath(token);

  return (
    <AppShell>
      <section data-testid="left-page" data-reason={reason} aria-labelledby="left-title" className="card mx-auto max-w-xl text-center">
        <h1 id="left-title" className="text-2xl font-semibold">
          {text.title}
        </h1>
        <p className="mt-3 text-slate-700">{text.body}</p>
        <div className="mt-6 flex flex-wrap justify-center gap-3">
          {reason !== 'ended' ? (
            <Link to={rejoin} className="btn-primary" data-testid="rejoin-link">
              {m.left.rejoin}
            </Link>
          ) : null}
          <Link to="/" className="btn-secondary">
            {m.left.home}
          </Link>
        </div>
      </section>
    </AppShell>
  );
}
