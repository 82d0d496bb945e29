import { localStore } from '../browserStorage';

/**
 * The participant's device choices, remembered in localStorage across meetings so a returning
 * participant does not pick the same headset every time.
 */
export interface DevicePreferences {
  videoInputId: string | null;
  audioInputId: string | null;
  audioOutputId: string | null;
  cameraEnabled: boolean;
  microphoneEnabled: boolean;
}

export const DEVICE_PREFERENCES_KEY = 'doctorlive.devicePreferences.v1';

export const DEFAULT_DEVICE_PREFERENCES: DevicePreferences = {
  videoInputId: null,
  audioInputId: null,
  audioOutputId: null,
  cameraEnabled: true,
  microphoneEnabled: true,
};

export function loadDevicePreferences(storage: Storage | null = localStore()): DevicePreferences {
  const raw = storage?.getItem(DEVICE_PREFERENCES_KEY);
  if (!raw) return { ...DEFAULT_DEVICE_PREFERENCES };
  try {
    const saved = JSON.parse(raw) as Record<string, unknown>;
    const id = (value: unknown) => (typeof value === 'string' && value ? value : null);
    const flag = (value: unknown, fallback: boolean) => (typeof value === 'boolean' ? value : fallback);
    return {
      videoInputId: id(saved.videoInputId),
      audioInputId: id(saved.audioInputId),
      audioOutputId: id(saved.audioOutputId),
      cameraEnabled: flag(saved.cameraEnabled, true),
      microphoneEnabled: flag(saved.microphoneEnabled, true),
    };
  } catch {
    return { ...DEFAULT_DEVICE_PREFERENCES };
  }
}

export function saveDevicePreferences(
  preferences: DevicePreferences,
  storage: Storage | null = localStore(),
): void {
  try {
    storage?.setItem(DEVICE_PREFERENCES_KEY, JSON.stringify(preferences));
  } catch {
    // Quota or privacy errors only cost the convenience of remembering.
  }
}
