import { vi } from 'vitest';

/** A stand-in for navigator.mediaDevices with two cameras and two microphones. */
export const DEVICES = [
  { deviceId: 'cam-1', kind: 'videoinput', label: 'Built-in camera', groupId: 'a' },
  { deviceId: 'cam-2', kind: 'videoinput', label: 'USB camera', groupId: 'b' },
  { deviceId: 'mic-1', kind: 'audioinput', label: 'Built-in microphone', groupId: 'a' },
  { deviceId: 'mic-2', kind: 'audioinput', label: 'Headset microphone', groupId: 'c' },
  { deviceId: 'spk-1', kind: 'audiooutput', label: 'Speakers', groupId: 'a' },
] as MediaDeviceInfo[];

function fakeStream(kind: 'video' | 'audio', deviceId: string): MediaStream {
  const track = { kind, stop: vi.fn(), getSettings: () => ({ deviceId }) };
  return {
    getTracks: () => [track],
    getAudioTracks: () => (kind === 'audio' ? [track] : []),
    getVideoTracks: () => (kind === 'video' ? [track] : []),
  } as unknown as MediaStream;
}

export function installMediaDevices({
  fail,
  devices = DEVICES,
}: { fail?: Partial<Record<'video' | 'audio', string>>; devices?: MediaDeviceInfo[] } = {}) {
  const getUserMedia = vi.fn(async (constraints: MediaStreamConstraints) => {
    const kind = constraints.video ? 'video' : 'audio';
    if (fail?.[kind]) throw new DOMException('refused', fail[kind]);
    const wanted = (constraints[kind] as MediaTrackConstraints).deviceId as { exact: string } | undefined;
    const first = devices.find((d) => d.kind === `${kind}input`);
    if (!first) throw new DOMException('none', 'NotFoundError');
    return fakeStream(kind, wanted?.exact ?? first.deviceId);
  });
  const mediaDevices = {
    getUserMedia,
    enumerateDevices: vi.fn(async () => devices),
    addEventListener: vi.fn(),
    removeEventListener: vi.fn(),
  };
  Object.defineProperty(navigator, 'mediaDevices', { value: mediaDevices, configurable: true });
  return mediaDevices;
}

export function removeMediaDevices() {
  Object.defineProperty(navigator, 'mediaDevices', { value: undefined, configurable: true });
}
