import { act, render, screen } from '@testing-library/react';
import { DisconnectReason } from 'livekit-client';
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_DEVICE_PREFERENCES } from '../devices/devicePreferences';
import { I18nProvider } from '../i18n/I18nProvider';
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
