import { useCallback, useEffect, useState } from 'react';
import { mediaDevicesSupported } from './mediaProblems';

export interface MediaDeviceLists {
  videoInputs: MediaDeviceInfo[];
  audioInputs: MediaDeviceInfo[];
  audioOutputs: MediaDeviceInfo[];
}

const EMPTY: MediaDeviceLists = { videoInputs: [], audioInputs: [], audioOutputs: [] };

/**
 * The machine's cameras, microphones and speakers, kept current when devices are plugged in
 * or out. Labels are empty until the page holds a media permission, so callers `refresh()`
 * after opening a stream.
 */
export function useMediaDevices() {
  const [devices, setDevices] = useState<MediaDeviceLists>(EMPTY);

  const refresh = useCallback(async () => {
    if (!mediaDevicesSupported() || !navigator.mediaDevices.enumerateDevices) return;
    try {
      const all = await navigator.mediaDevices.enumerateDevices();
      // Before permission Chrome lists one entry per kind with an empty deviceId: not choosable.
      const real = all.filter((device) => device.deviceId !== '');
      setDevices({
        videoInputs: real.filter((device) => device.kind === 'videoinput'),
        audioInputs: real.filter((device) => device.kind === 'audioinput'),
        audioOutputs: real.filter((device) => device.kind === 'audiooutput'),
      });
    } catch {
      setDevices(EMPTY);
    }
  }, []);

  useEffect(() => {
    void refresh();
    if (!mediaDevicesSupported()) return;
    const mediaDevices = navigator.mediaDevices;
    mediaDevices.addEventListener?.('devicechange', refresh);
    return () => mediaDevices.removeEventListener?.('devicechange', refresh);
  }, [refresh]);

  return { ...devices, refresh };
}
