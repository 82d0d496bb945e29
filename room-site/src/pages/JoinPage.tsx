import { useLocation, useNavigate } from 'react-router';
import { ApiError, NETWORK_ERROR, type MagicLinkValidation } from '../api';
import { AppShell } from '../components/AppShell';
import { ErrorPage } from '../components/ErrorPage';
import { LoadingState } from '../components/LoadingState';
import { PasswordPrompt } from '../components/PasswordPrompt';
import { StagingArea } from '../components/StagingArea';
import { useStagingDevices } from '../devices/useStagingDevices';
import { useLinkToken } from '../hooks/useLinkToken';
import { useMagicLinkPreview } from '../hooks/useMagicLinkPreview';
import { usePasswordCheck, type PasswordCheck } from '../hooks/usePasswordCheck';
import type { Messages } from '../i18n/en';
import { useMessages } from '../i18n/I18nProvider';
import { roomPath } from '../invitation';
import { saveJoinSession } from '../joinSession';
import { closedMeetingKind, errorKindOf, leadsToErrorPage } from '../meetingErrors';

export interface JoinPageState {
  reason?: 'session_expired';
}

/** `/join#token=…`: the invitation preview, device check and password, then into the room. */
export function JoinPage() {
  const token = useLinkToken();
  return <AppShell>{token ? <Staging token={token} /> : <ErrorPage kind="invalid_link" />}</AppShell>;
}

function Staging({ token }: { token: string }) {
  const m = useMessages();
  const navigate = useNavigate();
  const location = useLocation();
  const preview = useMagicLinkPreview(token);
  const devices = useStagingDevices();
  const password = usePasswordCheck(token);

  if (preview.status === 'loading') return <LoadingState label={m.staging.loading} />;
  if (preview.status === 'failed') {
    const kind = errorKindOf(preview.error);
    return <ErrorPage kind={kind} onRetry={leadsToErrorPage(preview.error) ? undefined : preview.retry} />;
  }
  const closed = closedMeetingKind(preview.preview.room.status);
  if (closed) return <ErrorPage kind={closed} />;
  if (leadsToErrorPage(password.error)) return <ErrorPage kind={errorKindOf(password.error)} />;

  async function join(typed: string) {
    const validation = await password.check(typed);
    if (validation) enterRoom(validation);
  }

  function enterRoom(validation: MagicLinkValidation) {
    saveJoinSession(token, {
      joinToken: validation.join_token,
      roomId: validation.room.id,
      participantName: validation.participant.name,
      roomTitle: validation.room.title,
      expiresAt: Date.now() + validation.expires_in * 1000,
      camera: devices.publishCamera,
      microphone: devices.publishMicrophone,
    });
    navigate(roomPath(token));
  }

  const sessionExpired = (location.state as JoinPageState | null)?.reason === 'session_expired';
  return (
    <StagingArea preview={preview.preview} devices={devices}>
      <PasswordPrompt
        onSubmit={join}
        pending={password.pending}
        serverError={passwordErrorText(password, m)}
        locked={password.lockedMinutes > 0 || password.lockedUnknown}
        notice={sessionExpired && !password.error ? m.password.sessionExpired : null}
      />
    </StagingArea>
  );
}

/** The server's verdict in the participant's language; unknown errors keep the server's words. */
export function passwordErrorText(check: Pick<PasswordCheck, 'error' | 'lockedMinutes' | 'lockedUnknown'>, m: Messages): string | null {
  const { error } = check;
  if (!error) return null;
  if (check.lockedMinutes > 0) return m.password.locked(check.lockedMinutes);
  if (check.lockedUnknown) return m.password.lockedNoTime;
  if (!(error instanceof ApiError)) return m.errors.kinds.unknown.title;
  if (error.code === 'invalid_credentials') return m.password.invalidCredentials;
  if (error.code === NETWORK_ERROR) return m.password.network;
  return error.message;
}
