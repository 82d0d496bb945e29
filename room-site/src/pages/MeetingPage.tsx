import { lazy, Suspense, useState } from 'react';
import { Navigate, useNavigate } from 'react-router';
import { AppShell } from '../components/AppShell';
import { ErrorPage } from '../components/ErrorPage';
import { LoadingState } from '../components/LoadingState';
import { useDevicePreferences } from '../devices/useDevicePreferences';
import { useJoin } from '../hooks/useJoin';
import { useLinkToken } from '../hooks/useLinkToken';
import { useMessages } from '../i18n/I18nProvider';
import { joinPath, leftPath } from '../invitation';
import { clearJoinSession, loadJoinSession } from '../joinSession';
import { errorKindOf, leadsToErrorPage, needsPasswordAgain } from '../meetingErrors';
import type { LeftReason } from '../meetingExit';
import { useRuntimeConfig } from '../RuntimeProvider';
import type { JoinPageState } from './JoinPage';
import type { LeftPageState } from './LeftPage';

// LiveKit is most of the app's weight: load it only once someone is actually entering a room.
const MeetingRoom = lazy(() => import('../components/MeetingRoom').then((module) => ({ default: module.MeetingRoom })));

/** `/room#token=…`: trades the join token from the staging area for LiveKit credentials. */
export function MeetingPage() {
  const token = useLinkToken() ?? '';
  const m = useMessages();
  const navigate = useNavigate();
  const config = useRuntimeConfig();
  const [session] = useState(() => loadJoinSession(token));
  const [attempt, setAttempt] = useState(0);
  const join = useJoin(session?.roomId ?? null, session?.joinToken ?? null, attempt);
  const { preferences, updatePreferences } = useDevicePreferences();

  if (!session) return <Navigate to={joinPath(token)} replace />;

  if (join.status === 'failed') {
    if (needsPasswordAgain(join.error)) {
      clearJoinSession(token);
      const state: JoinPageState = { reason: 'session_expired' };
      return <Navigate to={joinPath(token)} replace state={state} />;
    }
    const retry = leadsToErrorPage(join.error) ? undefined : () => setAttempt((n) => n + 1);
    return (
      <AppShell>
        <ErrorPage kind={errorKindOf(join.error)} onRetry={retry} />
      </AppShell>
    );
  }

  const connecting = (
    <div data-testid="meeting-room" className="h-dvh bg-slate-950 text-slate-50">
      <span data-testid="connection-state" data-state="connecting" aria-hidden="true" className="sr-only">
        connecting
      </span>
      <LoadingState label={m.meeting.connecting} />
    </div>
  );
  if (join.status === 'joining') return connecting;

  const onLeft = (reason: LeftReason) => {
    const state: LeftPageState = { reason };
    navigate(leftPath(token), { state });
  };

  return (
    <Suspense fallback={connecting}>
      <MeetingRoom
        serverUrl={join.join.livekit_url || config.livekitUrl}
        token={join.join.livekit_token}
        title={session.roomTitle}
        participantName={session.participantName}
        camera={session.camera}
        microphone={session.microphone}
        devices={preferences}
        onDeviceChange={(kind, deviceId) =>
          updatePreferences(kind === 'videoinput' ? { videoInputId: deviceId } : kind === 'audioinput' ? { audioInputId: deviceId } : { audioOutputId: deviceId })
        }
        onLeft={onLeft}
        recorded={join.join.recorded}
      />
    </Suspense>
  );
}
