import { useDevicePreferences } from './useDevicePreferences';
import { useLocalMedia } from './useLocalMedia';
import { useMediaDevices } from './useMediaDevices';

/**
 * Everything the staging area knows about the participant's devices: remembered choices, what
 * is plugged in, the open preview streams and what went wrong, and so what the meeting will
 * publish on entry (only what is switched on and actually works).
 */
export function useStagingDevices() {
  const { preferences, updatePreferences } = useDevicePreferences();
  const devices = useMediaDevices();
  const camera = useLocalMedia('video', preferences.cameraEnabled, preferences.videoInputId, devices.refresh);
  const microphone = useLocalMedia('audio', preferences.microphoneEnabled, preferences.audioInputId, devices.refresh);

  return {
    preferences,
    updatePreferences,
    devices,
    camera,
    microphone,
    publishCamera: preferences.cameraEnabled && !camera.problem,
    publishMicrophone: preferences.microphoneEnabled && !microphone.problem,
  };
}

export type StagingDevices = ReturnType<typeof useStagingDevices>;
