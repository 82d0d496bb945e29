import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api';
import type { MeetingRoomProps } from '../components/MeetingRoom';
import { loadJoinSession, saveJoinSession, type JoinSession } from '../joinSession';
import { fakeApi, renderApp, roomJoin, TOKEN } from '../test/render';

// The LiveKit room itself needs WebRTC; here we check what the page hands to it.
const meetingRoom = vi.hoisted(() => ({ props: null as MeetingRoomProps | null }));
vi.mock('../components/MeetingRoom', () => ({
  MeetingRoom: (props: MeetingRoomProps) => {
    meetingRoom.props = props;
    return <div data-testid="meeting-room">{props.title}</div>;
  },
}));

const session: JoinSession = {
  joinToken: 'join-token-abc',
  roomId: 'room-1',
  participantName: 'João Lima',
  roomTitle: 'Revisão de casos',
  expiresAt: Date.now() + 3_600_000,
  camera: false,
  microphone: true,
};

afterEach(() => {
  sessionStorage.clear();
  meetingRoom.props = null;
});

describe('meeting page', () => {
  it('sends a visitor without a join token back to the staging area', async () => {
    renderApp(`/room#token=${TOKEN}`);
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent(`/join#token=${TOKEN}`));
    expect(await screen.findByTestId('staging-area')).toBeInTheDocument();
  });

  it('joins with the kept join token and connects LiveKit with the chosen media', async () => {
    saveJoinSession(TOKEN, session);
    const { api } = renderApp(`/room#token=${TOKEN}`);
    expect(await screen.findByText('Revisão de casos')).toBeInTheDocument();
    expect(api.joinRoom).toHaveBeenCalledWith('room-1', 'join-token-abc');
    expect(meetingRoom.props).toMatchObject({
      serverUrl: roomJoin.livekit_url,
      token: roomJoin.livekit_token,
      camera: false,
      microphone: true,
    });
  });

  it('falls back to config.json livekitUrl when the API gives none', async () => {
    saveJoinSession(TOKEN, session);
    renderApp(`/room#token=${TOKEN}`, { api: fakeApi({ joinRoom: vi.fn(async () => ({ ...roomJoin, livekit_url: '' })) }) });
    await screen.findByText('Revisão de casos');
    expect(meetingRoom.props?.serverUrl).toBe('wss://fallback.example.test');
  });

  it('asks for the password again when the join token is refused', async () => {
    saveJoinSession(TOKEN, session);
    const api = fakeApi({
      joinRoom: vi.fn(async () => {
        throw new ApiError(401, 'unauthorized', 'Join token expired');
      }),
    });
    renderApp(`/room#token=${TOKEN}`, { api });
    expect(await screen.findByText(/Your access to the meeting has expired/)).toBeInTheDocument();
    expect(screen.getByTestId('location')).toHaveTextContent(`/join#token=${TOKEN}`);
    expect(screen.getByTestId('password-input')).toBeInTheDocument();
    expect(loadJoinSession(TOKEN)).toBeNull();
  });

  it.each([
    ['room_full', 'This meeting is full'],
    ['room_cancelled', 'This meeting was cancelled'],
    ['room_finished', 'This meeting has ended'],
  ])('shows the %s page when the room cannot be joined', async (code, title) => {
    saveJoinSession(TOKEN, session);
    const api = fakeApi({
      joinRoom: vi.fn(async () => {
        throw new ApiError(409, code, 'nope');
      }),
    });
    renderApp(`/room#token=${TOKEN}`, { api });
    expect(await screen.findByTestId('error-page')).toHaveAttribute('data-kind', code);
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent(title);
  });

  it('shows the "left the meeting" page after leaving, with a way back in', async () => {
    saveJoinSession(TOKEN, session);
    renderApp(`/room#token=${TOKEN}`);
    await screen.findByText('Revisão de casos');
    act(() => meetingRoom.props?.onLeft('left'));
    expect(await screen.findByRole('heading', { name: 'You left the meeting' })).toBeInTheDocument();
    expect(screen.getByTestId('location')).toHaveTextContent(`/room/left#token=${TOKEN}`);
    expect(screen.getByRole('link', { name: 'Rejoin the meeting' })).toHaveAttribute('href', `/room#token=${TOKEN}`);
  });

  it('moves an address of an earlier version (/room/<token>) to the fragment', async () => {
    saveJoinSession(TOKEN, session);
    renderApp(`/room/${TOKEN}`);
    expect(await screen.findByText('Revisão de casos')).toBeInTheDocument();
    expect(screen.getByTestId('location')).toHaveTextContent(`/room#token=${TOKEN}`);
  });

  it('says so when the connection was lost rather than left', async () => {
    saveJoinSession(TOKEN, session);
    renderApp(`/room#token=${TOKEN}`);
    await screen.findByText('Revisão de casos');
    act(() => meetingRoom.props?.onLeft('disconnected'));
    expect(await screen.findByRole('heading', { name: 'You were disconnected' })).toBeInTheDocument();
    await userEvent.click(screen.getByRole('link', { name: 'Rejoin the meeting' }));
    expect(await screen.findByText('Revisão de casos')).toBeInTheDocument();
  });
});
