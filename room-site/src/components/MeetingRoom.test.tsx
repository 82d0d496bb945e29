import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { RoomContext } from '@livekit/components-react';
import { DisconnectReason } from 'livekit-client';
import type { ReactElement } from 'react';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_DEVICE_PREFERENCES } from '../devices/devicePreferences';
import { I18nProvider } from '../i18n/I18nProvider';
import { MEETING_PREFERENCES_KEY } from '../meetingPreferences';
import { installMediaDevices, removeMediaDevices } from '../test/fakeMedia';
import { simulatedRoom } from '../test/simulatedRoom';
import { MeetingRoom, type MeetingRoomProps } from './MeetingRoom';

type RoomProps = Record<string, unknown> & {
  onConnected: () => void;
  onDisconnected: (reason?: DisconnectReason) => void;
  onError: (error: Error) => void;
};
const rendered = vi.hoisted(() => [] as Record<string, unknown>[]);

// What MeetingRoom hands to LiveKit's <LiveKitRoom>, without WebRTC.
vi.mock('@livekit/components-react', async (importOriginal) => ({
  ...(await importOriginal<object>()),
  LiveKitRoom: (props: Record<string, unknown>) => {
    rendered.push(props);
    return null;
  },
}));

const last = () => rendered[rendered.length - 1] as RoomProps;

function renderRoom(overrides: Partial<MeetingRoomProps> = {}) {
  const props: MeetingRoomProps = {
    serverUrl: 'wss://lk.example.test',
    token: 'lk-token',
    title: 'Consulta',
    participantName: 'João',
    camera: true,
    microphone: false,
    devices: { ...DEFAULT_DEVICE_PREFERENCES, videoInputId: 'cam-2', audioOutputId: 'spk-1' },
    onDeviceChange: vi.fn(),
    onLeft: vi.fn(),
    ...overrides,
  };
  const view = render(
    <I18nProvider initialLanguage="en">
      <MeetingRoom {...props} />
    </I18nProvider>,
  );
  return { ...view, props };
}

describe('MeetingRoom', () => {
  it('connects with the token and the devices chosen in the staging area', () => {
    renderRoom();
    expect(screen.getByTestId('meeting-room')).toBeInTheDocument();
    expect(last()).toMatchObject({
      serverUrl: 'wss://lk.example.test',
      token: 'lk-token',
      connect: true,
      video: { deviceId: 'cam-2' },
      audio: false,
      options: { audioOutput: { deviceId: 'spk-1' }, videoCaptureDefaults: { deviceId: 'cam-2' } },
    });
  });

  it('hands LiveKit the same callbacks and options on every render (a new onError would reconnect)', () => {
    const { rerender, props } = renderRoom();
    const first = last();
    rerender(
      <I18nProvider initialLanguage="en">
        <MeetingRoom {...props} onLeft={vi.fn()} onDeviceChange={vi.fn()} devices={{ ...props.devices, videoInputId: 'cam-1' }} />
      </I18nProvider>,
    );
    const second = last();
    expect(second).not.toBe(first);
    for (const key of ['onError', 'onConnected', 'onDisconnected', 'options', 'video', 'audio']) {
      expect(second[key], key).toBe(first[key]);
    }
  });

  it('reports leaving with the reason once connected', () => {
    const { props } = renderRoom();
    act(() => last().onConnected());
    act(() => last().onDisconnected(DisconnectReason.CLIENT_INITIATED));
    expect(props.onLeft).toHaveBeenCalledWith('left');
  });

  it('leaves even when the room never connected', () => {
    const { props } = renderRoom();
    const layout = last().children as { props: { onLeave: () => void } };
    act(() => layout.props.onLeave());
    act(() => last().onDisconnected(DisconnectReason.CLIENT_INITIATED));
    expect(props.onLeft).toHaveBeenCalledTimes(1);
    expect(props.onLeft).toHaveBeenCalledWith('left');
  });

  it('stays on the page with a retry when the first connection fails', () => {
    const { props } = renderRoom();
    act(() => last().onError(new Error('could not establish signal connection')));
    act(() => last().onDisconnected(DisconnectReason.UNKNOWN_REASON));
    expect(props.onLeft).not.toHaveBeenCalled();
    const layout = last().children as { props: { connectFailed: boolean } };
    expect(layout.props.connectFailed).toBe(true);
  });
});

describe('the meeting screen, in a (simulated) LiveKit room', () => {
  // The device menus in the controls list devices, which browsers allow in secure contexts only.
  beforeAll(() => {
    installMediaDevices();
    Object.defineProperty(window, 'isSecureContext', { value: true, configurable: true });
  });
  afterAll(() => {
    removeMediaDevices();
    Object.defineProperty(window, 'isSecureContext', { value: false, configurable: true });
  });
  beforeEach(() => {
    localStorage.clear();
    return () => void vi.unstubAllGlobals();
  });

  /** The layout MeetingRoom hands to <LiveKitRoom>, rendered in a room with an assistant. */
  async function renderLayout(overrides: Partial<MeetingRoomProps> = {}) {
    renderRoom(overrides);
    const layout = last().children as ReactElement;
    const sim = await simulatedRoom();
    sim.join({ identity: 'agent-AJ_1', name: 'Assistente', agent: true, attributes: { 'doctorlive.stt': 'offline:whisper-base' } });
    const ui = (
      <RoomContext.Provider value={sim.room}>
        <I18nProvider initialLanguage="en">{layout}</I18nProvider>
      </RoomContext.Provider>
    );
    const view = render(ui);
    return { ...view, sim, remount: () => (view.unmount(), render(ui)) };
  }
  const wideScreen = () => vi.stubGlobal('matchMedia', (query: string) => ({ matches: query === '(min-width: 1024px)' }));

  it('shows a recording indicator in the control bar when and only when the meeting is recorded', async () => {
    const { unmount } = await renderLayout({ recorded: true });
    const controls = screen.getByRole('navigation', { name: 'Meeting controls' });
    expect(within(controls).getByTestId('recording-indicator')).toHaveTextContent('Recording');
    expect(within(controls).getByRole('status')).toHaveTextContent('This meeting is being recorded');
    unmount();
    await renderLayout();
    expect(screen.queryByTestId('recording-indicator')).toBeNull();
  });

  it('has captions off by default; the CC button turns them on and the browser remembers', async () => {
    const user = userEvent.setup();
    const { remount } = await renderLayout();
    const toggle = screen.getByRole('button', { name: 'Captions' });
    expect(toggle).toHaveAttribute('aria-pressed', 'false');
    expect(screen.queryByRole('region', { name: 'Live captions' })).toBeNull();

    toggle.focus();
    await user.keyboard('{Enter}');
    expect(toggle).toHaveAttribute('aria-pressed', 'true');
    expect(screen.getByRole('region', { name: 'Live captions' })).toHaveTextContent('Offline transcription.');
    expect(JSON.parse(localStorage.getItem(MEETING_PREFERENCES_KEY)!)).toMatchObject({ captions: true });

    remount();
    expect(screen.getByRole('button', { name: 'Captions' })).toHaveAttribute('aria-pressed', 'true');
    expect(screen.getByRole('region', { name: 'Live captions' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Captions' }));
    expect(screen.queryByRole('region', { name: 'Live captions' })).toBeNull();
  });

  it('hides the assistant panel for me, remembers it, and shows it again', async () => {
    wideScreen(); // where the assistant's panel opens by itself
    const user = userEvent.setup();
    const { remount } = await renderLayout();
    expect(screen.getByTestId('agent-panel')).toBeInTheDocument();
    const hide = screen.getByRole('button', { name: 'Hide assistant' });
    expect(hide).toHaveAttribute('aria-pressed', 'false');

    hide.focus();
    await user.keyboard(' ');
    expect(hide).toHaveAttribute('aria-pressed', 'true');
    expect(screen.queryByTestId('agent-panel')).toBeNull();
    expect(screen.queryByTestId('assistant-button')).toBeNull();
    expect(screen.queryByTestId('ask-assistant')).toBeNull();
    expect(JSON.parse(localStorage.getItem(MEETING_PREFERENCES_KEY)!)).toMatchObject({ assistantHidden: true });

    remount();
    expect(screen.queryByTestId('agent-panel')).toBeNull();
    expect(screen.queryByTestId('assistant-button')).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Hide assistant' }));
    await user.click(screen.getByTestId('assistant-button'));
    expect(screen.getByTestId('agent-panel')).toHaveTextContent('Speech is transcribed by an offline model (whisper-base).');
    expect(screen.getByTestId('ask-assistant')).toBeInTheDocument();
  });
});

